import Foundation
import Testing
import PathologicalPages
@testable import ScamSift

@Suite struct NormalizerTests {
    /// The normaliser's scalar table is written ahead (`ScalarTableData.swift`); every entry must
    /// be what `ScalarTable.compute` says with this Swift's Unicode data. To write it again:
    /// `SCAMSIFT_WRITE_SCALAR_TABLE=1 swift test --filter theScalarTableIsWhatUnicodeSays`.
    @Test func theScalarTableIsWhatUnicodeSays() throws {
        if ProcessInfo.processInfo.environment["SCAMSIFT_WRITE_SCALAR_TABLE"] != nil {
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/ScamSift/Match/ScalarTableData.swift")
            try ScalarTableFile.text().write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(ScalarTable.packedScripts.count == ScalarTable.scriptScalars.count)
        #expect(ScalarTable.packedPunctuation.count == ScalarTable.punctuationScalars.count)
        var wrong: [String] = []
        for v in Array(ScalarTable.scriptScalars) + Array(ScalarTable.punctuationScalars) {
            let computed = ScalarTable.compute(Unicode.Scalar(v))
            #expect(ScalarTable.Entry(packed: computed.packed).packed == computed.packed)
            if let s = Unicode.Scalar(v), ScalarTable.ranges.cached(s)?.packed != computed.packed { wrong.append(String(v, radix: 16)) }
            if Unicode.Scalar(v) == nil { wrong.append("surrogate \(String(v, radix: 16))") }
        }
        #expect(wrong.isEmpty, "entries that differ from Unicode (write the table again, see above): \(wrong.prefix(20))")
        // The kinds the table holds all come back from their packed form.
        let kinds: [TextNormalizer.ScalarClass] = [.drop, .space, .ascii(0x2D), .fold("\u{0627}"), .keep]
        for kind in kinds {
            let entry = ScalarTable.Entry(kind: kind, unstable: true, word: false)
            #expect(ScalarTable.Entry(packed: entry.packed).packed == entry.packed)
        }
    }

    func norm(_ s: String) -> String { String(decoding: TextNormalizer.normalize(s), as: UTF8.self) }

    /// The rules' sentence checks read an index of where sentences stop; each must give what a
    /// walk over the bytes gives (the offer reader's `OfferScanner.sentence`, and a plain search
    /// for a stop between two offsets).
    @Test func sentenceStopsAgreeWithAWalkOverTheText() {
        var random = OfferTests.Seeded(state: 20_261_206)
        let pieces = ["a", "bc ", " ", ". ", ".", "!", "?", ";", "\n", "。", "؟", "۔", "！", "ব", "3.5", "x.y"]
        for _ in 0..<300 {
            let count = Int.random(in: 0...120, using: &random)
            let raw = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            let text = NormalizedText(raw)
            let stops = SentenceStops(text.bytes)
            let n = text.bytes.count
            text.bytes.withUnsafeBufferPointer { b in
                func isStop(_ i: Int) -> Bool { b[i] == NormalizedText.blockSeparator || OfferScanner.sentenceEnd(b, i, upTo: n) > 0 }
                for _ in 0..<20 {
                    let a = Int.random(in: 0...n, using: &random), z = Int.random(in: a...n, using: &random)
                    #expect(text.sentence(around: a..<z, stops: stops) == OfferScanner.sentence(b, around: a..<z, within: 0..<n), "\(raw.debugDescription) \(a)..<\(z)")
                    let walked = z - a > 400 || (a..<z).contains(where: isStop)
                    #expect(text.crossesSentence(a, z, stops: stops) == (a < z && walked), "\(raw.debugDescription) \(a) \(z)")
                }
            }
        }
        // A sentence read across a long text stops at the reach, as the walk does.
        let long = NormalizedText(String(repeating: "word ", count: 200) + "end.")
        let span = 500..<504
        long.bytes.withUnsafeBufferPointer { b in
            #expect(long.sentence(around: span, stops: SentenceStops(long.bytes)) == OfferScanner.sentence(b, around: span, within: 0..<b.count))
        }
    }

    /// Splitting a text with scripts written without spaces block by block, when asked, gives
    /// the words that splitting the whole text gives.
    @Test func wordsSplitByBlockAreTheWholeTextsWords() {
        var random = OfferTests.Seeded(state: 20_261_207)
        let pieces = ["ฝากเงินขั้นต่ำ", "กำไรทุกวัน", "充值", "每日收益", "提现", "ログイン", "カタカナ", "abc ", "no fee ", " ", "\n", "。", "12%", "ၾကည့္"]
        for _ in 0..<60 {
            let count = Int.random(in: 0...40, using: &random)
            let text = NormalizedText((0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined())
            let whole = WordIndex(text.bytes), blocks = BlockWords(text.bytes)
            let n = text.bytes.count
            for _ in 0..<30 {
                let at = Int.random(in: 0...n, using: &random), words = Int.random(in: -1...8, using: &random)
                #expect(blocks.reach(after: at, words: words) == whole.reach(after: at, words: words), "\(text.string.debugDescription) after \(at) \(words)")
                #expect(blocks.reach(before: at, words: words) == whole.reach(before: at, words: words), "\(text.string.debugDescription) before \(at) \(words)")
            }
        }
    }

    @Test func foldsCaseWidthAndSpace() {
        #expect(norm("  Minimum\t\n DEPOSIT  ") == "minimum deposit")
        #expect(norm("ＭＩＮＩＭＵＭ　deposit") == "minimum deposit")   // full-width letters and ideographic space
        #expect(norm("ﬁxed\u{00A0}profit") == "fixed profit")         // ligature, no-break space
    }

    @Test func readsUnicodeDigitsAsNumbers() {
        #expect(norm("৳৫০০ টাকা") == "৳500 টাকা")
        #expect(norm("₹१२३४") == "₹1234")
        #expect(norm("٣٪") == "3%")
    }

    @Test func dropsInvisibleCharactersAndStraightensQuotes() {
        #expect(norm("de\u{200B}posit") == "deposit")
        #expect(norm("don’t “pay”") == "don't \"pay\"")
        #expect(norm("inv\u{00AD}est") == "invest")
    }

    @Test func bengaliCompositionIsCanonical() {
        // ো written as one code point, and as ে + া, normalise alike.
        #expect(norm("\u{09A4}\u{09CB}") == norm("\u{09A4}\u{09C7}\u{09BE}"))
        // য় as one code point and as য + nukta.
        #expect(norm("\u{09DF}") == norm("\u{09AF}\u{09BC}"))
    }

    @Test func blocksStaySeparate() {
        let text = NormalizedText(blocks: ["Minimum", "deposit"])
        #expect(text.string == "minimum\ndeposit")
    }

    @Test func originMapsBackToWhatThePageWrote() {
        let text = NormalizedText(blocks: ["Intro", "Pay the  MINIMUM Deposit of ৳৫০০ today"])
        let needle = Array("minimum deposit".utf8)
        let start = text.bytes.indices.first { text.bytes[$0...].starts(with: needle) }!
        let evidence = text.evidence(Span(target: .text, start: start, end: start + needle.count))
        #expect(evidence.match == "MINIMUM Deposit")
        #expect(evidence.context == "Pay the  MINIMUM Deposit of ৳৫০০ today")
    }
}

@Suite struct EvidenceCleanTests {
    /// Trimming on bytes agrees with Unicode's White_Space property, for every character up to U+3100.
    @Test func trimsExactlyUnicodeWhiteSpace() {
        func reference(_ s: String) -> String {
            var scalars = Substring(s).unicodeScalars
            while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            return String(scalars)
        }
        var checked = 0
        for v in UInt32(0)...0x3100 {
            guard let c = Unicode.Scalar(v), v != 0 else { continue }
            for s in ["\(c)\(c)ab\(c)", "ক\(c)", "\(c)", " \(c)া \(c)"] {
                #expect(NormalizedText.clean(Array(s.utf8)[...]) == reference(s), "U+\(String(v, radix: 16))")
                checked += 1
            }
        }
        #expect(checked > 40_000)
    }
}

@Suite struct AhoCorasickTests {
    @Test func findsEveryOccurrenceOfEveryPattern() {
        let patterns = ["he", "she", "his", "hers"].map { Array($0.utf8) }
        for dense in [nil, 0, 2] {
            let ac = AhoCorasick(patterns: patterns, denseStates: dense)
            let found = ac.matches(in: Array("ushers".utf8)).map { (String(decoding: patterns[$0.pattern], as: UTF8.self), $0.start) }
            #expect(found.map(\.0) == ["she", "he", "hers"])  // by end offset, then longer first
            #expect(found.map(\.1) == [1, 2, 2])
        }
    }

    @Test func agreesWithANaiveSearchOnRandomText() {
        var g = SplitMix(seed: 7)
        let alphabet = Array("abcন্য ".utf8)
        for _ in 0..<50 {
            let patterns = (0..<20).map { _ in (0..<Int(1 + g.next() % 5)).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] } }
            let text = (0..<400).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }
            var expected: [String] = []
            for end in 1...text.count {
                for (p, pattern) in patterns.enumerated() where pattern.count <= end && Array(text[(end - pattern.count)..<end]) == pattern {
                    expected.append("\(p)@\(end)")
                }
            }
            // Complete rows for every state, for none (sparse edges and failure links only), and for a few.
            for dense in [nil, 0, 1, 4] {
                let ac = AhoCorasick(patterns: patterns, denseStates: dense)
                let got = ac.matches(in: text).map { "\($0.pattern)@\($0.end)" }
                #expect(Set(got) == Set(expected), "dense states: \(dense.map(String.init) ?? "all")")
                #expect(got.count == expected.count)
            }
        }
    }
}

