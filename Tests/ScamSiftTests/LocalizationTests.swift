import Foundation
import Testing
@testable import ScamSift

/// The catalogues (Catalog/*.yaml), the language a person reads, and rule descriptions per language.
@Suite struct CatalogTests {
    @Test func everyLanguageHasEveryKeyWithTheSamePlaceholders() throws {
        let english = Catalog.english
        #expect(Catalog.languages.contains("bn") && Catalog.languages.contains("en"))
        #expect(english.strings.count > 80)
        for code in Catalog.languages where code != "en" {
            let other = try #require(Catalog.builtIn[code])
            #expect(Set(other.strings.keys) == Set(english.strings.keys),
                    "\(code): missing \(Set(english.strings.keys).subtracting(other.strings.keys).sorted()), extra \(Set(other.strings.keys).subtracting(english.strings.keys).sorted())")
            for (key, template) in english.strings {
                guard let translated = other.strings[key] else { continue }
                #expect(Catalog.placeholders(translated) == Catalog.placeholders(template), "\(code): \(key)")
                #expect(!translated.trimmingCharacters(in: .whitespaces).isEmpty, "\(code): \(key) is empty")
            }
        }
    }

    @Test func theCompletenessCheckCanFail() throws {
        let a = try Catalog.parse("language: xx\nname: X\nstrings:\n  a: \"{n} pages\"\n", file: "x.yaml")
        let b = try Catalog.parse("language: yy\nname: Y\nstrings:\n  a: \"{count} pages\"\n", file: "y.yaml")
        #expect(Catalog.placeholders(a.strings["a"]!) != Catalog.placeholders(b.strings["a"]!))
        #expect(throws: Catalog.Problem.self) { try Catalog.parse("language: xx\nname: X\nstrings:\n  a: 1\n  a: 2\n", file: "d.yaml") }
        #expect(throws: Catalog.Problem.self) { try Catalog.parse("language: xx\nname: X\nnative_digits: \"12\"\nstrings: {}\n", file: "d.yaml") }
    }

    /// The built-in catalogues and theme map are read without Yams at start-up: that reading
    /// must give what Yams gives, for every one of them.
    @Test func everyBuiltInCatalogueAndTheThemeMapReadTheSameWithoutYams() throws {
        let files = BuiltInRuleFiles.catalogs.filter { Language.isCode(Catalog.code(ofFile: $0.name)) }
        #expect(files.count >= 2)
        for file in files {
            let fields = try #require(PlainYAML.read(file.text), "\(file.name) is not in the plain shape")
            let fast = try #require(Catalog.plain(fields), "\(file.name)")
            let yams = try Catalog.parseYAML(file.text, file: file.name)
            #expect(fast.language == yams.language && fast.name == yams.name && fast.nativeDigits == yams.nativeDigits, "\(file.name)")
            let differing = Set(fast.strings.keys).union(yams.strings.keys).filter { fast.strings[$0] != yams.strings[$0] }
            #expect(differing.isEmpty, "\(file.name): \(differing.sorted())")
        }
        let themes = try #require(BuiltInRuleFiles.catalogs.first { $0.name == "Catalog/themes.yaml" })
        #expect(PlainYAML.read(themes.text) != nil)
        let fast = try ThemeMap.parse(themes.text, file: themes.name), yams = try ThemeMap.parseYAML(themes.text, file: themes.name)
        #expect(fast.themes == yams.themes && fast.categories == yams.categories && fast.rules == yams.rules)
        #expect(fast.themes.count > 5 && fast.categories.count > 5)
    }

    /// Shapes the plain reader does not take go to Yams, and what it does take it reads as Yams does.
    @Test func otherShapesAreLeftToYamsAndPlainOnesReadAlike() throws {
        let head = "language: xx\nname: X\nstrings:\n"
        let leftToYams = [
            "  a: \"two\\nlines\"\n", "  a: 'single'\n", "  a: \"x\"# note\n", "  a: one\n    two\n", "  a: |\n    block\n",
            "  a:\tx\n", "  a: x\r\n", "  a: \"tab\there\"\n", "  a: [1, 2]\n", "  a: k: v\n", "  a: \"open\n", "  a: x:\n",
            "  a: x\u{2028}y\n", "  a: x\u{85}y\n", "  \"a\": x\n", "  a:\n", "  a:b\n", "  a: x\n  a: y\n", "  a: x\n  - y\n",
            "  a: x\nstrings:\n  b: y\n", "  a: x\nlanguage: yy\n", "  a: x\nother:\n", "  a: x\nother:\nmore: y\n",
        ]
        for body in leftToYams {
            #expect(PlainYAML.read(head + body) == nil, "\(body.debugDescription)")
        }
        let readAlike = [
            "  a: plain words, with \"quotes\" inside\n", "  a: \"say \\\"hi\\\" \\\\ now\"   \n", "  a: yes\n  b: 12\n  c: ~\n",
            "  # a comment\n\n  a: বাংলা {n}\n", "  a: trailing spaces   \n", "  a: x # a note\n  b: \"y\"  # a note\n",
            "  a: 50%#off\n", "  a: one-two\nextra: \"z\"\n",
        ]
        for body in readAlike {
            let text = head + body
            let fields = try #require(PlainYAML.read(text), "\(body.debugDescription)")
            let plain = try #require(Catalog.plain(fields), "\(body.debugDescription)")
            #expect(plain.strings == (try Catalog.parseYAML(text, file: "x.yaml")).strings, "\(body.debugDescription)")
        }
        // Read plainly but not a valid catalogue: Yams's reading gives the message.
        #expect(PlainYAML.read("language: 12345\nname: X\nstrings:\n  a: b\n") != nil)
        #expect(throws: Catalog.Problem.self) { try Catalog.parse("language: 12345\nname: X\nstrings:\n  a: b\n", file: "x.yaml") }
        // A theme map naming a theme it does not list goes to Yams, which says where.
        let badThemes = "themes:\n  - a   # first\n  - b\ncategories:\n  deposit: c\n"
        #expect(PlainYAML.read(badThemes) == .some(["themes": .sequence(["a", "b"]), "categories": .mapping(["deposit": "c"])]))
        #expect(throws: Catalog.Problem.self) { try ThemeMap.parse(badThemes, file: "t.yaml") }
        // An empty block is YAML's null, not an empty mapping: Yams's reading refuses it.
        #expect(throws: Catalog.Problem.self) { try ThemeMap.parse("themes:\n  - a\ncategories:\nrules:\n  x: a\n", file: "t.yaml") }
    }

    @Test func everyThemeHasWordsAndEveryShownRuleAThemeOrIsACombination() throws {
        let themes = ThemeMap.builtIn
        #expect(themes.themes.count >= 5)
        for code in Catalog.languages {
            for theme in themes.themes { #expect(Catalog.builtIn[code]!.strings["theme.\(theme)"] != nil, "\(code): theme.\(theme)") }
        }
        let shown = RuleSet.builtIn.rules.filter { !$0.spec.isHelper }
        let unthemed = shown.filter { themes.theme(rule: $0.id, category: $0.spec.category) == nil && $0.spec.category != "combo" }
        #expect(unthemed.isEmpty, "\(unthemed.map(\.id))")
        // Overrides name rules that exist.
        for id in themes.rules.keys { #expect(RuleSet.builtIn.rule(id) != nil, "themes.yaml names unknown rule \(id)") }
    }

    @Test func fillingAndDigits() {
        #expect(Catalog.fill("{a} and {b}", ["a": "x", "b": "y"]) == "x and y")
        #expect(Catalog.fill("{a} stays {b}", ["a": "x"]) == "x stays {b}")
        #expect(Catalog.fill("no placeholder", ["a": "x"]) == "no placeholder")
        #expect(Catalog.fill("{a}{b}", ["a": "১", "b": "২"]) == "১২")
        #expect(Catalog.fill("স্কোর {score}, {verdict}।", ["score": "৮০", "verdict": "প্রতারণা"]) == "স্কোর ৮০, প্রতারণা।")
        // A brace never closed stays as written, once.
        #expect(Catalog.fill("{a} then {open", ["a": "x"]) == "x then {open")
        #expect(Catalog.fill("}{a}", ["a": "x"]) == "}x")
        let bn = Localizer(language: "bn", digits: .native)
        #expect(bn.digits("12.5% of 100") == "১২.৫% of ১০০")
        #expect(bn.number(2024) == "২০২৪")
        #expect(Localizer(language: "bn").number(2024) == "2024")
        // English has no digits of its own: native changes nothing.
        #expect(Localizer(language: "en", digits: .native).number(2024) == "2024")
        // A catalogue's own figures follow --digits; filled-in values (page words) do not.
        #expect(bn("report.score_value", ["score": "7"]) == "7/১০০")
        #expect(Localizer(language: "bn")("missing.key.for.test") == "‹missing.key.for.test›")
    }
}

/// The advice that depends on where the reader is: Bangladesh's helplines and agencies, or
/// the same advice without a country's numbers.
@Suite struct RegionTests {
    @Test func theLocalesTerritoryDecides() {
        #expect(Region.resolve(environment: [:]) == .bangladesh)
        #expect(Region.resolve(environment: ["LANG": "C.UTF-8"]) == .bangladesh)
        #expect(Region.resolve(environment: ["LANG": "bn"]) == .bangladesh)
        #expect(Region.resolve(environment: ["LANG": "bn_BD.UTF-8"]) == .bangladesh)
        #expect(Region.resolve(environment: ["LANG": "en_GB.UTF-8"]) == .other)
        #expect(Region.resolve(environment: ["LANG": "bn_IN@latin"]) == .india)
        #expect(Region.resolve(environment: ["LANG": "hi_IN.UTF-8"]) == .india)
        #expect(Region.resolve(environment: ["LANG": "en_PK.UTF-8"]) == .other)
        #expect(Region.resolve(environment: ["LC_ALL": "en_US.UTF-8", "LANG": "bn_BD.UTF-8"]) == .other)
        #expect(Region.resolve(environment: ["LC_ALL": "", "LC_MESSAGES": "bn_BD", "LANG": "en_US"]) == .bangladesh)
    }

    @Test func otherRegionsGetNoBangladeshNumbers() {
        for language in ["en", "bn"] {
            let l = Localizer(language: language)
            for verdict in [Verdict.likelyScam, .suspicious] {
                let bd = Explainer(localizer: l, region: .bangladesh).advice(verdict)
                let other = Explainer(localizer: l, region: .other).advice(verdict)
                #expect(bd.joined().contains("16247") && bd.contains(l("advice.report_bd")), "\(language) \(verdict)")
                #expect(!other.joined().contains("16247") && !other.joined().contains("999"), "\(language) \(verdict)")
                #expect(other.contains(l("advice.report_other")) && other.contains(l("advice.sent_money_other")))
                #expect(bd.count == other.count)
            }
        }
    }

    @Test func indiaGetsItsHelplineAndPortal() {
        for language in ["en", "bn"] {
            let l = Localizer(language: language)
            for verdict in [Verdict.likelyScam, .suspicious] {
                let india = Explainer(localizer: l, region: .india).advice(verdict)
                #expect(india.joined().contains("1930") && india.joined().contains("cybercrime.gov.in"), "\(language) \(verdict)")
                #expect(!india.joined().contains("16247") && !india.joined().contains("999"), "\(language) \(verdict)")
                #expect(india.count == Explainer(localizer: l, region: .other).advice(verdict).count)
            }
            // Advice that names no country stays the same everywhere.
            #expect(Explainer(localizer: l, region: .india).advice(.lowRisk) == Explainer(localizer: l, region: .bangladesh).advice(.lowRisk))
        }
    }
}

@Suite struct LanguageResolutionTests {
    @Test func localeVariablesInPOSIXOrder() {
        #expect(Language.resolve(environment: [:]) == "en")
        #expect(Language.resolve(environment: ["LANG": "bn_BD.UTF-8"]) == "bn")
        #expect(Language.resolve(environment: ["LANG": "bn"]) == "bn")
        #expect(Language.resolve(environment: ["LANG": "bn_IN@latin"]) == "bn")
        #expect(Language.resolve(environment: ["LC_MESSAGES": "bn_BD.UTF-8", "LANG": "en_US.UTF-8"]) == "bn")
        #expect(Language.resolve(environment: ["LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "bn_BD", "LANG": "bn_BD"]) == "en")
        #expect(Language.resolve(environment: ["LC_ALL": "bn_BD.UTF-8", "LANG": "en_US.UTF-8"]) == "bn")
        // Set but empty does not count; the next one decides.
        #expect(Language.resolve(environment: ["LC_ALL": "", "LANG": "bn_BD.UTF-8"]) == "bn")
        // A language without a catalogue, C and POSIX give English (they do not fall through).
        #expect(Language.resolve(environment: ["LC_ALL": "fr_FR.UTF-8", "LANG": "bn_BD.UTF-8"]) == "en")
        #expect(Language.resolve(environment: ["LANG": "C.UTF-8"]) == "en")
        #expect(Language.resolve(environment: ["LANG": "POSIX"]) == "en")
    }
}

@Suite struct DescriptionMapTests {
    static func load(_ description: String) throws -> RuleFile {
        try RuleFileLoader.parse(text: """
        rules:
          - id: t.rule
            category: deposit
        \(description)
            weight: 5
            phrases: [abc def]
            examples: {hit: [abc def]}
        """, file: "t.yaml")
    }

    static func problems(_ description: String) -> [String] {
        do { return try load(description).warnings.map(\.description) } catch let e as RuleLoadError { return e.problems.map(\.description) } catch { return ["\(error)"] }
    }

    @Test func plainTextIsEnglishAndAMapGivesEachLanguage() throws {
        let plain = try Self.load("    description: Asks for money")
        #expect(plain.rules[0].descriptions.texts == ["en": "Asks for money"])
        #expect(plain.rules[0].descriptions.text(for: "bn") == "Asks for money")
        let map = try Self.load("    description:\n      en: Asks for money\n      bn: টাকা চায়")
        #expect(map.rules[0].descriptions.text(for: "bn") == "টাকা চায়")
        #expect(map.rules[0].description == "Asks for money")
        #expect(map.warnings.isEmpty)
        let flow = try Self.load("    description: {bn: টাকা চায়}")
        // Without English, English readers get the first language there is.
        #expect(flow.rules[0].descriptions.text(for: "en") == "টাকা চায়")
    }

    @Test func badMapsAreErrorsWithFileAndLine() {
        #expect(Self.problems("    description: [a, b]") == ["t.yaml:4:18: error: 'description' must be text, or a mapping of language codes to texts ({en: …, bn: …}), not a list"])
        #expect(Self.problems("    description:\n      english: Asks") == ["t.yaml:5:7: error: 'description' has a key 'english' that is not a language code such as en or bn"])
        #expect(Self.problems("    description:\n      en: [a]") == ["t.yaml:5:11: error: 'description.en' must be text, not a list"])
        #expect(Self.problems("    description: {}") == ["t.yaml:4:18: error: 'description' gives no text: write {en: …, bn: …} or a plain text"])
    }

    @Test func anUnknownLanguageCodeIsAWarning() {
        #expect(Self.problems("    description:\n      en: Asks\n      bm: টাকা চায়")
                == ["t.yaml:6:7: warning: 'description' has a text in 'bm', a language ScamSift does not know (did you mean 'bn'?); it is never shown"])
    }

    @Test func lintWarnsAboutAMissingLanguageButNotAnError() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("r.yaml").path
        try "rules:\n  - id: t.rule\n    category: deposit\n    description: Asks for money\n    weight: 5\n    phrases: [abc def]\n    examples: {hit: [abc def]}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(RuleLinter.lint(paths: [file]).map(\.description)
                == ["\(file):2:5: warning: rule 't.rule' has no 'bn' description (বাংলা); its readers see the English one"])
        let r = try CLI.run(["rules", "lint", file])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(try CLI.run(["rules", "lint", "--strict", file]).status == 1)
        try "rules:\n  - id: t.rule\n    category: deposit\n    description: {en: Asks for money, bn: টাকা চায়}\n    weight: 5\n    phrases: [abc def]\n    examples: {hit: [abc def]}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(RuleLinter.lint(paths: [file]).isEmpty)
    }

    @Test func everyBuiltInRuleSpeaksEveryLanguage() throws {
        let files = try RuleSet.builtInFiles(trusted: false)
        let missing = files.flatMap(RuleLinter.missingDescriptions)
        #expect(missing.isEmpty, "\(missing.prefix(5).map(\.description))")
        // And the Bengali is not the English copied over.
        for rule in files.flatMap(\.rules) where !rule.isHelper {
            #expect(rule.descriptions.text(for: "bn") != rule.descriptions.text(for: "en"), "\(rule.id)")
        }
    }

    @Test func anOverrideReplacesEveryLanguage() throws {
        let base = try RuleFileLoader.parse(text: "rules:\n  - id: t.rule\n    category: deposit\n    description: {en: Old, bn: পুরোনো}\n    weight: 5\n    phrases: [abc def]\n    examples: {hit: [abc def]}\n", file: "a.yaml")
        let over = try RuleFileLoader.parse(text: "override:\n  - {id: t.rule, description: New}\n", file: "b.yaml")
        let set = try RuleSet(files: [base, over])
        #expect(set.rule("t.rule")?.spec.descriptions.text(for: "bn") == "New")
    }
}

