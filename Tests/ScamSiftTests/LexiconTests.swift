import Foundation
import PathologicalPages
import Testing
@testable import ScamSift

/// Concepts and lexicons: `{deposit}` in rules, one lexicon file per language.
@Suite struct LexiconTests {
    /// A rule set from inline YAML files (no built-ins), or the load error.
    static func rules(_ files: [(String, String)]) throws -> RuleSet {
        try RuleSet(files: files.map { try RuleFileLoader.parse(text: $0.1, file: $0.0) })
    }

    static func problems(_ files: [(String, String)]) -> [RuleFileError] {
        do {
            let set = try rules(files)
            return set.warnings
        } catch let error as RuleLoadError {
            return error.problems
        } catch {
            return []
        }
    }

    static func fires(_ set: RuleSet, _ id: String, _ html: String) throws -> Bool {
        try Engine(rules: set).score(html: Data("<html><body>\(html)</body></html>".utf8), source: "t").hits.contains { $0.id == id }
    }

    static let french = ("fr.yaml", """
        language: fr
        name: Français
        stopwords: [le, la, les, des, est, et, pour, vous, une, un]
        concepts:
          deposit: ["dépôt*", "depot*"]
          per_day: [par jour, quotidien]
          minimum: [minimum, minimal]
        """)
    static let english = ("en.yaml", """
        language: en
        stopwords: [the, and, of, to, is, you, for, with]
        concepts:
          deposit: ["deposit*"]
          per_day: [per day, daily]
          minimum: [minimum]
        """)

    static func rule(_ body: String) -> (String, String) {
        ("rules.yaml", """
        rules:
          - id: t.rule
            category: t
            description: t
            weight: 10
        \(body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            examples: {hit: ["x"]}
        """)
    }

    @Test func aConceptMatchesItsPhrasesInEveryLanguage() throws {
        let set = try Self.rules([Self.english, Self.french, Self.rule("phrases: [\"{deposit}\"]")])
        #expect(try Self.fires(set, "t.rule", "<p>Faites un dépôt de 50 €</p>"))
        #expect(try Self.fires(set, "t.rule", "<p>Make a deposit today</p>"))
        #expect(try Self.fires(set, "t.rule", "<p>Les dépôts sont ouverts</p>"))      // the * lift
        #expect(try !Self.fires(set, "t.rule", "<p>Nothing here about money</p>"))
    }

    @Test func aTemplateExpandsWithinEachLanguageOnly() throws {
        let set = try Self.rules([Self.english, Self.french, Self.rule("phrases: [\"{deposit} {minimum}\"]")])
        #expect(try Self.fires(set, "t.rule", "<p>Un dépôt minimum de 10 €</p>"))
        // Words of two languages are never joined.
        #expect(try !Self.fires(set, "t.rule", "<p>Un deposit minimal</p>"))
        let rule = try #require(set.rule("t.rule"))
        guard case let .phrases(phrases) = rule.spec.matcher else { Issue.record("not phrases"); return }
        #expect(Set(phrases.map(\.text)) == ["deposit minimum", "dépôt minimum", "dépôt minimal", "depot minimum", "depot minimal"])
    }

    /// A template of several concepts multiplies their phrases; past a thousand, lint warns and
    /// names the pair as the cheaper way. One concept alone, however long, is no template.
    @Test func aTemplateOfManyPhrasesIsWarnedAbout() throws {
        let many = (1...40).map { "w\($0)" }.joined(separator: ", ")
        let lexicon = ("en.yaml", "language: en\nconcepts:\n  guaranteed: [\(many)]\n  profit: [\(many)]\n  minimum: [minimum]\n")
        let big = Self.problems([lexicon, Self.rule("phrases: [\"{guaranteed} {profit}\"]")])
        #expect(big.contains { $0.severity == .warning && $0.message.contains("expands to 1600 phrases") && $0.message.contains("sentence: true") })
        #expect(!Self.problems([lexicon, Self.rule("phrases: [\"{guaranteed}\"]")]).contains { $0.message.contains("expands to") })
        #expect(!Self.problems([lexicon, Self.rule("phrases: [\"{guaranteed} {minimum}\"]")]).contains { $0.message.contains("expands to") })
    }

    @Test func aTemplateJoinsScriptsWithoutSpacesWithoutASpace() throws {
        let chinese = ("zh.yaml", "language: zh\nconcepts:\n  guaranteed: [保本]\n  profit: [收益]\n")
        let set = try Self.rules([Self.english, chinese, Self.rule("phrases: [\"{guaranteed} {profit}\"]")])
        #expect(try Self.fires(set, "t.rule", "<p>本平台保本收益每日到账</p>"))
    }