extension AhoCorasickTests {
    /// Every occurrence, by end offset, then longer first, then by pattern id: the order `scan` promises.
    static func naiveMatches(_ patterns: [[UInt8]], _ text: [UInt8]) -> [AhoCorasick.Match] {
        var out: [AhoCorasick.Match] = []
        guard !text.isEmpty else { return out }
        for end in 1...text.count {
            var here: [AhoCorasick.Match] = []
            for (p, pattern) in patterns.enumerated() where !pattern.isEmpty && pattern.count <= end
                && text[(end - pattern.count)..<end].elementsEqual(pattern) {
                here.append(AhoCorasick.Match(pattern: p, start: end - pattern.count, end: end))
            }
            out += here.sorted { ($1.end - $1.start, $0.pattern) < ($0.end - $0.start, $1.pattern) }
        }
        return out
    }

    /// Long shared prefixes (chains of one-edge states, laid out depth first), states with many
    /// edges, repeated and nested patterns, all 256 byte values, and every split between rows
    /// and sparse states: the same matches as a naive search, in the same order.
    @Test func layoutAgreesWithANaiveSearchInOrder() {
        var g = SplitMix(seed: 0x5EED_11)
        let alphabets: [[UInt8]] = [Array("ab".utf8), Array("abcন্য ".utf8), Array(0...255)]
        for round in 0..<60 {
            let alphabet = alphabets[round % alphabets.count]
            func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] } }
            var patterns: [[UInt8]] = []
            for _ in 0..<(5 + Int(g.next() % 60)) {
                switch g.next() % 4 {
                case 0: patterns.append(random(1 + Int(g.next() % 3)))
                case 1: patterns.append(random(8 + Int(g.next() % 30)))            // a long chain
                case 2 where !patterns.isEmpty:                                       // extends or cuts another
                    let other = patterns[Int(g.next() % UInt64(patterns.count))]
                    patterns.append(g.next() % 2 == 0 ? other + random(1 + Int(g.next() % 6)) : Array(other.prefix(Int(g.next() % UInt64(other.count + 1)))))
                default: patterns.append(patterns.last ?? random(2))                  // a repeat (or empty, from a cut)
                }
            }
            // Text made mostly of pieces of the patterns, so that deep states are reached and left.
            var text: [UInt8] = []
            while text.count < 600 {
                if g.next() % 3 == 0 { text += random(1 + Int(g.next() % 4)) } else {
                    let p = patterns[Int(g.next() % UInt64(patterns.count))]
                    text += p.prefix(Int(g.next() % UInt64(p.count + 2)))
                }
            }
            let expected = Self.naiveMatches(patterns, text)
            for dense in [nil, 0, 1, 2, 5, 40] {
                let ac = AhoCorasick(patterns: patterns, denseStates: dense)
                #expect(ac.matches(in: text) == expected, "round \(round), dense states: \(dense.map(String.init) ?? "all")")
            }
        }
    }

    /// Hundreds of states with many edges each, so that their edge lists lie far into the table.
    @Test func manyBranchingStatesAgreeWithANaiveSearch() {
        let letters = Array("abcdefgh".utf8)
        let patterns = letters.flatMap { a in letters.flatMap { b in letters.map { c in [a, b, c, a] } } }
        var g = SplitMix(seed: 3)
        let text = (0..<3000).map { _ in letters[Int(g.next() % 8)] }
        let expected = Self.naiveMatches(patterns, text)
        #expect(expected.count > 100)
        for dense in [nil, 0, 1, 9] {
            let ac = AhoCorasick(patterns: patterns, denseStates: dense)
            #expect(ac.matches(in: text) == expected, "dense states: \(dense.map(String.init) ?? "all")")
        }
    }

    /// The walk goes a chunk of bytes at a time: matches that straddle a chunk's end, or end on
    /// it, are found like any other.
    @Test func matchesAcrossChunksAreFound() {
        let patterns = ["abcdef", "xab", "f", "xxxxxxxxxxxxxxxxxxxxab"].map { Array($0.utf8) }
        for offset in [AhoCorasick.chunk - 8, AhoCorasick.chunk - 3, AhoCorasick.chunk - 1, AhoCorasick.chunk, 2 * AhoCorasick.chunk - 6] {
            let text = Array(String(repeating: "x", count: offset).utf8) + Array("abcdefxabf".utf8)
            for dense in [nil, 0, 3] {
                let ac = AhoCorasick(patterns: patterns, denseStates: dense)
                #expect(ac.matches(in: text) == Self.naiveMatches(patterns, text), "at \(offset)")
            }
        }
    }

    /// Root, a, ab, abc, abd and x: six states, though the patterns have seven bytes.
    @Test func theStateLimitCountsSharedPrefixesOnce() {
        let patterns = ["abc", "abd", "x"].map { Array($0.utf8) }
        #expect(AhoCorasick.fitsStateLimit(patterns, limit: 8))
        #expect(AhoCorasick.fitsStateLimit(patterns, limit: 6))
        #expect(!AhoCorasick.fitsStateLimit(patterns, limit: 5))
        #expect(!AhoCorasick.fitsStateLimit(patterns + [Array("abe".utf8)], limit: 6))
        #expect(AhoCorasick(patterns: patterns).stateCount == 6)
    }

    /// A rule set over the limit is refused with a message naming its file, before an
    /// automaton is built (building one past the limit would stop the program).
    @Test func aRuleSetPastTheStateLimitIsRefused() throws {
        let file = try RuleFileLoader.parse(text: """
            rules:
              - id: fee
                category: deposit
                description: an activation fee
                weight: 20
                phrases: [activation fee, joining fee]
                examples: {hit: [activation fee]}
            """, file: "big.yaml")
        _ = try RuleSet(files: [file], separateSmallTargets: true, stateLimit: 1_000)
        do {
            _ = try RuleSet(files: [file], separateSmallTargets: true, stateLimit: 10)
            Issue.record("a rule set past the limit was built")
        } catch let error as RuleLoadError {
            #expect(error.problems.map(\.file) == ["big.yaml"])
            #expect(error.problems.first?.message.contains("more than 10 automaton states") == true)
        }
    }

    @Test func tablesThatDoNotFitTogetherAreRefused() {
        let classes = [UInt8](repeating: 0, count: 256)
        func fits(records: [UInt32], edges: [UInt32] = [], dense: [UInt32] = [], denseCount: Int = 0) -> Bool {
            AhoCorasick.fits(byteClass: classes, classCount: 1, denseCount: denseCount, dense: dense, records: records, edges: edges,
                             outStart: [Int32](repeating: 0, count: records.count + 1), outLink: [Int32](repeating: 0, count: records.count),
                             outPattern: [], patterns: 0)
        }
        let single = AhoCorasick.Record.single | 0x61 << AhoCorasick.Record.byteShift, multi = AhoCorasick.Record.multi
        let twoEdges: UInt32 = 0x6261                                          // the bytes "a" and "b", one word
        #expect(fits(records: [single, 0]))
        #expect(!fits(records: [single]))                                    // its one edge leads past the last state
        #expect(!fits(records: [0, 5]))                                      // a failure past the last state
        #expect(fits(records: [multi, 0, 0], edges: [2, twoEdges, 1, 2]))
        #expect(!fits(records: [multi, 0, 0], edges: [2, twoEdges, 1, 3]))   // an edge to no state
        #expect(!fits(records: [multi, 0, 0], edges: [3, twoEdges | 0x63_0000, 1, 2]))   // more edges than the table holds
        #expect(!fits(records: [multi, 0, 0], edges: [2 | 5 << AhoCorasick.Record.countBits, twoEdges, 1, 2]))   // a failure past the last state
        #expect(!fits(records: [multi, 0, 0], edges: [0]))                    // a list of no edges
        #expect(!fits(records: [0, 0], dense: [2], denseCount: 1))           // a row entry past the last state
        #expect(fits(records: [0, 0], dense: [1 | AhoCorasick.Record.reports], denseCount: 1))   // the reports bit is no index
        #expect(!fits(records: [single | multi, 0, 0], edges: [0]))          // a record both single and multi
        #expect(!fits(records: [0, single, 0, 0x61]))                        // the failure check reaches the last record
        // The output tables: patterns reported in a state, and links between reporting states.
        func fitsOutputs(outStart: [Int32], outLink: [Int32], outPattern: [Int32], patterns: Int) -> Bool {
            AhoCorasick.fits(byteClass: classes, classCount: 1, denseCount: 0, dense: [], records: [0, 0], edges: [],
                             outStart: outStart, outLink: outLink, outPattern: outPattern, patterns: patterns)
        }
        #expect(fitsOutputs(outStart: [0, 1, 2], outLink: [0, 0], outPattern: [0, 1], patterns: 2))
        #expect(fitsOutputs(outStart: [0, 0, 0], outLink: [0, 1], outPattern: [], patterns: 0))
        #expect(!fitsOutputs(outStart: [0, 1, 2], outLink: [0, 0], outPattern: [0, 2], patterns: 2))    // no pattern 2
        #expect(!fitsOutputs(outStart: [0, 1, 2], outLink: [0, 0], outPattern: [0, -1], patterns: 2))   // a negative pattern
        #expect(!fitsOutputs(outStart: [0, 2, 1], outLink: [0, 0], outPattern: [0], patterns: 2))       // starts that fall back
        #expect(!fitsOutputs(outStart: [0, 0, 0], outLink: [0, 2], outPattern: [], patterns: 0))        // a link to no state
        #expect(!fitsOutputs(outStart: [0, 0, 0], outLink: [-1, 0], outPattern: [], patterns: 0))       // a negative link
    }

    @Test func aSnapshotScansAsTheAutomatonItWasWrittenFrom() throws {
        var g = SplitMix(seed: 42)
        let patterns = (0..<300).map { _ in (0..<Int(1 + g.next() % 12)).map { _ in UInt8(0x61 + g.next() % 6) } }
        let text = (0..<2000).map { _ in UInt8(0x61 + g.next() % 7) }
        for dense in [nil, 0, 10] {
            let ac = AhoCorasick(patterns: patterns, denseStates: dense)
            let copy = try Self.throughSnapshot(ac)
            #expect(copy.stateCount == ac.stateCount)
            #expect(copy.matches(in: text) == ac.matches(in: text))
            #expect(copy.matches(in: text) == Self.naiveMatches(patterns, text))
        }
    }

    /// The automaton written to a snapshot and read back.
    static func throughSnapshot(_ ac: AhoCorasick) throws -> AhoCorasick {
        var w = SnapshotWriter()
        w.write(ac)
        return try w.finish().withUnsafeBytes { raw in
            var r = try SnapshotReader(bytes: raw)
            return try r.read()
        }
    }

    /// An automaton over some of a list's patterns, reporting the list's ids, finds exactly the
    /// full automaton's matches of those patterns, in the same order; its snapshot too.
    @Test func aSubsetReportsTheFullListsIDsInTheFullOrder() throws {
        var g = SplitMix(seed: 11)
        let patterns = (0..<200).map { _ in (0..<Int(1 + g.next() % 8)).map { _ in UInt8(0x61 + g.next() % 5) } }
        let text = (0..<3000).map { _ in UInt8(0x61 + g.next() % 6) }
        let full = AhoCorasick(patterns: patterns).matches(in: text)
        for keepOneIn in [2, 3, 7] {
            let kept = Array(Set(patterns.indices.filter { $0 % keepOneIn == 1 }.map { patterns[$0] })).sorted { $0.lexicographicallyPrecedes($1) }
            // The list's first id for each kept pattern (patterns repeat in a random list).
            let ids = kept.map { k in Int32(patterns.firstIndex(of: k)!) }
            let expected = full.filter { ids.contains(Int32($0.pattern)) }
            #expect(!expected.isEmpty)
            for dense in [nil, 0, 3] {
                let side = AhoCorasick(patterns: kept, ids: ids, denseStates: dense)
                #expect(side.matches(in: text) == expected, "one in \(keepOneIn), dense \(dense.map(String.init) ?? "all")")
                #expect(try Self.throughSnapshot(side).matches(in: text) == expected)
            }
        }
    }
}