/// The headline, reasons and advice on every sample, in every language.
@Suite struct ExplanationTests {
    static let engine = Engine(rules: .builtIn)

    static func reports() throws -> [Report] {
        try ["scam", "legit"].flatMap { label in
            try samples(label).map { name in
                let path = samplesDirectory() + "/\(label)/" + name
                return try engine.score(html: Data(contentsOf: URL(fileURLWithPath: path)), source: path)
            }
        }
    }

    @Test func noHelperRuleAndNoMissingStringIsEverShown() throws {
        let helpers = RuleSet.builtIn.rules.filter(\.spec.isHelper).map(\.id)
        #expect(helpers.count > 20)
        for report in try Self.reports() {
            for code in Catalog.languages {
                let explainer = Explainer(localizer: Localizer(language: code))
                for text in [ReportFormatter.text(report, explainer: explainer), ReportFormatter.text(report, explainer: explainer, ruleIDs: true),
                             ReportFormatter.brief(report, explainer: explainer)] {
                    #expect(!text.contains("‹"), "\(report.source) \(code): a catalogue key is missing")
                    let shown = helpers.filter { text.contains($0 + " ") || text.contains($0 + "]") || text.contains($0 + "\n") }
                    #expect(shown.isEmpty, "\(report.source) \(code): \(shown)")
                }
            }
        }
    }