    @Test func conceptsWorkInNearNegationAndRegex() throws {
        let near = try Self.rules([Self.english, Self.french, Self.rule("near: {a: [\"{deposit}\"], b: [\"{per_day}\"], within: 4}")])
        #expect(try Self.fires(near, "t.rule", "<p>Dépôt de 100 €, 3 % par jour</p>"))
        let regex = try Self.rules([Self.english, Self.french, Self.rule("regex: '{num}\\s?%\\s?{per_day}'")])
        #expect(try Self.fires(regex, "t.rule", "<p>Gagnez 2,5 % par jour</p>"))
        #expect(try Self.fires(regex, "t.rule", "<p>Earn 3% daily</p>"))
        #expect(try !Self.fires(regex, "t.rule", "<p>3% par an</p>"))
        let negated = try Self.rules([Self.english, Self.french, ("neg.yaml", """
            lexicon:
              no: ["sans", "no"]
            """), Self.rule("phrases: [\"{deposit}\"]\nnegated_by: {before: [\"{no}\"]}")])
        #expect(try !Self.fires(negated, "t.rule", "<p>Inscription sans dépôt</p>"))
        #expect(try Self.fires(negated, "t.rule", "<p>Un dépôt est exigé</p>"))
    }

    @Test func aRulesFileCanExtendAConceptOrAddOne() throws {
        let set = try Self.rules([Self.english, ("mine.yaml", """
            lexicon:
              deposit: [pay in]
              brand: [megaprofit club]
            rules:
              - id: t.deposit
                category: t
                description: t
                weight: 5
                phrases: ["{deposit}"]
                examples: {hit: ["pay in"]}
              - id: t.brand
                category: t
                description: t
                weight: 5
                phrases: ["{brand}"]
                examples: {hit: ["megaprofit club"]}
            """)])
        #expect(try Self.fires(set, "t.deposit", "<p>Pay in 20 USDT</p>"))
        #expect(try Self.fires(set, "t.deposit", "<p>Deposit 20 USDT</p>"))
        #expect(try Self.fires(set, "t.brand", "<p>Welcome to MegaProfit Club</p>"))
    }

    @Test func anUnknownConceptIsAnErrorWithItsPlaceAndASuggestion() {
        let problems = Self.problems([Self.english, Self.rule("phrases: [\"{deposits}\"]")])
        let p = problems.first { $0.message.contains("unknown concept '{deposits}'") }
        #expect(p != nil)
        #expect(p?.file == "rules.yaml")
        #expect(p?.line == 6)
        #expect(p?.message.contains("did you mean 'deposit'") == true)
        let inRegex = Self.problems([Self.english, Self.rule("regex: '{num}\\s?%\\s?{per_dya}'")])
        #expect(inRegex.contains { $0.message.contains("unknown concept '{per_dya}'") && $0.severity == .error })
    }

    @Test func badLexiconsAreReportedWithFileLineAndColumn() {
        func problems(_ text: String) -> [RuleFileError] {
            do { _ = try RuleFileLoader.parse(text: text, file: "xx.yaml"); return [] } catch let e as RuleLoadError { return e.problems } catch { return [] }
        }
        let notYAML = problems("language: fr\nconcepts: [unclosed\n")
        #expect(notYAML.first?.message.contains("YAML") == true)
        let twice = problems("language: fr\nconcepts:\n  deposit: [dépôt]\n  deposit: [versement]\n")
        #expect(twice.contains { $0.line == 3 && $0.message.contains("duplicate key deposit") })
        let empty = problems("language: fr\nconcepts:\n  deposit: [\"\", dépôt]\n")
        #expect(empty.contains { $0.line == 3 && $0.column == 13 && $0.message.contains("empty") })
        let emptyList = problems("language: fr\nconcepts:\n  deposit: []\n")
        #expect(emptyList.contains { $0.message.contains("has no phrases") })
        let badName = problems("language: fr\nconcepts:\n  Dépôt-Min: [dépôt minimum]\n")
        #expect(badName.contains { $0.line == 3 && $0.message.contains("not a valid concept name") })
        let repeated = problems("language: fr\nconcepts:\n  deposit: [dépôt, DÉPÔT]\n")
        #expect(repeated.contains { $0.message.contains("repeats") })
        let noLanguage = problems("concepts:\n  deposit: [dépôt]\n")
        #expect(noLanguage.contains { $0.message.contains("needs 'language:'") })
    }

