import Foundation

/// Which language a person reads: `--lang`, else the locale variables, else English.
public enum Language {
    /// A language code as rules files and catalogues write it: two or three lowercase letters.
    public static func isCode(_ s: String) -> Bool {
        (2...3).contains(s.utf8.count) && s.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }

    /// Languages a rule's description may be written in without a warning: those ScamSift
    /// speaks (catalogues) and those it reads (built-in lexicons).
    public static let known: Set<String> = {
        let lexicons = BuiltInRuleFiles.all.map(\.name).filter { $0.hasPrefix("Rules/lexicon/") }.map(Catalog.code(ofFile:))
        return Set(lexicons).union(BuiltInRuleFiles.catalogs.map { Catalog.code(ofFile: $0.name) }.filter(isCode))
    }()

    /// The locale variables in the order POSIX gives them weight for messages.
    public static let variables = ["LC_ALL", "LC_MESSAGES", "LANG"]

    /// The language a locale names: `bn_BD.UTF-8` → `bn`, `en` → `en`; nil for `C`, `POSIX`
    /// or anything that is not a language.
    public static func code(fromLocale locale: String) -> String? {
        let language = locale.prefix { $0 != "_" && $0 != "." && $0 != "@" && $0 != "-" }.lowercased()
        return isCode(language) ? language : nil
    }

    /// The language to speak when `--lang` is not given: the first of LC_ALL, LC_MESSAGES and
    /// LANG that is set and not empty decides; a language without a catalogue, `C` and
    /// `POSIX` give English.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard let locale = decidingLocale(environment), let code = code(fromLocale: locale), Catalog.builtIn[code] != nil else { return "en" }
        return code
    }

    /// The locale that decides: the first of `variables` that is set and not empty.
    static func decidingLocale(_ environment: [String: String]) -> String? {
        variables.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    }
}

/// How numbers are written in text output: ASCII digits, or the language's own (`--digits native`).
public enum DigitStyle: String, Sendable, CaseIterable {
    case latin, native
}

/// One language's strings and number style, for everything a person reads.
public struct Localizer: Sendable {
    public let catalog: Catalog
    public let digits: DigitStyle

    public init(language: String, digits: DigitStyle = .latin) {
        catalog = Catalog.builtIn[language] ?? Catalog.english
        self.digits = digits
    }

    public static let english = Localizer(language: "en")

    public var language: String { catalog.language }

    /// The text of `key` with its placeholders filled. The catalogue's own figures (a
    /// helpline number, "100") follow `--digits`; the values are put in as given.
    public func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        Catalog.fill(digits(catalog.template(key)), values)
    }

    /// ASCII digits of a number ScamSift wrote (a score, a percentage, a count) in the
    /// language's own digits when `--digits native` asks for them. Never used on page text.
    public func digits(_ s: String) -> String {
        guard digits == .native, let native = catalog.nativeDigits else { return s }
        return String(s.map { c in
            guard let v = c.asciiValue, v >= UInt8(ascii: "0"), v <= UInt8(ascii: "9") else { return c }
            return native[Int(v - UInt8(ascii: "0"))]
        })
    }

    public func number(_ n: Int) -> String { digits(String(n)) }
}
