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

    @Option(help: ArgumentHelp(
        "Where the reader is, for the helplines and agencies the advice names: bd (Bangladesh), in (India) or other (no country's numbers). Default: the territory of LC_ALL, LC_MESSAGES or LANG (bn_BD → bd, bn_IN → in, en_GB → other); bd when none names one.",
        valueName: "region"))
    var region: Region?

    func validate() throws {
        if let lang, Catalog.builtIn[lang] == nil {
            throw ValidationError("--lang must be one of \(Catalog.languages.joined(separator: ", ")), not '\(lang)'")
        }
    }

    /// The language asked for, else the one the locale variables name.
    var language: String { lang ?? Language.resolve() }

    /// The region asked for, else the one the locale variables name.
    var resolvedRegion: Region { region ?? Region.resolve() }

    /// Native digits are for text a person reads; machine formats keep ASCII digits.
    func explainer(text: Bool = true) -> Explainer {
        Explainer(localizer: Localizer(language: language, digits: text ? digits : .latin), region: resolvedRegion)
    }
}

extension DigitStyle: ExpressibleByArgument {}
extension Region: ExpressibleByArgument {}