    /// Korean spaces its words, yet one syllable is often a word (연 "a year", 일 "a day"): a
    /// lexicon may give one, matched as a whole word only; a single letter of another spaced
    /// script stays an error, and so does a syllable with a `*`.
    @Test func aSingleHangulSyllableIsAWholeWordOnly() throws {
        func problems(_ phrases: String) -> [RuleFileError] {
            do { _ = try RuleFileLoader.parse(text: "language: ko\nconcepts:\n  per_year: [\(phrases)]\n", file: "ko.yaml"); return [] }
            catch let e as RuleLoadError { return e.problems } catch { return [] }
        }
        #expect(problems("연, 연간").isEmpty)
        #expect(problems("\"연*\"").contains { $0.line == 3 && $0.message.contains("single Hangul syllable") })
        #expect(problems("\"*연\"").contains { $0.message.contains("single Hangul syllable") })
        #expect(problems("y").contains { $0.message.contains("single character") })
        let korean = ("ko.yaml", "language: ko\nconcepts:\n  per_year: [연]\n")
        let set = try Self.rules([korean, Self.rule("phrases: [\"{per_year}\"]")])
        #expect(try Self.fires(set, "t.rule", "<p>정기예금 연 3.5%</p>"))
        #expect(try !Self.fires(set, "t.rule", "<p>연간 수익률 3.5%</p>"))
        #expect(try !Self.fires(set, "t.rule", "<p>연락처 안내</p>"))
    }

    @Test func anUnknownLanguageCodeIsAWarningAndStillLoads() throws {
        let file = try RuleFileLoader.parse(text: "language: xq\nconcepts:\n  deposit: [dépôt]\n", file: "xq.yaml")
        #expect(file.concepts.count == 1)
        #expect(file.warnings.contains { $0.severity == .warning && $0.message.contains("unknown language code 'xq'") && $0.line == 1 })
    }

    @Test func aConceptMostLanguagesHaveIsAWarningWhereOneLacksIt() {
        let lexicons = ["aa", "bb", "cc", "dd"].map { code in
            ("\(code).yaml", "language: \(code)\nconcepts:\n  deposit: [\(code)deposit]\n" + (code == "dd" ? "" : "  withdraw: [\(code)withdraw]\n"))
        }
        let problems = Self.problems(lexicons)
        #expect(problems.contains { $0.file == "dd.yaml" && $0.severity == .warning && $0.message.contains("'withdraw'") })
        #expect(!problems.contains { $0.file != "dd.yaml" && $0.message.contains("has no phrases for concept") })
    }

    /// Every built-in lexicon defines at least 30 concepts, and the 15 languages the issue names are there.
    @Test func builtInLexiconsCoverFifteenLanguages() throws {
        let table = RuleSet.builtIn.concepts
        let codes = Set(table.languages.map(\.code))
        #expect(codes.isSuperset(of: ["en", "bn", "hi", "ur", "ar", "fa", "ru", "zh", "vi", "id", "ms", "th", "tr", "es", "pt", "fr"]))
        for code in codes {
            let defined = table.names.filter { name in table.concepts[name]!.contains { $0.language == code && !$0.phrases.isEmpty } }
            #expect(defined.count >= 30, "\(code) defines \(defined.count) concepts")
        }
    }

    /// For each main concept and each built-in language, some rule that names the concept (or
    /// joins helpers that name it, with `all` or `any`) has a `hit` example holding one of that
    /// language's phrases for it (the examples run as tests).
    @Test func mainConceptsHaveAHitExampleInEveryLanguage() throws {
        let files = try RuleSet.builtInFiles(trusted: true)
        let table = RuleSet.builtIn.concepts
        let byID = Dictionary(files.flatMap(\.rules).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func written(_ spec: RuleSpec, depth: Int = 0) -> [String] {
            var out: [String] = []
            switch spec.matcher {
            case let .phrases(p): out += p.map(\.text)
            case let .near(a, b, _, _): out += (a + b).map(\.text)
            case let .regex(pattern, _): out.append(pattern)
            case let .all(refs), let .any(refs):
                // A helper's words are tested by the examples of the rule that joins it.
                if depth < 4 { for r in refs { if let h = byID[r.name], h.isHelper { out += written(h, depth: depth + 1) } } }
            default: break
            }
            return out
        }
        func norm(_ s: String) -> String { String(decoding: TextNormalizer.normalize(s), as: UTF8.self) }
        let main = ["min_deposit", "activation_fee", "recharge", "vip_level", "per_day", "guaranteed", "withdraw", "referral"]
        var missing: [String] = []
        for concept in main {
            let examples = files.flatMap(\.rules).filter { written($0).contains { $0.contains("{\(concept)}") } }
                .flatMap(\.examples.hit).map(norm)
            #expect(!examples.isEmpty, "no rule names {\(concept)}")
            for (code, _, _) in table.languages {
                let phrases = table.phrases(concept, language: code).map { norm(PhraseSyntax.core($0.text)) }.filter { !$0.isEmpty }
                // Compared as bytes, as the automaton matches: a stem cut before a virama
                // ("గ్యారంట*" in "గ్యారంటీ") is no whole character, so `String.contains` misses it.
                if !examples.contains(where: { example in phrases.contains { Array(example.utf8).firstRange(of: Array($0.utf8)) != nil } }) {
                    missing.append("\(concept)/\(code)")
                }
            }
        }
        #expect(missing.isEmpty, "no hit example for \(missing.joined(separator: ", "))")
    }

    /// The counters of a fake statistics block are four concepts, each read by its own rule
    /// (`social.total_paid_out`, `social.total_deposited`, `social.running_days`,
    /// `social.live_ticker`). A phrase in two of them would score one counter twice.
    @Test func statisticsCountersShareNoPhrase() throws {
        let table = RuleSet.builtIn.concepts
        let counters = ["total_paid", "total_deposited", "days_running", "latest_payouts"]
        for (code, _, _) in table.languages {
            var seen: [String: String] = [:]
            for concept in counters {
                let phrases = table.phrases(concept, language: code).map(\.text)
                #expect(!phrases.isEmpty, "\(code) has no phrase for \(concept)")
                for phrase in phrases {
                    if let other = seen[phrase] { Issue.record("\(code): '\(phrase)' is in both \(other) and \(concept)") }
                    seen[phrase] = concept
                }
            }
        }
    }

    @Test func lexiconTableSaysWhatEachLanguageLacks() throws {
        let set = try Self.rules([Self.english, ("fr.yaml", "language: fr\nconcepts:\n  deposit: [dépôt]\n")])
        let table = LexiconTable(set.concepts)
        #expect(table.languages == ["en", "fr"])
        #expect(table.missing["fr"] == ["minimum", "per_day"])
        #expect(table.text.contains("fr lacks: minimum, per_day"))
    }
}

/// Scripts written without spaces: a phrase matches inside a run of them.
@Suite struct SpacelessScriptTests {
    static let set: RuleSet = {
        let text = """
            rules:
              - id: t.recharge
                category: t
                description: t
                weight: 10
                phrases: [充值, ฝากเงิน, vip, জমা]
                examples: {hit: ["充值"]}
            """
        return try! RuleSet(files: [try! RuleFileLoader.parse(text: text, file: "t.yaml")])
    }()