@Suite struct WordBoundaryTests {
    func fired(_ phrase: String, _ html: String) throws -> Bool {
        let yaml = """
        rules:
          - id: r
            category: t
            description: d
            weight: 10
            phrases: ["\(phrase)"]
            examples: {hit: [x]}
        """
        let rules = try RuleSet(files: [RuleFileLoader.parse(text: yaml, file: "t.yaml")])
        return try !Engine(rules: rules).score(html: Data(html.utf8)).hits.isEmpty
    }

    @Test func englishWordsNeedBoundaries() throws {
        #expect(try fired("deposit", "<p>deposit now</p>"))
        #expect(try !fired("deposit", "<p>deposited</p>"))
        #expect(try !fired("invest", "<p>reinvestment</p>"))
        #expect(try fired("deposit*", "<p>deposited</p>"))
    }

    @Test func bengaliWordsNeedBoundariesToo() throws {
        #expect(try fired("জমা", "<p>৫০০ টাকা জমা দিন</p>"))
        // জমা inside জমাট (a different word) must not match.
        #expect(try !fired("জমা", "<p>জমাট বাঁধা</p>"))
        // A vowel sign after the phrase is part of the same word.
        #expect(try !fired("রিচার্জ", "<p>রিচার্জে</p>"))
        #expect(try fired("রিচার্জ*", "<p>রিচার্জে</p>"))
    }

