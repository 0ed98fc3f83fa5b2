import Foundation
import Testing
import PathologicalPages
@testable import ScamSift

/// Every hostile page of `PathologicalPages` is scored (or refused) and what went past
/// `Page.Limits` is said in the report. The 5 s / 300 MB bounds are timing, measured with the
/// release build by `bench/pathological.sh`; these tests check what does not depend on the
/// machine's speed: the limits reached, noted, and kept to.
@Suite(.serialized) struct PathologicalPageTests {
    static let engine = Engine(rules: .builtIn)
    struct Scored {
        var page: Page
        var report: Report
    }

    func score(_ kind: PathologicalPage) throws -> Scored {
        let bytes = Data(kind.bytes())
        let page = try HTMLParser.parse(bytes, xpaths: Self.engine.rules.xpaths)
        let report = Self.engine.score(page: page, source: kind.rawValue)
        // The whole path the CLI takes (input sniffing included) gives the same report.
        let whole = try Self.engine.score(html: bytes, source: kind.rawValue)
        #expect(whole == report, "\(kind.rawValue)")
        return Scored(page: page, report: report)
    }

    /// What every scored page must show: a bounded result, each cut reported once as a rule
    /// error of `page`, and no more of anything kept than the limits allow.
    func checkSane(_ s: Scored, _ kind: PathologicalPage) {
        #expect((0...100).contains(s.report.score))
        let pageErrors = s.report.ruleErrors.filter { $0.rule == "page" }.map(\.message)
        for cut in s.page.cuts { #expect(pageErrors.contains(cut.message), "\(kind.rawValue): \(cut)") }
        // Blocks and the separators between them (one fewer than the blocks).
        #expect(s.page.textBlocks.reduce(0) { $0 + $1.utf8.count + 1 } - 1 <= Page.Limits.maxTextBytes)
        #expect(s.page.hiddenBlocks.reduce(0) { $0 + $1.utf8.count + 1 } - 1 <= Page.Limits.maxTextBytes)
        #expect(s.page.links.count <= Page.Limits.maxLinks)
        #expect(s.page.forms.count <= Page.Limits.maxForms + 1)   // plus the implicit form of loose fields
        #expect(s.page.forms.reduce(0) { $0 + $1.fields.count } <= Page.Limits.maxFormFields)
    }

    func visibleText(_ page: Page) -> String { page.textBlocks.joined(separator: "\n") }

    @Test func nestedElements() throws {
        let s = try score(.nestedElements)
        checkSane(s, .nestedElements)
        #expect(s.page.cuts == [.depth])
        // The text inside the innermost element is still read.
        #expect(visibleText(s.page).contains("Deposit 100 USD and earn 5% daily"))
    }

    @Test func hugeTextNode() throws {
        let s = try score(.hugeTextNode)
        checkSane(s, .hugeTextNode)
        #expect(s.page.cuts == [.visibleText])
        // Cut close to the limit, not far short of it.
        #expect(s.page.textBlocks.reduce(0) { $0 + $1.utf8.count } > Page.Limits.maxTextBytes - 100)
        #expect(s.report.verdict != .unknown)
    }

    @Test func manyAttributes() throws {
        let s = try score(.manyAttributes)
        checkSane(s, .manyAttributes)
        #expect(s.page.cuts == [.attributesPerElement])
        #expect(visibleText(s.page) == "Deposit 100 USD and earn 5% daily")
    }

    @Test func manyLinks() throws {
        let s = try score(.manyLinks)
        checkSane(s, .manyLinks)
        // 100,000 link texts are also more visible text than is read.
        #expect(s.page.cuts == [.links, .visibleText])
        #expect(s.page.links.count == Page.Limits.maxLinks)
        #expect(s.page.links.last?.text == "Invest plan \(Page.Limits.maxLinks - 1) pays \((Page.Limits.maxLinks - 1) % 9 + 1)% daily")
    }

    @Test func nestedTables() throws {
        let s = try score(.nestedTables)
        checkSane(s, .nestedTables)
        #expect(s.page.cuts.contains(.depth))
        #expect(visibleText(s.page).contains("Minimum $50"))
        // The outer tables keep their structure: one table node per table read.
        #expect(s.page.structure.nodes.filter { $0.kind == .table }.count >= Page.Limits.maxDepth - 10)
    }

    @Test func invalidUTF8() throws {
        let s = try score(.invalidUTF8)
        checkSane(s, .invalidUTF8)
        #expect(s.page.encoding == "UTF-8")
        #expect(visibleText(s.page).contains("\u{FFFD}"))
        #expect(visibleText(s.page).contains("5%"))
    }

    @Test func manyForms() throws {
        let s = try score(.manyForms)
        checkSane(s, .manyForms)
        #expect(s.page.cuts.contains(.forms))
        // The forms read, and the implicit form holding the fields of those past the limit,
        // themselves cut at the field limit.
        #expect(s.page.forms.count == Page.Limits.maxForms + 1)
        #expect(s.page.forms.first?.fields.map(\.name) == ["amount", "pin", ""])   // the button has no name
    }

    @Test func digitsAndPercents() throws {
        let s = try score(.digitsAndPercents)
        checkSane(s, .digitsAndPercents)
        #expect(s.page.cuts == [.visibleText])
        #expect(s.page.textBlocks.count == 1)
    }

    /// Thousands of amount pairs in one block make offers, read only near each pair (a search
    /// of the whole block's words for each pair was 3 s of CPU on 1 MB; timing is the bench's).
    @Test func moneyAmounts() throws {
        let s = try score(.moneyAmounts)
        checkSane(s, .moneyAmounts)
        #expect(s.page.cuts == [.visibleText])
        #expect(s.report.offers.contains { $0.ratePercent == 4 && $0.periodDays == 1 })
        #expect(s.report.verdict == .likelyScam)
    }

    @Test func scriptStrings() throws {
        let s = try score(.scriptStrings)
        checkSane(s, .scriptStrings)
        #expect(visibleText(s.page) == "Deposit 100 USD and earn 5% daily")
        // The first script's sentences are read until the scan's limit, in order.
        #expect(s.page.hiddenBlocks.first == "Пополните счёт 0 и получите VIP")
        #expect(s.page.hiddenBlocks.count > 1_000)
        #expect(s.page.hiddenBlocks.allSatisfy { $0.hasPrefix("Пополните счёт ") })
        #expect(s.page.hiddenBlocks.reduce(0) { $0 + $1.utf8.count } <= ScriptStrings.maxKeptBytes)
    }

    @Test func phpBlocks() throws {
        let s = try score(.phpBlocks)
        checkSane(s, .phpBlocks)
        // The first `ServerCode.maxBlocks` blocks become scripts; the rest go to libxml2 as
        // they were, which reads them as text ("=?>" two million times) up to the text limit.
        #expect(s.page.textBlocks.first == "Deposit 100 USD and earn 5% daily")
        #expect(s.page.cuts.contains(.visibleText))
    }

    /// The samples are far inside every limit: nothing of them is cut, so their scores cannot
    /// have moved with the limits.
    @Test func samplesAreNotCut() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Samples")
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".html") }
        #expect(files.count > 50)
        for file in files {
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            var timings = StageTimings()
            let page = try PageInput.read(data).parse(xpaths: [], timings: &timings)
            #expect(page.cuts.isEmpty, "\(file): \(page.cuts)")
        }
    }
}