    func evidence(_ html: String) throws -> [String] {
        try Engine(rules: Self.set).score(html: Data("<html><body>\(html)</body></html>".utf8), source: "t")
            .hits.first { $0.id == "t.recharge" }?.evidence.map(\.match) ?? []
    }

    @Test func hanPhraseMatchesInsideARun() throws {
        #expect(try evidence("<p>充值100元即可升级VIP</p>").contains("充值"))
        #expect(try evidence("<p>请先充值</p>") == ["充值"])   // the evidence is the match, not the whole run
    }

    @Test func latinPhraseNextToHanIsAWholeWord() throws {
        #expect(try evidence("<p>升级VIP会员</p>").contains("VIP"))
    }

    @Test func thaiPhraseMatchesInsideARun() throws {
        #expect(try evidence("<p>กรุณาฝากเงินขั้นต่ำ100บาท</p>").contains("ฝากเงิน"))
    }

    @Test func spacedScriptsKeepWholeWords() throws {
        #expect(try evidence("<p>জমাট বাঁধা</p>").isEmpty)
        #expect(try evidence("<p>vipul and vips</p>").isEmpty)
        #expect(try evidence("<p>জমা দিন</p>") == ["জমা"])
    }

    @Test func theSpacelessRangesAreWhatIsSpacelessTests() {
        for v in UInt32(0)...0x4_0010 {
            let inRanges = WordChars.spacelessRanges.contains { $0.contains(v) }
            if inRanges != WordChars.isSpaceless(v) { Issue.record("U+\(String(v, radix: 16)): ranges say \(inRanges)"); return }
        }
    }

    /// A concept's word boundary inside a regex agrees with the automaton's idea of a word
    /// character on letters, digits and marks of many scripts, on punctuation, and on the
    /// scripts written without spaces. The one known difference: "other numbers" (fractions,
    /// Bengali currency numerators ৴–৹) are word characters to the automaton, not to `\w`.
    @Test func theRegexWordClassAgreesWithWordChars() throws {
        let regex = try ICURegex(ConceptExpander.wordClass)
        let samples: [Unicode.Scalar] = Array("aZ09éßжЖبپ۵অ৩कि६ไ๑中ひカ。、,.!?-_ %$€\u{200D}\u{0301}ğışçñãõ".unicodeScalars)
            + (0x0600...0x06FF).compactMap(Unicode.Scalar.init) + (0x0980...0x09FF).compactMap(Unicode.Scalar.init)
            + (0x0E00...0x0E7F).compactMap(Unicode.Scalar.init) + (0x4E00...0x4E20).compactMap(Unicode.Scalar.init)
        for c in samples where c.properties.generalCategory != .unassigned {
            let matched = regex.firstMatch(in: Array(String(c).utf8)) != nil
            let expected = c.properties.generalCategory == .otherNumber ? false : WordChars.isWord(c)
            #expect(matched == expected, "U+\(String(c.value, radix: 16)) \(c)")
        }
    }