    @Test func phrasesNeverJoinAcrossBlocks() throws {
        #expect(try !fired("minimum deposit", "<div>Minimum</div><div>deposit</div>"))
        #expect(try fired("minimum deposit", "<div>Minimum <b>deposit</b></div>"))
    }

    @Test func nonWordEdgesMatchInsideURLs() throws {
        #expect(try fired("?a=signup", "<p>index.php?a=signup&ref=1</p>"))
    }
}

@Suite struct RegexAtomTests {
    @Test func literalRunsAndAlternations() {
        #expect(RegexAtoms.required("abc\\d+def") == ["abc"])
        #expect(RegexAtoms.required("(?:daily|weekly)\\s\\d+%") == ["daily", "weekly"])
        #expect(RegexAtoms.required("\\d+(?:\\.\\d+)?\\s?%\\s*(daily|per day)") == ["daily", "per day"])
        #expect(RegexAtoms.required("[?&]a=(?:signup|deposit)") == ["a=deposit", "a=signup"])  // the run joined to the group after it
        #expect(RegexAtoms.required("t\\.me/") == ["t.me/"])
    }

    /// A concept's phrases reach a regex as a prefix tree; atoms are the words joined again
    /// across its forks, not the pieces after a fork.
    @Test func atomsJoinWordsAcrossThePrefixTreesForks() throws {
        #expect(RegexAtoms.required("pa(?:y|yout)") == ["pay", "payout"])
        #expect(RegexAtoms.prefixes("pa(?:y|yout)\\s+now") == ["pay", "payout"])
        #expect(RegexAtoms.required("(?:must\\s+be\\s+paid\\s+sep(?:arately|erately))") == ["separately", "seperately"])
        // A space inside a concept's phrase is a plain space, so a phrase of several words is
        // one atom: rarer than any of its words, which the regex would be searched around.
        let tree = ConceptExpander.group(["khong the tru", "khi rut tien", "dipotong dari saldo"].map { PhraseSpec(text: $0, location: SourceLocation(file: "t.yaml", line: 1, column: 1)) })
        let atoms = try #require(RegexAtoms.required(tree))
        #expect(atoms.sorted() == ["dipotong dari saldo", "khi rut tien", "khong the tru"], "\(atoms)")
        let plan = RegexPlan(tree)
        #expect(plan.parts.allSatisfy { ($0.atoms ?? []).allSatisfy { $0.contains(" ") } }, "\(plan.parts.map(\.atoms))")
        // No join that normalisation would undo: ে and া, split at a fork, compose into ো.
        let split = "ক\u{09C7}(?:\u{09BE}ন|র)"
        #expect(!(RegexAtoms.required(split) ?? []).contains("ক\u{09C7}\u{09BE}ন"))
        #expect(!(RegexAtoms.prefixes(split) ?? []).contains("ক\u{09C7}\u{09BE}ন"))
    }

    /// A concept's phrase in a regex matches within one block of text, as a phrase rule does:
    /// its space is the single space normalised text has between two words, not the line
    /// break between two blocks (a heading and the paragraph after it).
    @Test func aConceptPhraseInARegexStaysInOneBlock() throws {
        let group = ConceptExpander.group([PhraseSpec(text: "must be paid separately", location: SourceLocation(file: "t.yaml", line: 1, column: 1))])
        let regex = try RegexCheck.compile(group)
        #expect(regex.firstMatch(in: TextNormalizer.normalize("The tax must be  paid\tseparately.")) != nil)
        let twoBlocks = Array("the tax must be".utf8) + [NormalizedText.blockSeparator] + Array("paid separately".utf8)
        #expect(regex.firstMatch(in: twoBlocks) == nil)
    }