    /// JSON's headline is built without the reasons' texts and quotes; it must be the same.
    @Test func theQuickHeadlineIsTheFullExplanationsHeadline() throws {
        for report in try Self.reports() {
            for code in Catalog.languages {
                let explainer = Explainer(localizer: Localizer(language: code))
                #expect(explainer.headline(report) == explainer.explain(report).headline, "\(report.source) \(code)")
            }
        }
    }

    @Test func headlinesFollowTheVerdictAndNameTheStrongestThemes() throws {
        let en = Explainer.english
        var seen = Set<Verdict>()
        for report in try Self.reports() {
            let e = en.explain(report)
            seen.insert(report.verdict)
            let sentences = e.headline.split(separator: ".", omittingEmptySubsequences: true).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect((1...3).contains(sentences.count), "\(report.source): \(e.headline)")
            switch report.verdict {
            case .likelyScam: #expect(e.headline.contains("do not send it money"), "\(report.source)")
            case .suspicious: #expect(e.headline.contains("check it well"), "\(report.source)")
            case .lowRisk: #expect(!e.headline.contains("do not send"), "\(report.source)")
            case .unknown: #expect(e.headline.hasPrefix("ScamSift cannot judge this page"), "\(report.source)")
            }
            // The strongest warning theme is in a warning headline.
            if report.verdict == .likelyScam, let top = en.themesOf(e.reasons.filter { $0.points > 0 }).first {
                #expect(e.headline.contains(Localizer.english("theme.\(top)")), "\(report.source)")
            }
            #expect(e.advice.count == (report.verdict == .lowRisk ? 1 : report.verdict == .unknown ? 3 : 5))
        }
        #expect(seen.isSuperset(of: [.likelyScam, .lowRisk]))
    }