    /// Han is split into words by ICU's dictionary for `near`: "会员" (member) is one word,
    /// and in "须邀请3位有效会员后方可提现" (withdraw only after inviting 3 active members) the
    /// invitation and the withdrawal are a few words apart, not ten characters. Negations
    /// (`dictionary: false`) keep a word per character.
    @Test func hanIsCountedInWordsForNear() {
        let index = WordIndex(Array("会员 vip 100".utf8))
        #expect(index.rank(3) == 1)   // 会员 starts word 0; 员 starts none
        #expect(index.rank(7) == 1)   // vip is word 1
        let text = "新用户须邀请3位有效会员后方可提现"
        let inviteEnd = "新用户须邀请".utf8.count, withdrawStart = "新用户须邀请3位有效会员后方可".utf8.count
        let between = WordIndex(Array(text.utf8)).wordsBetween(inviteEnd, withdrawStart)
        #expect(between >= 5 && between <= 8, "\(between) words")   // 9 with a word per character
        #expect(WordIndex(Array("会员".utf8), dictionary: false).wordsBetween(0, "会员".utf8.count) == 2)
    }

    /// Thai puts no spaces between words, and its vowel signs and tone marks are characters
    /// of their own: counted a word per character, "within 6" spanned one or two Thai words.
    /// ICU's dictionary splits it into words instead.
    @Test func thaiIsCountedInWordsNotCharacters() {
        // "ค่าคอม" (commission), then เข้า กระเป๋า ทันที (into the wallet at once), then ชั้นที่ 1.
        let text = Array("ค่าคอมเข้ากระเป๋าทันที ชั้นที่ 1".utf8)
        let index = WordIndex(text)
        let commissionEnd = "ค่าคอม".utf8.count
        let levelStart = "ค่าคอมเข้ากระเป๋าทันที ".utf8.count
        let between = index.wordsBetween(commissionEnd, levelStart)
        #expect(between >= 2 && between <= 4, "\(between) words")   // 15 with a word per character
        // A word starts where a Thai word starts, never at a vowel sign or a tone mark.
        #expect(index.wordsBetween(0, "ค่".utf8.count) == 1)
        #expect(index.rank("ค่".utf8.count) == index.rank("ค".utf8.count))
        // Han too is split into words (`hanIsCountedInWordsForNear`).
        #expect(WordIndex(Array("会员".utf8)).wordsBetween(0, "会员".utf8.count) == 1)
    }

    /// `near` bounds a partner's offset by `reach(after:words:)` and `reach(before:words:)`
    /// instead of counting the words of each gap: both must agree with `wordsBetween` at every
    /// pair of offsets.
    @Test func partnerBoundsAgreeWithCountingWords() {
        var g = SplitMix(seed: 11)
        let pieces = ["word", " ", "  ", "é", "充", "值", ", ", "\u{0}", "٣", "-", "vip", "เติมเงิน", "ที่"].map { Array($0.utf8) }
        var checked = 0
        var wrong: [String] = []
        for round in 0..<200 {
            var text: [UInt8] = []
            for _ in 0..<Int(g.next() % 15) { text += pieces[Int(g.next() % UInt64(pieces.count))] }
            if round % 7 == 0, !text.isEmpty { text.removeLast() }   // a character cut short
            let index = WordIndex(text)
            for n in -1...3 {
                for a in 0...text.count {
                    let after = index.reach(after: a, words: n), before = index.reach(before: a, words: n)
                    for b in a...text.count where (index.wordsBetween(a, b) <= n) != (b <= after) {
                        wrong.append("reach after \(text) from \(a) to \(b) n \(n)")
                    }
                    for b in 0...a where (index.wordsBetween(b, a) <= n) != (b >= before) {
                        wrong.append("reach before \(text) from \(b) to \(a) n \(n)")
                    }
                    checked += 1
                }
            }
        }
        let firstWrong = wrong.prefix(5).joined(separator: "; ")
        #expect(checked > 5_000)
        #expect(wrong.count == 0, "\(firstWrong)")
    }
}

/// Numbers in every script and style.
@Suite struct NumberTests {
    func norm(_ s: String) -> String { String(decoding: TextNormalizer.normalize(s), as: UTF8.self) }

    @Test func percentSignsAndSeparatorsBecomeASCII() {
        #expect(norm("٣٪") == "3%")
        #expect(norm("۲٫۵٪") == "2.5%")
        #expect(norm("３％") == "3%")
        #expect(norm("١٬٠٠٠") == "1,000")
        #expect(norm("๓%") == "3%")
        #expect(norm("३%") == "3%")
        #expect(norm("১০,০০০") == "10,000")
        #expect(norm("10\u{202F}000") == "10 000")   // narrow no-break space
        #expect(norm("10\u{2009}000") == "10 000")   // thin space
    }

