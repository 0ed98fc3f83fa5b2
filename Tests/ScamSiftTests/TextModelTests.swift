import Foundation
import PathologicalPages
import Testing
@testable import ScamSift
import ScamSiftLearn

/// The learned text model (Sources/ScamSift/TextModel): tokens, the model's arithmetic, its
/// file, its line in the report, its column in the fit, and `scamsift learn`.
@Suite struct TextModelTests {
    static func texts(_ s: String) -> Set<String> {
        Set(TextTokenizer.tokens(TextNormalizer.normalize(s)).map(\.text))
    }

    // MARK: tokens

    @Test func wordsTheirTrigramsAndPairsInScriptsWithoutSpaces() {
        let t = Self.texts("Deposit 50 USDT (TRC20) in 2024: 充值升级")
        #expect(t.isSuperset(of: ["deposit", "usdt", "trc20", "de…", "…pos…", "…it", "充值", "值升", "升级"]), "\(t.sorted())")
        // Numbers alone, and single letters, are no tokens.
        #expect(!t.contains("50") && !t.contains("2024") && !t.contains("0"), "\(t.sorted())")
        #expect(Self.texts("a b c").isEmpty)
    }

    @Test func aPagesTokensAreASetInAFixedOrder() {
        let a = TextTokenizer.hashes(TextNormalizer.normalize("profit profit daily profit"))
        let b = TextTokenizer.hashes(TextNormalizer.normalize("daily profit"))
        #expect(a == b)
        #expect(a == a.sorted() && Set(a).count == a.count)
    }

    /// A word seen before on the page is passed over with its trigrams: the tokens are a set,
    /// and a repeat cannot add to it.
    @Test func aRepeatedWordIsTokenizedOnce() {
        func calls(_ s: String) -> (count: Int, hashes: [UInt64]) {
            var count = 0, hashes: [UInt64] = []
            TextTokenizer.forEachToken(TextNormalizer.normalize(s)) { h, _, _ in count += 1; hashes.append(h); return true }
            return (count, hashes)
        }
        let once = calls("deposit daily profit")
        let thrice = calls("deposit daily deposit profit deposit daily")
        #expect(once.count > 3)
        #expect(thrice.count == once.count)
        #expect(Set(thrice.hashes) == Set(once.hashes))
        // A longer word holding a seen one is its own word, with its own trigrams.
        #expect(calls("deposit deposits").count > calls("deposit").count)
    }

    @Test func theHashSetKeepsEachHashOnceAndGrows() {
        var set = HashSet64()
        var g = SplitMix(seed: 7)
        var kept = Set<UInt64>()
        for _ in 0..<5_000 {
            let h = g.next() % 3_000 == 0 ? 0 : g.next() % 2_000   // repeats, and zero
            #expect(set.insert(h) == kept.insert(h).inserted)
        }
        #expect(kept.count > 1_000)
    }

    @Test func aTrigramIsNotTheWordOfTheSameLetters() {
        // "trc" the word and "…trc…" the trigram (inside "xtrcx") are different tokens.
        let word = TextTokenizer.hashes(TextNormalizer.normalize("trc"))
        let gram = TextTokenizer.hashes(TextNormalizer.normalize("xtrcx"))
        #expect(Set(word).isDisjoint(with: gram) || !gram.contains(TextTokenizer.hash(Array("trc".utf8))))
        #expect(word.contains(TextTokenizer.hash(Array("trc".utf8))))
    }

    // MARK: the model

    /// 20 scam pages sharing "deposit daily", 20 legit ones sharing "client review", and
    /// filler words that every page has.
    static func trained() -> TextModel {
        var m = TextModel()
        for i in 0..<20 {
            m.learn(TextTokenizer.hashes(TextNormalizer.normalize("deposit daily profit page\(i) common words")), isScam: true)
            m.learn(TextTokenizer.hashes(TextNormalizer.normalize("client review escrow page\(i) common words")), isScam: false)
        }
        return m
    }

