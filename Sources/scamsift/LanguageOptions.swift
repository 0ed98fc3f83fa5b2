import ArgumentParser
import Foundation
import ScamSift

/// `--lang` and `--digits`: the language a person reads the output in.
struct LanguageOptions: ParsableArguments {
    @Option(name: .customLong("lang"), help: ArgumentHelp(
        "The language of what a person reads: \(Catalog.languages.joined(separator: ", ")) (default: from LC_ALL, LC_MESSAGES or LANG; English when none names one of these). JSON keys stay English.",
        valueName: "code"))
    var lang: String?

    @Option(help: "Digits in text output: latin (0-9) or native (the language's own, such as ০-৯ for bn).")
    var digits: DigitStyle = .latin

    func validate() throws {
        if let lang, Catalog.builtIn[lang] == nil {
            throw ValidationError("--lang must be one of \(Catalog.languages.joined(separator: ", ")), not '\(lang)'")
        }
    }

    /// The language asked for, else the one the locale variables name.
    var language: String { lang ?? Language.resolve() }

    /// Native digits are for text a person reads; machine formats keep ASCII digits.
    func explainer(text: Bool = true) -> Explainer {
        Explainer(localizer: Localizer(language: language, digits: text ? digits : .latin))
    }
}

extension DigitStyle: ExpressibleByArgument {}