    @Test func arabicScriptSpellingsAreFolded() {
        #expect(norm("إيداع") == norm("ايداع"))
        #expect(norm("يومي") == norm("یومی"))
        #expect(norm("كيف") == norm("کیف"))
        #expect(norm("مكافأة") == norm("مكافاة"))
        #expect(norm("İŞLEM") == "işlem")
    }

    static let numRegex = try! RegexCheck.compile("^{num}$")

    @Test(arguments: [
        ("2,5", 2.5), ("2.5", 2.5), ("1.000,50", 1000.5), ("1,000.50", 1000.5), ("1,00,000", 100_000),
        ("10 000", 10_000), ("5万", 50_000), ("3千", 3000), ("1.000.000", 1_000_000), ("0,30", 0.3),
        ("1,000", 1000), ("1.000", 1000), ("12", 12), ("2亿", 200_000_000),
    ])
    func numMacroMatchesAndReadsEachStyle(_ text: String, _ value: Double) throws {
        let normalized = norm(text)
        #expect(Self.numRegex.firstMatch(in: Array(normalized.utf8)) != nil, "{num} does not match \(normalized)")
        #expect(NumberReader.value(normalized) == value, "\(text) reads as \(String(describing: NumberReader.value(normalized)))")
    }

    @Test func numbersInOtherScriptsReadAsNumbers() {
        for (text, value) in [("৳৫০০", 500.0), ("₹१,२०,०००", 120_000), ("٢٫٥", 2.5), ("۱۰۰", 100), ("๑,๐๐๐", 1000)] {
            let n = norm(text).drop { !$0.isNumber }
            #expect(NumberReader.value(String(n)) == value, "\(text)")
        }
    }

    /// The byte path for ASCII text gives what the general path gives, on random strings of
    /// digits, separators and spaces (and a few other characters), and on grouped numbers.
    @Test func asciiNumbersReadAsTheGeneralPathReadsThem() {
        var g = SplitMix(seed: 11)
        let alphabet = Array("0123456789012345678901234567890123456789.,.,  \t-e")
        var read = 0
        for round in 0..<20_000 {
            var text = String((0..<Int(1 + g.next() % 14)).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
            if round % 4 == 0 {
                // Grouped the way pages write them: 1,234,567.89, 12,34,567, 1 000 000, 1.234,5.
                let groups = (0..<Int(1 + g.next() % 4)).map { _ in String(g.next() % 1000) }
                let sep = ["," , ".", " "][Int(g.next() % 3)]
                text = groups.joined(separator: sep) + (g.next() % 2 == 0 ? "" : [".", ","][Int(g.next() % 2)] + String(g.next() % 100))
            }
            let general = NumberReader.generalValue(text)
            let bytes = Array(text.utf8)
            let ascii = bytes.withUnsafeBufferPointer { NumberReader.value(ascii: $0) }
            #expect(ascii == general, "«\(text)»: \(String(describing: ascii)) against \(String(describing: general))")
            if general != nil { read += 1 }
        }
        #expect(read > 2000)
    }

    @Test func nonsenseIsNotANumber() {
        #expect(NumberReader.value("") == nil)
        #expect(NumberReader.value("1,2,3") == nil)
        #expect(NumberReader.value(String(repeating: "9", count: 400)) == nil)
        #expect(NumberReader.value("12abc") == nil)
    }
}

/// The page's language, told from its text.
@Suite struct LanguageDetectionTests {
    static let engine = Engine(rules: .builtIn)

    func lang(_ html: String, declared: String? = nil) throws -> String? {
        let open = declared.map { "<html lang=\"\($0)\">" } ?? "<html>"
        return try Self.engine.score(html: Data("\(open)<body>\(html)</body></html>".utf8), source: "t").lang
    }

    /// A Vue or uni-app page saved from its source shows no text outside its <template>: its
    /// language is told by the template's words. Hidden words of an ordinary page are not read.
    @Test func aTemplatesWordsTellTheLanguageWhenNothingElseShows() throws {
        let words = "<p>Ви отримуєте винагороду за кожне завдання, і кошти надходять на баланс протягом дня. Якщо є питання, що стосуються виведення, пишіть нам у чат.</p>"
        #expect(try lang("<template>\(words)</template>") == "uk")
        #expect(try lang("<div style=\"display:none\">\(words)</div>") == nil)
        #expect(try lang("<p>Withdrawals are paid every day within a few hours.</p><template>\(words)</template>") == "en")
    }