    @Test func theModelSeparatesWhatItLearned() throws {
        let m = Self.trained()
        let scam = try #require(m.probability(TextTokenizer.hashes(TextNormalizer.normalize("deposit daily profit"))))
        let legit = try #require(m.probability(TextTokenizer.hashes(TextNormalizer.normalize("client review escrow"))))
        let unknown = try #require(m.probability(TextTokenizer.hashes(TextNormalizer.normalize("zebra quantum violin"))))
        #expect(scam > 0.95 && legit < 0.05, "\(scam) \(legit)")
        #expect(unknown == 0.5)
        // Words shared by every page say nothing.
        #expect(try #require(m.probability(TextTokenizer.hashes(TextNormalizer.normalize("common words")))) == 0.5)
    }

    @Test func aModelOfTooFewPagesSaysNothing() {
        var m = TextModel()
        for _ in 0..<(TextModel.minPages - 1) { m.learn([1, 2], isScam: true); m.learn([3], isScam: false) }
        #expect(m.probability([1, 2]) == nil)
        #expect(m.judge([.init(hash: 1, text: "a")]) == nil)
    }

    @Test func tokensBelowTheLeastCountedPagesNeverCount() {
        // What lets the model file leave them out.
        let n = TextModel.leastCountedPages
        var m = TextModel(scamPages: 100, legitPages: 100)
        m.learn([], isScam: true)
        let below = TextModel.TokenCount(scam: UInt32(n - 1), legit: 0)
        let at = TextModel.TokenCount(scam: UInt32(n), legit: 0)
        #expect(abs(m.tokenProbability(below) - 0.5) < TextModel.minDistance)
        #expect(abs(m.tokenProbability(at) - 0.5) >= TextModel.minDistance)
    }

    @Test func theFiveTokensThatPushedMostAreWordsFirst() throws {
        let m = Self.trained()
        let judged = try #require(m.judge(TextTokenizer.tokens(TextNormalizer.normalize("deposit daily profit"))))
        #expect(judged.tokens.count <= 5 && !judged.tokens.isEmpty)
        #expect(Set(judged.tokens.prefix(3).map(\.text)) == ["deposit", "daily", "profit"], "\(judged.tokens)")
        #expect(judged.tokens.allSatisfy { $0.scamPages == 20 && $0.legitPages == 0 })
        // No trigram of a word already shown ("…pos…" after "deposit").
        let shown = judged.tokens.map(\.text)
        for (k, text) in shown.enumerated() where text.hasPrefix("…") || text.hasSuffix("…") {
            let core = text.trimmingCharacters(in: CharacterSet(charactersIn: "…"))
            #expect(!shown[..<k].contains { $0.contains(core) }, "\(text) after \(shown[..<k])")
        }
        #expect(shown.count == 3, "\(shown)")
    }

    /// Judging keeps the 50 strongest of a page's tokens by a selection, not a sort of them
    /// all: the same tokens in the same order as sorting and keeping the first, whatever the
    /// input's order, its size against `k`, and its near-ties (equal strengths, told apart by hash).
    @Test func keepingTheStrongestIsSortingAndTakingTheFirst() {
        var g = SplitMix(seed: 17)
        let order: ((Double, UInt64), (Double, UInt64)) -> Bool = { a, b in (a.0, b.1) > (b.0, a.1) }
        for round in 0..<300 {
            let n = Int(g.next() % 400)
            let k = [0, 1, 5, 50, 500][round % 5]
            // Few distinct strengths, so that many keys tie on strength; hashes are distinct.
            let items: [(Double, UInt64)] = (0..<n).map { i in (Double(g.next() % 7) / 14, g.next() &* 2 &+ UInt64(i)) }
            let kept = CompiledTextModel.first(k, of: items, by: order)
            let expected = Array(items.sorted(by: order).prefix(k))
            #expect(kept.map(\.1) == expected.map(\.1), "n \(n) k \(k)")
        }
    }

