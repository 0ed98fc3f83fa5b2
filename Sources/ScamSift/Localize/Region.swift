import Foundation

/// Where the reader is, for the advice that depends on it: whom to call after paying, and
/// where to report. Bangladesh and India have their own lines (their helplines and reporting
/// services); anywhere else gets the same advice without a country's numbers.
public enum Region: String, Sendable, CaseIterable {
    case bangladesh = "bd"
    /// Readers in India (`bn_IN`, `hi_IN`, `en_IN`): its cyber crime helpline and reporting portal.
    case india = "in"
    case other

    /// The region the locale variables name by their territory (`bn_BD.UTF-8` → Bangladesh,
    /// `en_GB.UTF-8` → other), read in the order `Language.variables` gives them. A locale
    /// without a territory (`C`, `POSIX`, `bn`), or none at all, gives Bangladesh: ScamSift's
    /// first readers, whose phones and shells often set no locale.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> Region {
        guard let locale = Language.decidingLocale(environment), let territory = territory(fromLocale: locale) else { return .bangladesh }
        switch territory {
        case "BD": return .bangladesh
        case "IN": return .india
        default: return .other
        }
    }

    /// The territory a locale names: `bn_BD.UTF-8` → `BD`; nil when it names none.
    static func territory(fromLocale locale: String) -> String? {
        guard let underscore = locale.firstIndex(of: "_") else { return nil }
        let rest = locale[locale.index(after: underscore)...].prefix { $0 != "." && $0 != "@" }
        return rest.count == 2 && rest.allSatisfy(\.isLetter) ? rest.uppercased() : nil
    }

    /// The catalogue keys of the advice that depends on the region: `advice.sent_money_<code>`
    /// and `advice.report_<code>`, so a new country is a case and two strings per catalogue.
    var sentMoneyKey: String { "sent_money_\(rawValue)" }
    var reportKey: String { "report_\(rawValue)" }
}
