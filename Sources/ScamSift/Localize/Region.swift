import Foundation

/// Where the reader is, for the advice that depends on it: whom to call after paying, and
/// where to report. Only Bangladesh has its own lines (helplines and agencies checked for it);
/// anywhere else gets the same advice without a country's numbers.
public enum Region: String, Sendable, CaseIterable {
    case bangladesh = "bd"
    case other

    /// The region the locale variables name by their territory (`bn_BD.UTF-8` → Bangladesh,
    /// `en_GB.UTF-8` → other), read in the order `Language.variables` gives them. A locale
    /// without a territory (`C`, `POSIX`, `bn`), or none at all, gives Bangladesh: ScamSift's
    /// first readers, whose phones and shells often set no locale.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> Region {
        guard let locale = Language.decidingLocale(environment), let territory = territory(fromLocale: locale) else { return .bangladesh }
        return territory == "BD" ? .bangladesh : .other
    }

    /// The territory a locale names: `bn_BD.UTF-8` → `BD`; nil when it names none.
    static func territory(fromLocale locale: String) -> String? {
        guard let underscore = locale.firstIndex(of: "_") else { return nil }
        let rest = locale[locale.index(after: underscore)...].prefix { $0 != "." && $0 != "@" }
        return rest.count == 2 && rest.allSatisfy(\.isLetter) ? rest.uppercased() : nil
    }

    /// The catalogue keys of the advice that depends on the region.
    var sentMoneyKey: String { self == .bangladesh ? "sent_money" : "sent_money_other" }
    var reportKey: String { self == .bangladesh ? "report_bd" : "report_other" }
}