    /// The detector skips the stopword scan when one language of the main script is the only
    /// candidate, or there is none: what the words say cannot change the answer then.
    @Test func aLoneCandidateIsTheAnswerWhateverItsWords() {
        let detector = RuleSet.builtIn.languageDetector
        var g = SplitMix(seed: 21)
        var checked = 0
        for (c, language) in detector.languages.enumerated() {
            guard let script = language.script else { continue }
            for declared in [nil, language.code, "xx", detector.languages[(c + 1) % detector.languages.count].code] {
                let none = detector.decide(candidates: [c], hits: [Double](repeating: 0, count: detector.languages.count), main: script, declared: declared)
                #expect(none == language.code)
                for _ in 0..<5 {
                    let hits = detector.languages.indices.map { _ in Double(g.next() % 3) }
                    #expect(detector.decide(candidates: [c], hits: hits, main: script, declared: declared) == none)
                    #expect(detector.decide(candidates: [], hits: hits, main: script, declared: declared)
                            == detector.decide(candidates: [], hits: hits.map { _ in 0 }, main: script, declared: declared))
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    /// The rules' pass finds the stopwords for the detector; what it finds must decide as the
    /// detector's own pass over the start of the text does, on every sample and where a
    /// stopword ends right at the detector's limit with a letter after it.
    @Test func stopwordsFoundInTheRulesPassDecideAsTheDetectorsOwnPass() throws {
        let rules = RuleSet.builtIn
        let detector = rules.languageDetector
        #expect(rules.automaton.patternCount - rules.stopwordPatternBase == detector.scannedPatterns.count)
        // Most stopwords are plain words, looked up word by word; the others are the automaton's.
        #expect(detector.plainWords.count > detector.scannedPatterns.count)
        #expect(detector.plainWords.count + detector.scannedPatterns.count == detector.patternCount)
        let filler = String(repeating: "xq ", count: (LanguageDetector.maxBytes - 2) / 3)
        var texts = [
            "Nous vous proposons des plans pour les investisseurs et vous recevez un retrait chaque jour.",
            "Kami menawarkan paket investasi dan anda bisa menarik keuntungan setiap hari dari rumah.",
            "Ofrecemos planes para los inversores y usted recibe un retiro cada día de la semana.",
            "আমরা প্রতিদিন লাভ দিই এবং আপনি যেকোনো সময় টাকা তুলতে পারেন আমাদের সাথে।",
            "Мы предлагаем планы для инвесторов, и вы получаете вывод каждый день.",
            // Stopwords inside longer words, next to letters with accents and marks, after
            // punctuation, and ones that are not plain words (two words, a script without spaces).
            "voilà à la carte: déjà de-la l'a (de) «la» e a o y 1de de1 ĉe ea ae,a.o;y",
            "chúng tôi và các bạn, chúng tôi có thể; tôi",
            "我们的平台是最好的，您可以在这里每天赚钱，也可以邀请朋友。的是在",
            "वह और यह है और यहाँ कि के लिए",
            "вв в ив и с, у: к. о!",
        ]
        // A stopword that ends exactly at the limit, with letters after it (French, Spanish, Indonesian),
        // and every sample page.
        // (Tried a few bytes either side, as the page's markup may move the text a little.)
        for word in ["les", "los", "dan"] {
            for shift in -2...2 {
                let head = String(filler.prefix(LanguageDetector.maxBytes - word.utf8.count - 1 + shift)) + " "
                texts.append(head + word + "xyz et le de la y el para")
            }
        }
        var pages: [Data] = texts.map { Data("<html lang=\"en\"><body><p>\($0)</p></body></html>".utf8) }
        for label in ["scam", "legit"] {
            let dir = samplesDirectory() + "/" + label
            for name in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".html") }).sorted() {
                pages.append(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            }
        }
        #expect(pages.count > 100)
        for html in pages {
            let page = try HTMLParser.parse(html, xpaths: rules.xpaths)
            let merged = RuleEvaluator(rules: rules, page: page, regexBudget: 1).run().language
            var targets = TargetTexts(page: page)
            let visible = targets.text(.text, xpathIndex: nil).bytes
            #expect(merged == detector.detect(visible, declared: page.lang), "\(String(decoding: visible.prefix(80), as: UTF8.self))")
            // The counts themselves, to the bit: the automaton's matches of the stopwords that
            // are not plain words (as the rules' pass reports them), merged with the plain words.
            let limit = min(visible.count, LanguageDetector.maxBytes)
            var others: [AhoCorasick.Match] = []
            let scanned = Set(detector.scannedPatterns.map(Int.init))
            visible.withUnsafeBufferPointer { b in
                detector.automaton.scan(UnsafeBufferPointer(rebasing: b[0..<limit])) { if scanned.contains($0.pattern) { others.append($0) } }
            }
            #expect(detector.stopwordHits(visible, found: others) == detector.stopwordHits(visible, found: nil),
                    "\(String(decoding: visible.prefix(80), as: UTF8.self))")
        }
    }