    /// The compiled model's table finds every token that counts, under its own index, and no
    /// other: with many tokens sharing their top bits (what a slot keeps) or their slot.
    @Test func theCompiledTableFindsEveryCountingTokenAndNoOther() {
        var g = SplitMix(seed: 5)
        var counts: [UInt64: TextModel.TokenCount] = [:]
        for i in 0..<6000 {
            var h = g.next()
            if i % 3 == 0 { h = h & 0xFFFF_FFFF | 0xABCD_0000_0000_0000 }
            if i % 5 == 0 { h = h & 0xFFFF_FFFF_0000_0000 | 7 }
            // Seen on as many pages of each class: too close to 0.5 to count.
            counts[h] = i % 4 == 0 ? .init(scam: 3, legit: 3) : .init(scam: 40, legit: UInt32(i % 3))
        }
        let model = TextModel(scamPages: 100, legitPages: 100, counts: counts)
        let compiled = CompiledTextModel(model)
        var found = 0
        for (h, c) in counts {
            if let k = compiled.index(of: h) {
                #expect(compiled.hash(k) == h)
                found += 1
            } else {
                #expect(abs(model.tokenProbability(c) - 0.5) < TextModel.minDistance)
            }
        }
        #expect(found == compiled.counting.count && found > 3000)
        for _ in 0..<20_000 {
            let h = g.next() & (g.next() % 2 == 0 ? 0xFFFF_FFFF_FFFF_FFFF : 0xABCD_0000_FFFF_FFFF)
            if counts[h] == nil { #expect(compiled.index(of: h) == nil) }
        }
    }

    /// The compiled model (the one pages are scored with) says what the counts say.
    @Test func theCompiledModelJudgesAsTheCountsDo() throws {
        let m = Self.trained()
        let compiled = CompiledTextModel(m)
        #expect(compiled.model == m)
        for probe in ["deposit daily profit", "client review escrow", "deposit review page3 common", "zebra"] {
            let bytes = TextNormalizer.normalize(probe)
            let fast = try #require(compiled.judge(bytes))
            let slow = try #require(m.judge(TextTokenizer.tokens(bytes)))
            #expect(fast == slow, "\(probe)")
        }
    }

    // MARK: the file

    @Test func theFileRoundTripsAndDropsRareTokens() throws {
        let m = Self.trained()
        let full = try TextModelFile.read(TextModelFile.write(m), file: "m.tsv")
        #expect(full == m)
        let text = TextModelFile.write(m, minPages: 3, header: ["a note"])
        #expect(text.hasPrefix("# a note\npages\t20\t20\n"))
        let pruned = try TextModelFile.read(text, file: "m.tsv")
        #expect(pruned.counts.values.allSatisfy { $0.scam + $0.legit >= 3 })
        // Pruning below the least counted pages changes no probability.
        for probe in ["deposit daily page3", "client review page7", "common words page1 escrow"] {
            let h = TextTokenizer.hashes(TextNormalizer.normalize(probe))
            #expect(pruned.probability(h) == m.probability(h))
        }
        #expect(TextModelFile.write(m) == TextModelFile.write(m))
    }

    @Test(arguments: [
        ("pages\t1\t1\n00000000000000ff\t1\n", 2, "expected 3 tab-separated fields"),
        ("pages\t1\t1\nxyz\t1\t0\n", 2, "is no token hash"),
        ("00000000000000ff\t1\t0\n", 1, "a token before the 'pages' line"),
        ("pages\t1\t1\n00000000000000ff\t1\t0\n00000000000000ff\t0\t1\n", 3, "given twice"),
        ("pages\t1\t1\n00000000000000ff\t5\t0\n", 2, "on more pages than the model learned"),
        ("pages\t1\t1\n00000000000000ff\t1\t0\n00000000000000fe\t0\t1\n", 3, "out of order"),
        ("# nothing\n", 1, "no 'pages' line"),
        // Lines the one-pass reader leaves to the full one, which words the problem.
        ("pages\t1\t1\n00000000000000ff\t1\t0\r\n", 2, "page counts must be whole numbers"),
        ("pages\t1\t1\n00000000000000ff\t1\t0\t\n", 2, "expected 3 tab-separated fields"),
        ("pages\t1\t1\n00000000000000ff\t1\t00000000001\n", 2, "page counts must be whole numbers"),
        ("pages\t1\t1\n00000000000000ff\t\t0\n", 2, "page counts must be whole numbers"),
        ("pages\t1\t1\n00000000000000FF\t1\t0\n", 2, "is no token hash"),
        ("pages\t1\t1\n00000000000000ff0\t1\t0\n", 2, "is no token hash"),
        ("pages\t1\t1\n00000000000000ff\t1\t0\n00000000000000ff\t1\t0", 3, "given twice"),
    ])
    func aBadModelFileNamesTheLine(_ text: String, _ line: Int, _ why: String) {
        do {
            _ = try TextModelFile.read(text, file: "bad.tsv")
            Issue.record("read \(text.debugDescription)")
        } catch let p as TextModelFile.Problem {
            #expect(p.line == line && p.message.contains(why), "\(p)")
            #expect(p.description.hasPrefix("bad.tsv:\(line): "))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aFileWithoutItsLastNewlineReadsTheSame() throws {
        let text = TextModelFile.write(Self.trained())
        #expect(text.hasSuffix("\n"))
        #expect(try TextModelFile.read(String(text.dropLast()), file: "m.tsv") == TextModelFile.read(text, file: "m.tsv"))
    }

    @Test func theBuiltInModelLoads() throws {
        let m = try #require(TextModelFile.builtIn)
        #expect(m.isUsable)
        #expect(m.counts.values.allSatisfy { Int($0.scam) + Int($0.legit) >= TextModel.leastCountedPages })
    }

    // MARK: the report

    /// Rules that give the text model `weight` points and have no rule of their own.
    static func weighted(_ weight: Int) throws -> Engine {
        Engine(rules: try RuleSet(files: [RuleFileLoader.parse(text: "text_model: {weight: \(weight)}\n", file: "w.yaml")]))
    }

    static let scammyPage = Data("<html><body><h1>Earn USDT daily</h1><p>Deposit USDT TRC20, invite friends, VIP level 3 commission</p></body></html>".utf8)

    @Test func theReportHasOneTextModelLineWithItsPoints() throws {
        let engine = try Self.weighted(40)
        let report = try engine.score(html: Self.scammyPage, source: "t")
        let line = try #require(report.hits.first { $0.id == "text_model" })
        let p = try #require(report.textProbability)
        #expect(p > 0.5 && line.points > 0)
        #expect(line.points == Int((40 * max(0, 2 * p - 1)).rounded()))
        #expect((1...5).contains(line.evidence.count))
        #expect(line.file == "w.yaml")
        // Without a model, no line and no points.
        var off = engine
        off.textModel = nil
        let plain = try off.score(html: Self.scammyPage, source: "t")
        #expect(!plain.hits.contains { $0.id == "text_model" } && plain.textProbability == nil)
        #expect(plain.score == max(0, min(100, report.rawScore - line.points)))
    }

    /// A fit can leave the model at 0 points (the built-in scores do today): then it is not run,
    /// and says nothing, but `fit` and `evaluate --cv` still get the page's tokens to learn from.
    @Test func aModelWithoutPointsIsNotRunButTokensAreStillKept() throws {
        var engine = try Self.weighted(0)
        let loaded = engine.textModel != nil   // (not the model itself in a failure message: 15,000 counts)
        #expect(!loaded)
        let report = try engine.score(html: Self.scammyPage, source: "t")
        #expect(report.textProbability == nil && !report.hits.contains { $0.id == "text_model" })
        engine.keepTokens = true
        let kept = try engine.score(html: Self.scammyPage, source: "t")
        #expect(kept.textProbability == nil)
        // The same tokens as where the model is run.
        var running = try Self.weighted(40)
        running.keepTokens = true
        let hashes = try #require(try running.score(html: Self.scammyPage, source: "t").tokenHashes)
        #expect(!hashes.isEmpty && kept.tokenHashes == hashes)
    }

    @Test func aRulesFileSetsTheWeightAndBadOnesAreRefused() throws {
        let file = try RuleFileLoader.parse(text: "text_model: {weight: 12}\n", file: "w.yaml")
        #expect(file.textModelWeight == 12)
        for bad in ["text_model: {weight: 200}\n", "text_model: {wieght: 3}\n", "text_model: {}\n"] {
            #expect(throws: RuleLoadError.self) { _ = try RuleFileLoader.parse(text: bad, file: "bad.yaml") }
        }
    }

    // MARK: the fit

    @Test func aTrainingPageIsJudgedByAModelThatNeverSawItsSite() {
        // Every site has characters of its own (Han, read in pairs) and no others: a model that
        // learned the page's site would call its pages right; one that did not knows none of
        // their tokens.
        var examples: [FitExample] = []
        for site in 0..<30 {
            for k in 0..<4 {
                let own = (0..<3).map { String(Character(Unicode.Scalar(0x4E00 + UInt32(site * 3 + $0))!)) }.joined()
                let words = own + " page\(k)"
                examples.append(FitExample(path: "s\(site)/\(k)", isScam: site % 2 == 0, group: "site\(site)", active: [],
                                           tokens: TextTokenizer.hashes(TextNormalizer.normalize(words))))
            }
        }
        var table = FeatureTable(features: [FitFeature(ruleID: "text_model", handWeight: 0, sign: .nonNegative)], examples: examples, textColumn: 0)
        TextStacking.fillOutOfFold(&table, rows: Array(table.examples.indices), folds: 5)
        #expect(table.examples.allSatisfy { $0.textValue == 0 }, "\(table.examples.map(\.textValue))")
        // Trained on everything, it knows them all.
        TextStacking.fill(&table, rows: Array(table.examples.indices), from: Array(table.examples.indices))
        #expect(table.examples.filter(\.isScam).allSatisfy { $0.textValue > 0.2 }, "\(table.examples.map(\.textValue))")
        #expect(table.examples.filter { !$0.isScam }.allSatisfy { $0.textValue == 0 })
    }

    @Test func theFitGivesTheTextColumnAPositiveWeight() {
        // No rule separates the classes; the words do.
        var examples: [FitExample] = []
        for i in 0..<60 {
            let scam = i % 2 == 0
            let words = scam ? "deposit daily vip commission s\(i)" : "client review escrow freelance l\(i)"
            examples.append(FitExample(path: "p\(i)", isScam: scam, group: "g\(i)", active: [0],
                                       tokens: TextTokenizer.hashes(TextNormalizer.normalize(words))))
        }
        let table = FeatureTable(features: [FitFeature(ruleID: "noise", handWeight: 5, sign: .nonNegative),
                                            FitFeature(ruleID: "text_model", handWeight: 0, sign: .nonNegative)],
                                 examples: examples, textColumn: 1)
        let fitted = ScoreFitter().fit(table)
        #expect(fitted.model.coefficients[1] > 0.5, "\(fitted.model.coefficients)")
        let yaml = ScoresFile.yaml(fitted, table: table, fitter: ScoreFitter(), validation: nil)
        #expect(yaml.contains("text_model:\n  weight: \(fitted.points[1])\n"))
        #expect(!yaml.contains("id: text_model"))
        // The text model is one column, capped like a rule: alone it reaches suspicious, never
        // likely-scam (the cut-off is kept above one capped column).
        let cv = ScoreFitter().crossValidate(table, k: 5)
        #expect(cv.confusion(at: .suspicious).recall > 0.9, "\(cv.confusion(at: .suspicious))")
        #expect(cv.confusion(at: .suspicious).precision > 0.9, "\(cv.confusion(at: .suspicious))")
        #expect(cv.confusion(at: .likelyScam).recall == 0, "\(cv.confusion(at: .likelyScam))")
    }
}

/// `scamsift learn`: SQLite through GRDB.
@Suite struct LearnedStoreTests {
    static func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-learn-\(UUID().uuidString)/learned.sqlite").path
    }

    @Test func learnThenForgetRestoresTheCounts() throws {
        let path = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try LearnedStore(path: path, create: true)
        #expect(try store.learn(sha256: "a", isScam: true, path: "a.html", tokens: [1, 2, 3]) == .learned)
        #expect(try store.learn(sha256: "b", isScam: false, path: "b.html", tokens: [2, 4]) == .learned)
        let before = try store.model()
        #expect(try store.learn(sha256: "c", isScam: true, path: "c.html", tokens: [3, 5, UInt64.max]) == .learned)
        #expect(try store.learn(sha256: "c", isScam: true, path: "c.html", tokens: [3, 5, UInt64.max]) == .alreadyLearned)
        #expect(try store.model().counts[UInt64.max] == TextModel.TokenCount(scam: 1, legit: 0))
        #expect(try store.forget(sha256: "c") == .forgotten)
        #expect(try store.model() == before)
        #expect(try store.forget(sha256: "c") == .notLearned)
        // Relabelling moves a page's counts.
        #expect(try store.learn(sha256: "b", isScam: true, path: "b.html", tokens: [2, 4]) == .relabeled)
        let moved = try store.model()
        #expect(moved.scamPages == 2 && moved.legitPages == 0)
        #expect(moved.counts[2] == TextModel.TokenCount(scam: 2, legit: 0))
        #expect(try store.forget(sha256: "a") == .forgotten && store.forget(sha256: "b") == .forgotten)
        #expect(try store.summary() == (0, 0, 0))
    }

    @Test func aMissingDatabaseIsAClearError() {
        #expect(throws: LearnedStore.Problem.self) { _ = try LearnedStore(path: Self.temporary(), create: false) }
    }

    @Test func theCommandLearnsScoresWithItAndForgets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-learn-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("l.sqlite").path
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let scam = repo + "/Samples/scam", legit = repo + "/Samples/legit"
        let scamCount = try samples("scam").count, legitCount = try samples("legit").count
        let learned = try CLI.run(["learn", "--db", db, "--scam", scam, "--legit", legit])
        #expect(learned.status == 0, "\(learned.stderr)")
        #expect(learned.stdout.contains(" learned; ") && learned.stdout.contains("holds \(scamCount) scam and \(legitCount) legit pages"),
                "\(learned.stdout)")
        let again = try CLI.run(["learn", "--db", db, "--scam", scam])
        #expect(again.stdout.hasPrefix("\(scamCount) already learned;"), "\(again.stdout)")
        let scored = try CLI.run(["score", "--format", "json", "--text-model", db, repo + "/Samples/scam/en-hyip-plans-goldrise.html"])
        #expect(scored.stdout.contains("\"text_probability\""), "\(scored.stderr)")
        let forgot = try CLI.run(["learn", "--db", db, "--forget", "--scam", scam, "--legit", legit])
        #expect(forgot.stdout.contains("\(scamCount + legitCount) forgotten; ") && forgot.stdout.contains("holds 0 scam and 0 legit pages, 0 tokens"), "\(forgot.stdout)")
        let missing = try CLI.run(["score", "--text-model", dir.appendingPathComponent("none.sqlite").path, repo + "/Samples/scam/en-hyip-plans-goldrise.html"])
        #expect(missing.status == 2 && missing.stderr.contains("none.sqlite: no learned database here"), "\(missing.stderr)")
    }
}