@Suite struct MarkupLimiterTests {
    func limited(_ html: String) -> (String, [PageCut])? {
        let bytes = Array(html.utf8)
        return bytes.withUnsafeBytes { raw in
            MarkupLimiter.limit(raw, encoding: "UTF-8").map { (String(decoding: $0.bytes, as: UTF8.self), $0.notes.sorted()) }
        }
    }

    @Test func ordinaryMarkupIsLeftAlone() {
        #expect(limited("<html><body><div class=a id='b' data-x=1 hidden><p>t<br/>x</p><script>if (a<b) '<div>'</script></div></body></html>") == nil)
    }

    @Test func attributesPastTheLimitAreCutAndTheTagKept() throws {
        let names = (0..<(Page.Limits.maxAttributesPerElement + 5)).map { "a\($0)=\"\($0)\"" }
        let (out, notes) = try #require(limited("<div \(names.joined(separator: " "))>text</div><img \(names.joined(separator: " "))/>"))
        let kept = names.prefix(Page.Limits.maxAttributesPerElement).joined(separator: " ")
        #expect(out == "<div \(kept)>text</div><img \(kept)/>")
        #expect(notes == [.attributesPerElement])
    }

    @Test func tagsPastTheDepthAreCutWithTheirEndTags() throws {
        let depth = Page.Limits.maxDepth
        let html = String(repeating: "<div>", count: depth + 3) + "deep" + String(repeating: "</div>", count: depth + 3) + "<p>after</p>"
        let (out, notes) = try #require(limited(html))
        #expect(out == String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth) + "<p>after</p>")
        #expect(notes == [.depth])
    }

    @Test func selfClosingVoidAndSelfEndingElementsDoNotNest() {
        let many = Page.Limits.maxDepth * 2
        #expect(limited(String(repeating: "<p>x", count: many) + String(repeating: "<li>y<br>", count: many) + String(repeating: "<div/>", count: many)) == nil)
    }

    @Test func markupInsideScriptsAndCommentsIsNotCounted() {
        let inner = String(repeating: "<div>", count: Page.Limits.maxDepth * 2)
        #expect(limited("<script>\(inner)</script><!-- \(inner) --><style>\(inner)</STYLE><p>x</p>") == nil)
    }

    @Test func utf16PagesAreLimitedToo() throws {
        let names = (0..<(Page.Limits.maxAttributesPerElement + 1)).map { "a\($0)" }.joined(separator: " ")
        let html = "<div \(names)>x</div>"
        var bytes: [UInt8] = []
        for unit in html.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = bytes.withUnsafeBytes { MarkupLimiter.limit($0, encoding: "UTF-16LE") }
        let out = try #require(result)
        let units = stride(from: 0, to: out.bytes.count, by: 2).map { UInt16(out.bytes[$0]) | UInt16(out.bytes[$0 + 1]) << 8 }
        #expect(String(decoding: units, as: UTF16.self) == "<div \((0..<Page.Limits.maxAttributesPerElement).map { "a\($0)" }.joined(separator: " "))>x</div>")
    }

    @Test func aFileAboveTheInputLimitIsRefusedUnread() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.html").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        // A sparse file: its size says too large before a byte is read.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(Page.Limits.maxInputBytes + 1))
        try handle.close()
        let outcome = PageScorer.score(path: path, engine: PathologicalPageTests.engine)
        guard case let .failure(_, message, kind) = outcome else { Issue.record("scored a page above the limit"); return }
        #expect(kind == "too-large")
        #expect(message.contains("\(Page.Limits.maxInputBytes + 1) bytes"))
    }
}