    /// The detector's plain words are found by looking words up, not by an automaton: on random
    /// mixed-script texts, the lookup finds exactly the occurrences of each word with no word
    /// character on either side (as the boundary checks read them): short words and long
    /// ones, in several scripts, next to marks, digits and bytes that do not decode, and at the
    /// end of the text.
    @Test func plainWordsAreFoundAsWholeWords() {
        var g = SplitMix(seed: 29)
        let pieces = ["a", "de", "la", "les", "x", "é", "জমা", "দিন", "充", " ", "  ", ", ", "-", "'", "\u{0}", "٣", "7", "investissement"]
            .map { Array($0.utf8) }
        // Words are made of one to four pieces that are words themselves.
        let wordPieces = pieces.filter(PlainStopwords.isPlainWord)
        var checked = 0
        var wrong: [String] = []
        for round in 0..<300 {
            var words: [[UInt8]] = []
            for _ in 0..<Int(1 + g.next() % 6) {
                var w: [UInt8] = []
                for _ in 0..<Int(1 + g.next() % 4) { w += wordPieces[Int(g.next() % UInt64(wordPieces.count))] }
                if !words.contains(w) { words.append(w) }
            }
            let stopwords = PlainStopwords(words.enumerated().map { (bytes: $1, id: Int32(100 + $0)) })
            var text: [UInt8] = []
            for _ in 0..<Int(g.next() % 25) {
                switch g.next() % 4 {
                case 0: text += words[Int(g.next() % UInt64(words.count))]
                case 1: text += [0x20] + words[Int(g.next() % UInt64(words.count))] + [0x20]
                default: text += pieces[Int(g.next() % UInt64(pieces.count))]
                }
            }
            if round % 5 == 0, !text.isEmpty { text.removeLast() }   // a character cut short
            var expected: [String] = []
            text.withUnsafeBufferPointer { b in
                for (k, w) in words.enumerated() where w.count <= b.count {
                    for start in 0...(b.count - w.count) where Array(b[start..<(start + w.count)]) == w
                        && !WordChars.wordBefore(b, start) && !WordChars.wordAt(b, start + w.count) {
                        expected.append("\(100 + k)@\(start)-\(start + w.count)")
                    }
                }
                let got = stopwords.matches(in: b).map { "\($0.pattern)@\($0.start)-\($0.end)" }
                if got.sorted() != expected.sorted() { wrong.append("«\(String(decoding: text, as: UTF8.self))»: got \(got), expected \(expected)") }
            }
            checked += expected.count
        }
        #expect(checked > 200)
        #expect(wrong.isEmpty, "\(wrong.prefix(3).joined(separator: "; "))")
    }

    @Test func scriptsAreCountedInTheirOwnPlace() {
        for (k, script) in LanguageDetector.Script.allCases.enumerated() {
            #expect(LanguageDetector.index(script) == k, "\(script)")
        }
    }

    @Test func toldFromTextNotFromTheDeclaration() throws {
        #expect(try lang("<p>Nous vous proposons des plans pour les investisseurs et vous recevez un retrait chaque jour.</p>", declared: "en") == "fr")
        #expect(try lang("<p>Мы предлагаем лучшие условия для всех наших клиентов, и это не шутка.</p>", declared: "en") == "ru")
        #expect(try lang("<p>我们的平台是最好的，您可以在这里每天赚钱，也可以邀请朋友。</p>") == "zh")
        #expect(try lang("<p>আমাদের প্ল্যাটফর্মে আপনি ঘরে বসে কাজ করতে পারবেন এবং টাকা তুলতে পারবেন।</p>") == "bn")
        #expect(try lang("<p>ہماری ویب سائٹ پر آپ روزانہ کما سکتے ہیں اور یہ بہت آسان ہے۔</p>") == "ur")
        #expect(try lang("<p>در این سایت شما می‌توانید هر روز سود کسب کنید و این برای همه است.</p>") == "fa")
        #expect(try lang("<p>يمكنك في هذا الموقع أن تربح كل يوم من خلال الاستثمار في الخطط التي نقدمها.</p>") == "ar")
    }

    @Test func tooLittleTextFallsBackToTheDeclaration() throws {
        #expect(try lang("<p>OK</p>", declared: "pt-BR") == "pt")
        #expect(try lang("<p>OK</p>") == nil)
    }

    /// Every sample page's text gives the language it declares.
    @Test func everySampleIsDetectedAsItsDeclaredLanguage() throws {
        for label in ["scam", "legit"] {
            for name in try samples(label) {
                let data = try Data(contentsOf: URL(fileURLWithPath: samplesDirectory() + "/\(label)/\(name)"))
                let report = try Self.engine.score(html: data, source: name)
                let declared = LanguageDetector.primary(report.declaredLang)
                #expect(report.lang == declared, "\(name): declared \(declared ?? "none"), detected \(report.lang ?? "none")")
            }
        }
    }
}