    @Test func optionalPartsGiveNoAtom() {
        #expect(RegexAtoms.required("(?:abc)?\\d+") == nil)
        #expect(RegexAtoms.required("abc|\\d+") == nil)
        #expect(RegexAtoms.required("x*") == nil)
        #expect(RegexAtoms.required("(?<![a-z])\\d{5}") == nil)
    }

    /// Whatever atoms are chosen, a text the regex matches must contain one of them.
    @Test func atomsNeverHideARealMatch() throws {
        let cases: [(String, String)] = [
            ("\\d+(?:[.,]\\d+)?\\s?%\\s?(?:daily|per day)", "earn 3.5 % daily"),
            ("(?:withdraw\\w*|cash ?out)[^\\n.]{0,60}?(?:after|until) you (?:upgrade|recharge)", "withdrawals unlock after you recharge"),
            ("(?:বিকাশ|নগদ)[^\\n]{0,20}?01[3-9]\\d{8}", "বিকাশ পার্সোনাল 01712345678"),
            ("level\\s?[1-3]\\s?[:-]?\\s?\\d+%", "level 2: 5%"),
        ]
        for (pattern, text) in cases {
            let regex = try RegexCheck.compile(pattern)
            let normalized = String(decoding: TextNormalizer.normalize(text), as: UTF8.self)
            #expect(regex.firstMatch(in: Array(normalized.utf8)) != nil, "\(pattern)")
            let atoms = try #require(RegexAtoms.required(RegexCheck.expand(pattern)))
            #expect(atoms.contains { normalized.contains($0) }, "\(pattern): \(atoms)")
        }
    }

    @Test func patternLiteralsAreNormalisedLikeText() throws {
        // য় written as one code point in the pattern still meets normalised text (য + nukta).
        let regex = try RegexCheck.compile("উপা\u{09DF}")
        #expect(regex.firstMatch(in: TextNormalizer.normalize("উপা\u{09DF} নম্বর")) == 0..<15)  // উ প া য ় : five 3-byte scalars
        // An en dash in a pattern becomes an escaped hyphen, even inside a class.
        let dash = try RegexCheck.compile("[:–]\\s?\\d")
        #expect(dash.firstMatch(in: Array("- 5".utf8)) == 0..<3)
    }
}