    @Test func unknownPagesSayWhy() throws {
        let page = try Self.engine.score(html: Data("<html><body><div id=app></div><script src=a.js></script></body></html>".utf8), source: "shell")
        #expect(page.verdict == .unknown)
        let en = Explainer.english.explain(page).headline
        #expect(en == "ScamSift cannot judge this page: the page is built by its scripts, which ScamSift does not run (0 characters of text). That is not a sign that it is safe.")
        let bn = Explainer(localizer: Localizer(language: "bn")).explain(page).headline
        #expect(bn.hasPrefix("ScamSift এই পাতা বিচার করতে পারছে না: পাতাটি স্ক্রিপ্ট দিয়ে তৈরি"))
    }

    @Test func listsJoinWithTheLanguagesOwnWords() {
        #expect(Explainer.english.list(["a"]) == "a")
        #expect(Explainer.english.list(["a", "b"]) == "a and b")
        #expect(Explainer.english.list(["a", "b", "c"]) == "a, b and c")
        #expect(Explainer(localizer: Localizer(language: "bn")).list(["ক", "খ", "গ"]) == "ক, খ এবং গ")
    }
}

/// `scamsift score --lang`, `--brief`, `--digits`, and the locale variables, end to end.
@Suite struct LocalizedCLITests {
    static let scamPage = samplesDirectory() + "/scam/bn-task-vip-recharge-shoptask.html"
    static let env = ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"]