@Suite struct RegexWindowTests {
    /// A pattern reaches ICU as UTF-16: letters of every plane, and a surrogate pair for
    /// those beyond the first, must match as written (a wrong unit would match nothing or
    /// something else).
    @Test func patternsBeyondASCIIMatchAsWritten() throws {
        let cases: [(pattern: String, text: String, match: String?)] = [
            ("(?:😀|ভিআইপি)\\s?\\d", "join ভিআইপি 2 now", "ভিআইপি 2"),
            ("(?:😀|ভিআইপি)\\s?\\d", "emoji 😀3 here", "😀3"),
            ("dépôt [𝟘-𝟡]", "un dépôt 𝟟 euros", "dépôt 𝟟"),
            ("充值\\d+元", "充值100元即可升级", "充值100元"),
            ("😀x", "😁x", nil),
        ]
        for c in cases {
            let bytes = Array(c.text.utf8)
            let found = try ICURegex(c.pattern).firstMatch(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
            #expect(found == c.match, "\(c.pattern) in \(c.text)")
        }
    }

    /// A part without atoms is searched only in runs of the characters it can consume, at
    /// least as long as its shortest match, and a part with atoms skips windows shorter than
    /// that: both must find what a search of the whole text finds, on random texts mixing what
    /// the patterns consume with what they cannot.
    @Test func runSearchFindsWhatAFullSearchFinds() throws {
        let patterns = [
            // The shapes of the built-in rules' parts without atoms: an address, a postcode, a run of digits.
            "(?<![0-9a-z])t(?=[0-9a-z]{0,32}\\d)[0-9a-z]{32,33}(?![0-9a-z])",
            "(?<![0-9a-z])0x[0-9a-f]{40}(?![0-9a-z])",
            ",\\s(?:[a-z]+\\s){1,2}[a-z]{1,2}\\d{1,2}[a-z]?\\s\\d[a-z]{2}\\b",
            "\\b\\d{5}-\\d{3}\\b",
            "(?:ভিআইপি|vip)\\s?\\d{1,2}\\s?(?:টাকা|tk)",
            "[а-яё]{6,}\\s\\d",
            // Joined at its lazy gap: the tail's atom "t" counts only inside a run of 33.
            "(?:wallet|address)[\\s\\S]{0,80}?(?<![0-9a-z])t(?=[0-9a-z]{0,32}\\d)[0-9a-z]{32,33}(?![0-9a-z])",
        ]
        var random = OfferTests.Seeded(state: 20_261_208)
        let pieces = ["t", "0x", "a", "b7", "3f", "9", "12345", "-", "678", " ", ", ", "quay st bs1 6qa", "\n", ".", "ক", "ভিআইপি", "vip",
                      "টাকা", "tk", "৫৫", "০১২", "😀", "вклад", "доход ", "ё", "wallet ", "address: ", "tq5rnk8wmx2cvb7lp4hs9jd3fg6ka1ze0y", String(repeating: "a1", count: 20)]
        for pattern in patterns {
            let expanded = RegexCheck.expand(pattern)
            let regex = try ICURegex(expanded)
            let charset = RegexCharset(pattern: expanded)
            let minChars = RegexAtoms.analyze(expanded).minChars
            let split = RegexCheck.splitAtLazyGap(expanded)
            #expect(split != nil || (!charset.allowsEverything && minChars >= RuleEvaluator.runSearchMinimum), "\(pattern)")
            for _ in 0..<150 {
                let count = Int.random(in: 0...60, using: &random)
                let raw = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
                let text = NormalizedText(raw)
                let full = RuleEvaluator.regexMatches(regex, in: text, target: .text, started: Date(), budget: 5).0.map { $0.start..<$0.end }
                let runs = text.bytes.withUnsafeBufferPointer { charset.runs(in: $0, atLeast: minChars) }
                let inRuns = runs.isEmpty ? [] : RuleEvaluator.regexMatches(regex, in: text, regions: runs, target: .text, started: Date(), budget: 5).0.map { $0.start..<$0.end }
                #expect(inRuns == full, "\(pattern) on \(raw.debugDescription)")
                // With atoms, windows around them shorter than the shortest match are dropped: the same matches.
                if let required = RegexAtoms.required(expanded) {
                    let ac = AhoCorasick(patterns: required.map { Array($0.utf8) })
                    var windows = ac.matches(in: text.bytes).map { $0.start..<$0.end }
                    RuleEvaluator.widen(&windows, in: text.bytes, before: RuleEvaluator.atomReach, after: RuleEvaluator.atomReach, charset: charset)
                    windows.removeAll { $0.count < minChars }
                    let windowed = windows.isEmpty ? [] : RuleEvaluator.regexMatches(regex, in: text, regions: windows, target: .text, started: Date(), budget: 5).0.map { $0.start..<$0.end }
                    #expect(windowed == full, "windows \(pattern) on \(raw.debugDescription)")
                }
                // Joined, the tail's atoms kept only inside runs long enough for a tail: the same matches.
                if let split, let tailAtoms = RegexAtoms.required(split.tail) {
                    let tailCharset = RegexCharset(pattern: split.tail), tailMin = RegexAtoms.analyze(split.tail).minChars
                    #expect(!tailCharset.allowsEverything && tailMin > 1)
                    let ac = AhoCorasick(patterns: tailAtoms.map { Array($0.utf8) })
                    let kept = RuleEvaluator.starts(of: ac.matches(in: text.bytes).map { $0.start..<$0.end }, inRunsOf: tailCharset, atLeast: tailMin, in: text.bytes)
                    let joined = RuleEvaluator.JoinedRun(head: try ICURegex(split.head), tail: try ICURegex(split.tail),
                                                         gap: ICURegex.Gap(maxChars: split.maxChars, forbidden: split.forbidden, tailReach: 320),
                                                         tailStarts: kept.sorted())
                    let joinedFound = RuleEvaluator.regexMatches(regex, in: text, regions: [0..<text.bytes.count], joined: joined, target: .text, started: Date(), budget: 5).0
                    #expect(joinedFound.map { $0.start..<$0.end } == full, "joined \(pattern) on \(raw.debugDescription)")
                }
            }
        }
        // The shortest match, counted as the analysis does: repeats, alternatives, lookarounds.
        #expect(RegexAtoms.analyze("(?<![a-z])ab{2,3}(?:cd|e)?f").minChars == 4)
        #expect(RegexAtoms.analyze("(?:abc|de)\\d{3}").minChars == 5)
        // Back references and case-insensitive flags are not counted on.
        #expect(RegexAtoms.analyze("(a+)x\\1y").minChars == 0)
        #expect(RegexAtoms.analyze("(?i)strasse").minChars == 0)
        // A character written as a code is one character, not one and then literals.
        #expect(RegexAtoms.analyze("a\\x{41}b").minChars == 3)
        #expect(RegexAtoms.analyze("a\\u0041b").minChars == 3)
        #expect(RegexAtoms.analyze("a\\x41\\cAb\\0101").minChars == 5)
        #expect(!(RegexAtoms.analyze("pay\\u0020now").required ?? []).contains { $0.contains("0020") })
        #expect(RegexAtoms.analyze("(?<![\\w--[_\\u200c\\u200d]])vip\\s?\\d").minChars == 4)
    }

    /// Searching only near atoms (windows, or anchored at prefix atoms) must find what a
    /// search of the whole text finds.
    @Test func atomSearchFindsWhatAFullSearchFinds() throws {
        let patterns = [
            "(?:withdraw\\w*|cash ?out)[^\\n.]{0,40}?(?:fee|charge)\\s?\\d+\\s?%",
            "\\d+(?:\\.\\d+)?\\s?%\\s?(?:daily|per day)",
            "(?<![\\p{L}\\p{N}])(?:vip|ভিআইপি)\\s?1[\\s\\S]{0,60}?(?:vip|ভিআইপি)\\s?2",
            "(?:level|স্তর)\\s?1\\s?:?\\s?\\d+%[\\s\\S]{0,40}?(?:level|স্তর)\\s?2\\s?:?\\s?\\d+%",
        ]
        let texts = [
            "withdrawal fee 5 % applies. earn 3.5% daily\nvip 1 costs $10\nvip 2 costs $50 and pays 4% per day",
            "no fees here\ncash out charge 10% then 2% daily\nvipx 1 vip 2",
            String(repeating: "filler text ", count: 80) + "withdraw now, fee 7% " + String(repeating: "x ", count: 300) + "ভিআইপি 1 … ভিআইপি 2",
            "level 1: 5% level 1: 6% " + String(repeating: "ক", count: 30) + " level 2: 3%\nlevel 1 9% level 2 1% স্তর ১ ৮% স্তর ২ ২%",
            "withdraw\nfee 5% · cash out. charge 5% · withdrawal 😀😀 fee 3%",
        ]
        for pattern in patterns {
            let regex = try ICURegex(RegexCheck.expand(pattern))
            let prefixes = RegexAtoms.prefixes(RegexCheck.expand(pattern))
            let required = try #require(RegexAtoms.required(RegexCheck.expand(pattern)))
            for raw in texts {
                let text = NormalizedText(raw)
                let full = RuleEvaluator.regexMatches(regex, in: text, target: .text, started: Date(), budget: 5).0.map { $0.start..<$0.end }
                func occurrences(_ atoms: [String]) -> [Span] {
                    let ac = AhoCorasick(patterns: atoms.map { Array($0.utf8) })
                    return ac.matches(in: text.bytes).map { Span(target: .text, start: $0.start, end: $0.end) }
                }
                var windows = occurrences(required).map { $0.start..<$0.end }
                RuleEvaluator.widen(&windows, in: text.bytes, before: RuleEvaluator.atomReach, after: RuleEvaluator.atomReach, charset: nil)
                let windowed = RuleEvaluator.regexMatches(regex, in: text, regions: windows, target: .text, started: Date(), budget: 5).0
                #expect(windowed.map { $0.start..<$0.end } == full, "\(pattern) on \(raw.prefix(30))")
                // Windows cut short at characters the pattern cannot consume: still the same matches.
                let charset = RegexCharset(pattern: RegexCheck.expand(pattern))
                var cut = occurrences(required).map { $0.start..<$0.end }
                RuleEvaluator.widen(&cut, in: text.bytes, before: RuleEvaluator.atomReach, after: RuleEvaluator.atomReach, charset: charset)
                let cutFound = RuleEvaluator.regexMatches(regex, in: text, regions: cut, target: .text, started: Date(), budget: 5).0
                #expect(cutFound.map { $0.start..<$0.end } == full, "charset windows \(pattern) on \(raw.prefix(30))")
                if let prefixes {
                    let starts = Array(Set(occurrences(prefixes).map(\.start))).sorted()
                    let anchored = RuleEvaluator.regexMatches(regex, in: text, starts: starts, target: .text, started: Date(), budget: 5).0
                    #expect(anchored.map { $0.start..<$0.end } == full, "anchored \(pattern) on \(raw.prefix(30))")
                }
                // Cut at its lazy gap, run as head then tail, windowed and anchored: the same matches.
                if let split = RegexCheck.splitAtLazyGap(RegexCheck.expand(pattern)) {
                    var joined = RuleEvaluator.JoinedRun(head: try ICURegex(split.head), tail: try ICURegex(split.tail),
                                                         gap: ICURegex.Gap(maxChars: split.maxChars, forbidden: split.forbidden, tailReach: 320))
                    let windowedJoin = RuleEvaluator.regexMatches(regex, in: text, regions: windows, joined: joined, target: .text, started: Date(), budget: 5).0
                    #expect(windowedJoin.map { $0.start..<$0.end } == full, "joined \(pattern) on \(raw.prefix(30))")
                    // The tail looked for only where one of its atoms follows the head: the same matches.
                    let tailAtoms = try #require(RegexAtoms.required(split.tail))
                    joined.tailStarts = occurrences(tailAtoms).map(\.start).sorted()
                    let filteredJoin = RuleEvaluator.regexMatches(regex, in: text, regions: windows, joined: joined, target: .text, started: Date(), budget: 5).0
                    #expect(filteredJoin.map { $0.start..<$0.end } == full, "joined, tail atoms \(pattern) on \(raw.prefix(30))")
                    if let prefixes {
                        let starts = Array(Set(occurrences(prefixes).map(\.start))).sorted()
                        let anchoredJoin = RuleEvaluator.regexMatches(regex, in: text, starts: starts, joined: joined, target: .text, started: Date(), budget: 5).0
                        #expect(anchoredJoin.map { $0.start..<$0.end } == full, "joined, anchored \(pattern) on \(raw.prefix(30))")
                    }
                }
            }
        }
    }
}

@Suite struct WindowMergeTests {
    @Test func windowsMergeWhenTheyTouchOrOverlap() {
        var windows = [10..<20, 0..<5, 18..<25, 25..<26, 40..<41, 5..<6]
        RuleEvaluator.merge(&windows)
        #expect(windows == [0..<6, 10..<26, 40..<41])
        var starts = [7, 3, 7, 1, 3, 9]
        RuleEvaluator.sortUnique(&starts)
        #expect(starts == [1, 3, 7, 9])
        var none: [Int] = []
        RuleEvaluator.sortUnique(&none)
        #expect(none.isEmpty)
    }
}

@Suite struct RegexCharsetTests {
    func set(_ pattern: String) -> RegexCharset { RegexCharset(pattern: RegexCheck.expand(pattern)) }