    static func json(_ arguments: [String], environment: [String: String] = env) throws -> [String: Any] {
        let r = try CLI.run(["score", "-f", "json"] + arguments, environment: environment)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require((document["results"] as? [[String: Any]])?.first)
    }

    /// The English catalogue's own words: its texts without placeholders, cut at them, that are
    /// not also written in the other catalogues (names such as ScamSift, bKash, BGD e-GOV CIRT).
    static func englishOnlyPhrases() -> [String] {
        let others = Catalog.languages.filter { $0 != "en" }.flatMap { Catalog.builtIn[$0]!.strings.values }
        return Catalog.english.strings.values.flatMap { template in
            template.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "\u{0}", options: .regularExpression).split(separator: "\u{0}")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)) }
        }.filter { phrase in phrase.filter(\.isLetter).count >= 4 && !others.contains { $0.contains(phrase) } }
    }

    @Test func bengaliReportHasTheBengaliHeadlineAndVerdictAndNoEnglish() throws {
        let r = try CLI.run(["score", "--lang", "bn", Self.scamPage], environment: Self.env)
        #expect(r.status == 1)
        let result = try Self.json(["--lang", "bn", Self.scamPage])
        let headline = try #require(result["headline"] as? String)
        #expect(headline.hasPrefix("এই সাইট"))
        #expect(r.stdout.contains("\n" + headline + "\n"))
        #expect(r.stdout.contains("রায়:") && r.stdout.contains("সম্ভবত প্রতারণা"))
        #expect(r.stdout.contains("কী করবেন:"))
        let phrases = Self.englishOnlyPhrases()
        #expect(phrases.count > 50)
        let leaked = phrases.filter { r.stdout.contains($0) }
        #expect(leaked.isEmpty, "English in the Bengali report: \(leaked)")
        // Nor any rule's English description.
        for hit in try #require(result["hits"] as? [[String: Any]]) {
            let id = try #require(hit["id"] as? String)
            if let english = RuleSet.builtIn.rule(id)?.spec.description { #expect(!r.stdout.contains(english), "\(id)") }
        }
        // The detector can fail: the same page in English is full of them.
        let en = try CLI.run(["score", "--lang", "en", Self.scamPage], environment: Self.env)
        #expect(phrases.filter { en.stdout.contains($0) }.count > 10)
    }

    @Test func theLocaleChoosesTheLanguageAndLangBeatsIt() throws {
        let bengali = try CLI.run(["score", "--brief", Self.scamPage], environment: ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "bn_BD.UTF-8"])
        #expect(bengali.stdout.hasPrefix("এই সাইট"))
        let overridden = try CLI.run(["score", "--brief", "--lang", "en", Self.scamPage], environment: ["LANG": "bn_BD.UTF-8"])
        #expect(overridden.stdout.hasPrefix("This site"))
        let allWins = try CLI.run(["score", "--brief", Self.scamPage], environment: ["LC_ALL": "en_US.UTF-8", "LANG": "bn_BD.UTF-8"])
        #expect(allWins.stdout.hasPrefix("This site"))
        let unknown = try CLI.run(["score", "--brief", Self.scamPage], environment: ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "de_DE.UTF-8"])
        #expect(unknown.stdout.hasPrefix("This site"))
        let bad = try CLI.run(["score", "--lang", "xx", Self.scamPage])
        #expect(bad.status == 2 && bad.stderr.contains("--lang must be one of bn, en"), "\(bad.stderr)")
    }

    @Test func briefIsTheHeadlineTheScoreAndTheThreeStrongestReasons() throws {
        for lang in ["en", "bn"] {
            let r = try CLI.run(["score", "--brief", "--lang", lang, Self.scamPage], environment: Self.env)
            #expect(r.status == 1)
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            let result = try Self.json(["--lang", lang, Self.scamPage])
            let hits = try #require(result["hits"] as? [[String: Any]])
            let strongest = hits.filter { ($0["points"] as! Int) != 0 }
                .sorted { (abs($0["points"] as! Int), $1["id"] as! String) > (abs($1["points"] as! Int), $0["id"] as! String) }
                .prefix(3).map { "  - " + ($0["description"] as! String) }
            let verdict = Explainer(localizer: Localizer(language: lang)).verdict(.likelyScam)
            let score = lang == "en" ? "Score: 100/100, \(verdict)" : "স্কোর: 100/100, \(verdict)"
            #expect(lines == [result["headline"] as! String, score] + strongest, "\(lang): \(r.stdout)")
            #expect(lines.count == 5)
        }
        #expect(try CLI.run(["score", "--brief", "-f", "json", Self.scamPage]).status == 2)
    }

    @Test func nativeDigitsInTextOnly() throws {
        let r = try CLI.run(["score", "--lang", "bn", "--digits", "native", Self.scamPage], environment: Self.env)
        let scoreLine = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("স্কোর:") })
        // The cut-offs are the fitted ones (Rules/scores.yaml), so they are read, not written here.
        let bengali = Localizer(language: "bn", digits: .native), cutoffs = RuleSet.builtIn.cutoffs
        #expect(scoreLine.contains("১০০/১০০") && scoreLine.contains(bengali.number(cutoffs.suspicious))
                && scoreLine.contains(bengali.number(cutoffs.likelyScam)), "\(scoreLine)")
        #expect(!scoreLine.contains { $0.isASCII && $0.isNumber }, "\(scoreLine)")
        let latin = try CLI.run(["score", "--lang", "bn", Self.scamPage], environment: Self.env)
        #expect(latin.stdout.contains("100/100"))
        // JSON keeps its numbers, and the texts written for a person keep ASCII digits.
        let json = try CLI.run(["score", "-f", "json", "--lang", "bn", "--digits", "native", Self.scamPage], environment: Self.env)
        #expect(json.stdout.contains("\"score\" : 100") && !json.stdout.contains("১০০/১০০"))
    }

    @Test func jsonTextsFollowTheLanguageAndKeysStayEnglish() throws {
        let en = try Self.json([Self.scamPage])
        let bn = try Self.json(["--lang", "bn", Self.scamPage])
        #expect(Set(en.keys) == Set(bn.keys))
        #expect(en["verdict"] as? String == "likely-scam" && bn["verdict"] as? String == "likely-scam")
        #expect((en["headline"] as? String)?.hasPrefix("This site") == true)
        #expect((bn["headline"] as? String)?.hasPrefix("এই সাইট") == true)
        let enAdvice = try #require(en["advice"] as? [String]), bnAdvice = try #require(bn["advice"] as? [String])
        #expect(enAdvice.count == bnAdvice.count && enAdvice.count == 5 && enAdvice != bnAdvice)
        let enHits = try #require(en["hits"] as? [[String: Any]]), bnHits = try #require(bn["hits"] as? [[String: Any]])
        for (a, b) in zip(enHits, bnHits) where a["id"] as? String != "text_model" {
            let rule = try #require(RuleSet.builtIn.rule(a["id"] as! String))
            #expect(a["description"] as? String == rule.spec.descriptions.text(for: "en"))
            #expect(b["description"] as? String == rule.spec.descriptions.text(for: "bn"))
        }
    }

    @Test func ruleIDsAreForRuleWritersOnly() throws {
        let plain = try CLI.run(["score", Self.scamPage], environment: Self.env)
        #expect(!plain.stdout.contains("deposit.vip_recharge"))
        let ids = try CLI.run(["score", "--rule-ids", Self.scamPage], environment: Self.env)
        #expect(ids.stdout.contains("deposit.vip_recharge"))
        #expect(!ids.stdout.contains("_c_"))
    }

    @Test func rulesListAndShowSpeakTheLanguage() throws {
        let list = try CLI.run(["rules", "list", "--lang", "bn"], environment: Self.env)
        #expect(list.stdout.contains("আয় শুরুর আগে ন্যূনতম জমা, বিনিয়োগ বা রিচার্জ চায়"))
        let json = try CLI.run(["rules", "list", "--format", "json"], environment: Self.env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let minimum = try #require(rows.first { $0["id"] as? String == "deposit.minimum" })
        #expect((minimum["descriptions"] as? [String: String])?.keys.sorted() == ["bn", "en"])
        let show = try CLI.run(["rules", "show", "deposit.minimum"], environment: Self.env)
        #expect(show.stdout.contains("description: en: Asks for a minimum deposit") && show.stdout.contains("             bn: আয় শুরুর আগে"))
    }
}