    @Test func collectsWhatAPatternConsumes() {
        let percent = set("\\d+(?:\\.\\d+)?\\s?%")
        for c in "0123456789. \t%".unicodeScalars { #expect(percent.contains(c), "\(c)") }
        for c in "a,-৳".unicodeScalars { #expect(!percent.contains(c), "\(c)") }
        #expect(percent.contains("১"))   // ICU's \\d takes any decimal digit
        let classes = set("[a-c$৳]x{2,3}\\-[\\d\\-]")
        for c in "abc$৳x-7".unicodeScalars { #expect(classes.contains(c), "\(c)") }
        for c in "d{}2,3".unicodeScalars where !"23".unicodeScalars.contains(c) { #expect(!classes.contains(c), "\(c)") }
        let bengali = set("টাকা ?\\d+")
        #expect(bengali.contains("ট") && bengali.contains("া") && bengali.contains("ক"))
        #expect(!bengali.contains("ল") && !bengali.contains("t"))
    }

    @Test func lookaroundsAndAnchorsConsumeNothing() {
        let s = set("(?<![x(])\\bab(?=[y)]|z)(?!\\p{L})$")
        #expect(s.contains("a") && s.contains("b"))
        for c in "xyz()L{}p".unicodeScalars { #expect(!s.contains(c), "\(c)") }
    }

    @Test func whatItCannotReadAllowsEverything() {
        for pattern in [".", "a\\S", "[^a]", "\\w+", "\\p{L}", "a\\x{41}", "(?x)a b", "[[a-z]&&[b]]", "(a)\\1"] {
            #expect(set(pattern).allowsEverything, "\(pattern)")
        }
        #expect(!set("[\\s\\d]+%").allowsEverything)
    }

    @Test func caseInsensitivePatternsAllowBothCases() {
        let s = set("(?i)vip[a-c]")
        #expect(s.contains("V") && s.contains("v") && s.contains("P"))
    }

    @Test func windowsStopAtTheFirstCharacterOutside() {
        let s = set("\\d+(?:[.,]\\d+)?\\s?(?:-|–)\\s?\\d+\\s?%")
        let text = Array("rate: 1,5 - 2 % daily".utf8)
        let percent = text.firstIndex(of: UInt8(ascii: "%"))!
        text.withUnsafeBufferPointer { b in
            #expect(s.start(before: percent, limit: 320, in: b) == 5)       // after "rate:"
            #expect(s.start(before: percent, limit: 4, in: b) == percent - 4) // the reach still caps it
            #expect(s.end(after: percent + 1, limit: 320, in: b) == percent + 2) // the space, then "d"
            #expect(s.end(after: 0, limit: 320, in: b) == 0)
        }
    }
}

@Suite struct GapSplitTests {
    @Test func lazyGapsAtTheTopLevelAreFound() {
        let s = RegexCheck.splitAtLazyGap("(?:a|b)\\d+[\\s\\S]{0,160}?(?:c|d)")
        #expect(s == RegexCheck.GapSplit(head: "(?:a|b)\\d+", tail: "(?:c|d)", maxChars: 160, forbidden: []))
        #expect(RegexCheck.splitAtLazyGap("fee[^\\n.]{0,40}?tax")?.forbidden == [0x0A, 0x2E])
        // Greedy gaps, gaps inside groups, and classes that are not "anything but a few" stay whole.
        #expect(RegexCheck.splitAtLazyGap("a[\\s\\S]{0,9}b") == nil)
        #expect(RegexCheck.splitAtLazyGap("(?:a[\\s\\S]{0,9}?b)") == nil)
        #expect(RegexCheck.splitAtLazyGap("a[a-z]{0,9}?b") == nil)
        #expect(RegexCheck.splitAtLazyGap("a[\\s\\S]{0,9}?b|c") == nil)
    }
}

@Suite struct ComposingMarkTests {
    /// Each listed mark composes with exactly the listed scalars of its block, and with no other:
    /// otherwise the fast path would leave a pair apart that NFC joins, or send runs to Foundation
    /// for nothing.
    @Test func composingMarksComposeWithExactlyTheListedScalars() throws {
        for (mark, partners) in TextNormalizer.composingMarks {
            let block = (mark & ~0x7F)..<((mark & ~0x7F) + 0x80)
            for p in block {
                guard let first = Unicode.Scalar(p), let second = Unicode.Scalar(mark) else { continue }
                var pair = ""
                pair.unicodeScalars.append(first)
                pair.unicodeScalars.append(second)
                let composes = pair.precomposedStringWithCanonicalMapping.unicodeScalars.count == 1
                #expect(composes == partners.contains(p), "U+\(String(p, radix: 16)) + U+\(String(mark, radix: 16))")
            }
        }
    }

    /// Characters of one scalar take remembered answers on the slow path: the same bytes, mapped
    /// to the same places, as asking Foundation for each. Every scalar up to U+3100 and a few
    /// blocks beyond, each in a run that the slow path reads (an É in it), twice (the second
    /// time from memory).
    @Test func rememberedCharactersNormaliseAsFoundationDoes() {
        func normalized(_ s: String, remembering: Bool) -> ([UInt8], [Int32]) {
            var original: [UInt8] = []
            var n = TextNormalizer(capacity: 16)
            defer { n.deallocate() }
            n.remembersCharacters = remembering
            n.append(s, original: &original)
            return (n.bytes.array, n.origin.array)
        }
        let ranges: [ClosedRange<UInt32>] = [0xA0...0x3100, 0x3300...0x3400, 0xAC00...0xAC40, 0xF900...0xFB50, 0xFE30...0xFFEF, 0x1D400...0x1D500]
        var checked = 0
        for v in ranges.joined() {
            guard let c = Unicode.Scalar(v) else { continue }
            for s in ["É\(c)x", "\(c)\(c)É", "É\(c)\u{301}"] {
                let plain = normalized(s, remembering: false)
                #expect(normalized(s, remembering: true) == plain, "U+\(String(v, radix: 16))")
                #expect(normalized(s, remembering: true) == plain, "U+\(String(v, radix: 16)), remembered")
                checked += 1
            }
        }
        #expect(checked > 30_000)
    }

    @Test func bengaliAaNormalisesTheSameOnBothPaths() {
        // ে + া composes to ো (needs Foundation); ক + া does not (fast path). Both must normalise as NFKC does.
        for word in ["কোম্পানি", "কে\u{09BE}ম্পানি", "টাকা", "নেটওয়ার্ক"] {
            let expected = Array(word.precomposedStringWithCompatibilityMapping.lowercased().utf8)
            #expect(TextNormalizer.normalize(word) == expected, "\(word)")
        }
    }
}

/// The whole pipeline of shortcuts (parts, atoms, windows sized from the pattern, joined gaps)
/// against the plain thing: every built-in regex run over every sample page's texts in full.
@Suite struct RegexPlanAgreementTests {
    @Test func everyBuiltInRegexFindsOnEverySampleWhatAWholeSearchFinds() throws {
        let rules = RuleSet.builtIn
        var compared = 0
        for label in ["scam", "legit"] {
            let dir = samplesDirectory() + "/" + label
            for name in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".html") }).sorted() {
                let page = try HTMLParser.parse(Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)), xpaths: rules.xpaths)
                // Every helper runs, read or not: each regex's own outcome is what is compared.
                let outcome = RuleEvaluator(rules: rules, page: page, regexBudget: 5, skipsUnreadHelpers: false).run()
                var texts = TargetTexts(page: page)
                for (i, rule) in rules.rules.enumerated() {
                    guard case let .regex(pattern, _) = rule.spec.matcher else { continue }
                    // Rules silenced by an `unless` rule are not run at all, so there is nothing to compare.
                    if rule.unless.contains(where: { outcome.fired[$0] }) { continue }
                    // Nor are hits in a warning section (`outside:`), which a whole search keeps.
                    if rule.outside.contains(where: { outcome.fired[$0] }) { continue }
                    let whole = try ICURegex(RegexCheck.expand(pattern))
                    var spans: [Span] = []
                    for target in rule.spec.targets {
                        let xpathIndex: Int? = { if case let .xpath(e) = target { return rules.xpaths.firstIndex(of: e) } else { return nil } }()
                        let text = texts.text(target, xpathIndex: xpathIndex)
                        spans += RuleEvaluator.regexMatches(whole, in: text, target: target, started: Date(), budget: 5).0
                    }
                    let expected = RuleEvaluator.withoutOverlaps(spans).count
                    #expect(outcome.count[i] == expected, "\(rule.id) on \(name)")
                    compared += 1
                }
            }
        }
        #expect(compared > 1000)
    }
}

@Suite struct TargetOrderTests {
    /// Spans are sorted by target without building descriptions; the order must stay theirs.
    @Test func targetsSortAsTheirDescriptions() {
        let targets = Array(RuleTarget.named.values) + [.xpath("//a"), .xpath("//form")]
        for a in targets {
            for b in targets where a != b {
                #expect(RuleTarget.precedes(a, b) == (a.description < b.description), "\(a) \(b)")
            }
        }
    }
}

/// Writes `ScalarTableData.swift` (see `NormalizerTests.theScalarTableIsWhatUnicodeSays`).
enum ScalarTableFile {
    /// The text of `ScalarTableData.swift` for this Swift's Unicode data.
    static func text() -> String {
        func table(_ name: String, _ scalars: ClosedRange<UInt32>) -> String {
            let words = scalars.map { ScalarTable.compute(Unicode.Scalar($0)).packed }
            var lines: [String] = []
            for start in stride(from: 0, to: words.count, by: 8) {
                lines.append("        " + words[start..<min(words.count, start + 8)].map { "0x" + String($0, radix: 16, uppercase: true) + "," }.joined(separator: " "))
            }
            let first = String(scalars.lowerBound, radix: 16, uppercase: true), last = String(scalars.upperBound, radix: 16, uppercase: true)
            return "    /// U+\(first) to U+\(last), packed (`ScalarTable.Entry.init(packed:)`).\n"
                + "    static let \(name): [UInt32] = [\n" + lines.joined(separator: "\n") + "\n    ]\n"
        }
        return "// Written by `SCAMSIFT_WRITE_SCALAR_TABLE=1 swift test --filter theScalarTableIsWhatUnicodeSays`\n"
            + "// from `ScalarTable.compute`; do not edit. The test fails when Swift's Unicode data no longer agrees.\n\n"
            + "extension ScalarTable {\n" + table("packedScripts", ScalarTable.scriptScalars) + "\n" + table("packedPunctuation", ScalarTable.punctuationScalars) + "}\n"
    }
}
