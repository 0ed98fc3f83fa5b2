import Foundation
import Testing
@testable import ScamSift
@testable import ScamSiftFetch

/// Checks every HTML document ScamSift writes: libxml2 reads it without complaint, it refers to
/// nothing outside itself, page text never becomes markup, and it stays within its bounds.
enum HTMLChecks {
    /// Elements of HTML5 and SVG that libxml2's HTML 4 parser does not know: the only
    /// complaint it may make ("Tag mark invalid", code 801). Every other error fails.
    static let html5Elements: Set<String> = ["main", "header", "footer", "section", "mark", "bdi", "svg", "path", "line", "circle", "rect", "text", "desc"]

    /// Elements that load or run something, or send something somewhere.
    static let forbiddenElements: Set<String> = ["script", "iframe", "frame", "object", "embed", "link", "base", "img", "image", "form", "input",
                                                 "video", "audio", "source", "track", "applet", "use", "foreignObject", "portal", "noscript"]
    /// Attributes that load something (every `href` must be a `#anchor` of the document instead).
    static let forbiddenAttributes: Set<String> = ["src", "srcset", "action", "formaction", "poster", "background", "xlink:href", "data", "ping", "manifest"]

    /// Fails the test with what is wrong with `html`; returns its elements.
    @discardableResult
    static func check(_ html: String, maxBytes: Int = 200_000, _ what: String) -> [MarkupCheck.Element] {
        let data = Data(html.utf8)
        #expect(data.count <= maxBytes, "\(what): \(data.count) bytes")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\""), "\(what)")
        // Counts first, so a failure prints a few problems, not hundreds.
        let xml = MarkupCheck.xmlProblems(data)
        let xmlCount = xml.count
        #expect(xmlCount == 0, "\(what): not well-formed: \(xml.prefix(5))")
        let htmlProblems = MarkupCheck.htmlProblems(data).filter { !($0.unknownTag.map(html5Elements.contains) ?? false) }
        let htmlCount = htmlProblems.count
        #expect(htmlCount == 0, "\(what): libxml2's HTML parser: \(htmlProblems.prefix(5))")
        guard let elements = MarkupCheck.elements(data) else {
            Issue.record("\(what): no elements")
            return []
        }
        let ids = Set(elements.flatMap { $0.attributes.filter { $0.name == "id" }.map(\.value) })
        for e in elements {
            #expect(!forbiddenElements.contains(e.name), "\(what): <\(e.name)>")
            for a in e.attributes {
                let name = a.name.lowercased()
                #expect(!name.hasPrefix("on"), "\(what): \(e.name) has a handler \(name)")
                #expect(!forbiddenAttributes.contains(name), "\(what): \(e.name) has \(name)=\(a.value)")
                if name == "href" {
                    #expect(a.value.hasPrefix("#") && ids.contains(String(a.value.dropFirst())), "\(what): a link to \(a.value), not to an anchor here")
                }
                if name == "style" { Issue.record("\(what): inline style on \(e.name)") }
                if name == "http-equiv" { #expect(a.value == "Content-Security-Policy", "\(what): meta http-equiv \(a.value)") }
            }
        }
        let styles = elements.filter { $0.name == "style" }
        #expect(styles.count == 1, "\(what): one style sheet")
        for style in styles {
            #expect(!style.text.contains("url(") && !style.text.contains("@import"), "\(what): the style sheet loads something")
        }
        let csp = elements.first { $0.name == "meta" && $0.attributes.contains { $0.value == "Content-Security-Policy" } }
        #expect(csp?.attributes.first { $0.name == "content" }?.value.hasPrefix("default-src 'none'") == true, "\(what): no CSP")
        return elements
    }

    /// All the text of the document's elements (what a reader sees, and `<title>`s).
    static func text(_ elements: [MarkupCheck.Element]) -> String { elements.map(\.text).joined(separator: "\n") }
}

@Suite struct HTMLReportTests {
    static let engine = Engine(rules: .builtIn)
    static let scamSample = "Samples/scam/en-hyip-plans-goldrise.html"
    static let legitSample = "Samples/legit/bn-gig-marketplace-kajerhat.html"

    static func score(_ relative: String, engine: Engine = engine) throws -> Report {
        let path = samplesDirectory() + "/../" + relative
        var report = try engine.score(html: Data(contentsOf: URL(fileURLWithPath: path)), source: relative)
        // The golden files are of the renderer: any change of rules would otherwise change them.
        report.rulesVersion = "golden"
        return report
    }

    static func explainer(_ code: String) -> Explainer { Explainer(localizer: Localizer(language: code)) }

    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/html")
    }

    /// Compares `html` with the committed golden file, or writes it when SCAMSIFT_RECORD=1
    /// (and fails, so a recording run is never mistaken for a passing one). The style sheet,
    /// the same in every report, is compared once, with `style.css`.
    static func compareWithGolden(_ html: String, _ name: String) throws {
        let start = try #require(html.range(of: "<style>")), end = try #require(html.range(of: "</style>"))
        try compareWithGolden(file: "style.css", String(html[start.upperBound..<end.lowerBound]))
        try compareWithGolden(file: name, html.replacingCharacters(in: start.upperBound..<end.lowerBound, with: "/* style.css */"))
    }

    static func compareWithGolden(file name: String, _ html: String) throws {
        let file = goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SCAMSIFT_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: goldenDirectory, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: file)
            Issue.record("recorded \(name); run again without SCAMSIFT_RECORD=1")
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        if golden != html {
            let a = golden.split(separator: "\n", omittingEmptySubsequences: false), b = html.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
            Issue.record("""
            \(name) differs from the golden file at line \(line + 1):
              golden: \(line < a.count ? String(a[line].prefix(300)) : "(end)")
              now:    \(line < b.count ? String(b[line].prefix(300)) : "(end)")
            If the change is meant, re-record: SCAMSIFT_RECORD=1 swift test --filter HTMLReportTests
            """)
        }
    }

    @Test(arguments: [(scamSample, "scam"), (legitSample, "legit")])
    func goldenFilesInEnglishAndBengali(_ sample: String, _ name: String) throws {
        let report = try Self.score(sample)
        for code in ["en", "bn"] {
            let html = HTMLReport.render(report: report, explainer: Self.explainer(code))
            let elements = HTMLChecks.check(html, "\(name)-\(code)")
            #expect(elements.first?.attributes.contains(.init(name: "lang", value: code)) == true)
            #expect(!html.contains("‹"), "a catalogue key is missing")
            try Self.compareWithGolden(html, "\(name)-\(code).html")
        }
    }

    @Test func theReportSaysWhatTheExplanationSays() throws {
        let report = try Self.score(Self.scamSample)
        // The same page read by rules that give only the text model points (40).
        let weighted = try Self.score(Self.scamSample, engine: TextModelTests.weighted(40))
        for code in ["en", "bn"] {
            let explainer = Self.explainer(code)
            let explanation = explainer.explain(report)
            let html = HTMLReport.render(report: report, explainer: explainer)
            let text = HTMLChecks.text(HTMLChecks.check(html, code))
            let l = explainer.localizer
            #expect(text.contains(explanation.headline))
            for line in explanation.advice { #expect(text.contains(line)) }
            for reason in explanation.reasons where reason.id != TextModelHit.id { #expect(text.contains(reason.text), "\(reason.id)") }
            for heading in ["html.why", "html.advice", "html.offers", "html.text_model", "html.marketplace"] { #expect(text.contains(l(heading))) }
            for key in ["free", "paid", "fee"] { #expect(text.contains(l("html.marketplace.\(key)"))) }
            // The gauge's text equivalent names the score and the verdict.
            let all = try #require(MarkupCheck.elements(Data(html.utf8)))
            let gaugeTitle = try #require(all.first { $0.name == "title" && $0.attributes.contains { $0.value == "gauge-title" } })
            #expect(gaugeTitle.text.contains(l.number(report.score)) && gaugeTitle.text.contains(HTMLReport.verdictWords(report.verdict, l)))
            // The text model's line, with its points, where the rules give it points (the
            // built-in ones may not: a fit can leave it at 0, and then it is not run).
            if let tm = report.hits.first(where: { $0.id == TextModelHit.id }) {
                #expect(text.contains(l("html.text_model_points", ["points": l.number(tm.points)])))
            } else {
                #expect(report.textProbability == nil && text.contains(l("html.text_model_off")))
            }
            let tm = try #require(weighted.hits.first { $0.id == TextModelHit.id })
            #expect(tm.points > 0)
            let weightedText = HTMLChecks.text(HTMLChecks.check(HTMLReport.render(report: weighted, explainer: explainer), code))
            #expect(weightedText.contains(l("html.text_model_points", ["points": l.number(tm.points)])))
        }
        // The plain comparison of each offer paid by the period.
        let english = HTMLChecks.text(HTMLChecks.check(HTMLReport.render(report: report), "en"))
        #expect(english.contains("3% daily is about 1,095% a year."))
        #expect(english.contains("150% after 2 days is about 27,375% a year."))
        #expect(english.contains("A bank deposit pays about 5–12% a year."))
        let bengali = HTMLChecks.text(HTMLChecks.check(HTMLReport.render(report: report, explainer: Self.explainer("bn")), "bn"))
        #expect(bengali.contains("প্রতিদিন 3% মানে বছরে প্রায় 1,095%।"))
    }

    @Test func thePagesOwnWordsAreMarkedInTheirContext() throws {
        let report = try Self.score(Self.scamSample)
        let elements = HTMLChecks.check(HTMLReport.render(report: report), "marks")
        let marks = elements.filter { $0.name == "mark" }.map(\.text)
        #expect(marks.contains("150% after 48 hours"))
        #expect(marks.contains("USDT TRC20"))
        // In context: the words around the match are in the same isolate.
        let quote = try #require(elements.first { $0.name == "bdi" && $0.text.contains("Tether") })
        #expect(quote.text == "Tether ")
        // A vowel sign is never cut from its consonant by the mark (Bengali page).
        let bn = try Self.score(Self.legitSample)
        for mark in HTMLChecks.check(HTMLReport.render(report: bn), "bn marks").filter({ $0.name == "mark" }) {
            let first = try #require(mark.text.unicodeScalars.first)
            #expect(![.nonspacingMark, .spacingMark, .enclosingMark].contains(first.properties.generalCategory),
                    "a mark starts with a combining sign: \(mark.text)")
        }
    }

    @Test func aHighlightHoldsWholeCharacters() throws {
        // The rules matched the consonants; the vowel sign after them belongs to the same letter.
        let bn = try #require(Explainer.highlight(Evidence(target: "text", match: "অ্যাকাউন্ট", context: "নিজের অ্যাকাউন্টে টাকা")))
        #expect(bn == Explanation.Highlight(before: "নিজের ", match: "অ্যাকাউন্টে", after: " টাকা"))
        let en = try #require(Explainer.highlight(Evidence(target: "text", match: "deposit", context: "Minimum deposit: $10")))
        #expect(en == Explanation.Highlight(before: "Minimum ", match: "deposit", after: ": $10"))
        #expect(Explainer.highlight(Evidence(target: "text", match: "absent", context: "Minimum deposit")) == nil)
    }

    @Test func theReasonsAreWarningsFirstThenTheSignsOfARealSiteStrongestFirst() throws {
        let report = try Self.score(Self.legitSample)
        let html = HTMLReport.render(report: report)
        let elements = HTMLChecks.check(html, "order")
        // The "Why" section: from its heading to the next.
        let start = try #require(elements.firstIndex { $0.name == "h2" && $0.attributes.contains(.init(name: "id", value: "why")) })
        let end = elements[(start + 1)...].firstIndex { $0.name == "h2" } ?? elements.endIndex
        let points = elements[start..<end].filter { e in e.name == "span" && e.attributes.contains { $0.value.hasPrefix("pts") } }.map(\.text)
        let values = points.map { Int($0.split(separator: " ")[0].replacingOccurrences(of: "\u{2212}", with: "-").replacingOccurrences(of: "+", with: ""))! }
        #expect(values.count >= 3)
        let warnings = values.filter { $0 > 0 }, signs = values.filter { $0 < 0 }
        #expect(values == warnings.sorted(by: >) + signs.sorted() + values.filter { $0 == 0 })
    }

    @Test func theOutputIsTheSameEveryTimeAndHasNoTimeUnlessGivenOne() throws {
        let report = try Self.score(Self.scamSample)
        #expect(HTMLReport.render(report: report) == HTMLReport.render(report: report))
        var options = HTMLReport.Options()
        options.generatedAt = "2025-01-02 03:04 UTC"
        let html = HTMLReport.render(report: report, options: options)
        #expect(html.contains("Made 2025-01-02 03:04 UTC."))
        #expect(!HTMLReport.render(report: report).contains("Made "))
    }
}

@Suite struct HTMLHostileInputTests {
    static let hostile = [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(document.cookie)",
        "'><svg onload=alert(1)>", "</style><script>x</script>", "&lt;script&gt; &amp; &#x3C;", "]]><!--", "<a href=\"https://evil.example/\">x</a>",
    ]

    /// A real report whose every page-derived field holds hostile text.
    static func hostileReport() throws -> Report {
        var r = try HTMLReportTests.score(HTMLReportTests.scamSample)
        let all = hostile.joined(separator: " ")
        r.source = "https://evil.example/\"><script>alert(1)</script>"
        r.title = all
        r.declaredLang = "\"><script>"
        for i in r.hits.indices {
            r.hits[i].evidence = hostile.map { Evidence(target: "text", match: $0, context: "before " + $0 + " after") }
            r.hits[i].descriptions = LocalizedText(texts: ["en": "Rule says " + all, "bn": "নিয়ম " + all])
            r.hits[i].id = "x\"><script>" + String(i)
        }
        r.ruleErrors = [RuleRuntimeError(rule: "<script>", message: all)]
        for i in r.offers.indices {
            r.offers[i].plan = "<img src=x onerror=alert(1)>"
            r.offers[i].evidence = Evidence(target: "links", match: "javascript:alert(1)", context: "<a href=javascript:alert(1)>javascript:alert(1)</a>")
            r.offers[i].minDeposit = Offer.Money(amount: 5, currency: "<b>USD</b>")
        }
        return r
    }

    @Test func pageTextNeverBecomesMarkup() throws {
        let report = try Self.hostileReport()
        for code in ["en", "bn"] {
            var options = HTMLReport.Options()
            options.ruleIDs = true
            let html = HTMLReport.render(report: report, explainer: HTMLReportTests.explainer(code), options: options)
            let elements = HTMLChecks.check(html, "hostile \(code)")
            let lower = html.lowercased()
            for tag in ["<script", "<img", "<svg onload", "<a href=\"https", "<b>", "</style><"] { #expect(!lower.contains(tag), "\(code): \(tag) as markup") }
            for e in elements { for a in e.attributes { #expect(!a.value.lowercased().contains("javascript:"), "\(code): \(e.name) \(a.name)=\(a.value)") } }
            // The words are all there, as text a reader sees.
            let text = HTMLChecks.text(elements)
            for h in Self.hostile { #expect(text.contains(h), "\(code): \(h) is not shown as text") }
            #expect(text.contains("https://evil.example/\"><script>alert(1)</script>"))
        }
    }

    @Test func aHostilePageEndToEnd() throws {
        let dir = try temporaryDirectory()
        let page = dir.appendingPathComponent("hostile.html")
        let body = """
        <html><head><title>\(Self.hostile[1]) &lt;script&gt;alert(1)&lt;/script&gt; Earn 3% daily</title></head><body>
        <p>Minimum deposit $50. Earn 3% daily, guaranteed profit. &lt;script&gt;alert(2)&lt;/script&gt; "><img src=x onerror=alert(3)></p>
        <a href="javascript:alert(4)">Withdraw now</a> <a href="https://elsewhere.example/ref?a=deposit">Deposit via bKash 01712345678</a>
        <script>alert(5)</script></body></html>
        """
        try Data(body.utf8).write(to: page)
        let r = try CLI.run(["score", "--format", "html", "--rule-ids", page.path])
        #expect(r.status == 1, "\(r.stderr)")
        let elements = HTMLChecks.check(r.stdout, "end to end")
        let text = HTMLChecks.text(elements)
        #expect(text.contains("<script>alert(1)</script>"), "the title is shown as text")
        #expect(!r.stdout.lowercased().contains("<script") && !r.stdout.lowercased().contains("<img"))
        // The page's links appear only as text.
        #expect(text.contains("elsewhere.example"))
        for e in elements { for a in e.attributes { #expect(!a.value.contains("elsewhere.example") && !a.value.contains("javascript:")) } }
    }
}

@Suite struct HTMLBoundsTests {
    static let cap = 200_000

    @Test func tenThousandRulesFiringStillGiveABoundedReport() throws {
        let n = 10_000, perFile = 2_500
        var files: [RuleFile] = []
        var words: [String] = []
        for part in 0..<(n / perFile) {
            var yaml = "rules:\n"
            for i in (part * perFile)..<((part + 1) * perFile) {
                let word = "zq\(String(i, radix: 26))x"
                words.append(word)
                yaml += "  - id: many.r\(i)\n    category: deposit\n    description: Rule \(i) saw <\(word)> & more\n    weight: 1\n    phrases: [\(word)]\n"
            }
            // A rules file holds at most 1 MiB: four of them.
            files.append(try RuleFileLoader.parse(text: yaml, file: "many-\(part).yaml"))
        }
        let rules = try RuleSet(files: files)
        let html = "<html><head><title>Many</title></head><body><p>" + words.joined(separator: " ") + "</p></body></html>"
        let report = try Engine(rules: rules).score(html: Data(html.utf8), source: "many.html")
        #expect(report.hits.count == n)
        let out = HTMLReport.render(report: report)
        let elements = HTMLChecks.check(out, maxBytes: Self.cap, "10,000 rules")
        let text = HTMLChecks.text(elements)
        let shown = elements.filter { $0.name == "li" && $0.attributes.contains(.init(name: "class", value: "reason")) }.count
        #expect(shown > 20 && shown < n)
        // It says how many are left out, and what they are worth.
        #expect(text.contains("\(n - shown) more reasons, worth \(n - shown) points together, are left out"))
    }

    @Test func aMegabyteOfEvidenceIsCutWhereTheReportSaysSo() throws {
        var r = try HTMLReportTests.score(HTMLReportTests.scamSample)
        let megabyte = String(repeating: "deposit&<money> ", count: 65_536)
        r.title = megabyte
        r.source = megabyte
        // A few reasons are enough (each megabyte costs searches and copies, a second or so here).
        r.hits = Array(r.hits.prefix(4))
        for i in r.hits.indices {
            r.hits[i].evidence = [Evidence(target: "text", match: "MATCH", context: megabyte + "MATCH" + megabyte),
                                  Evidence(target: "text", match: megabyte, context: megabyte),
                                  Evidence(target: "hidden", match: "nowhere", context: megabyte)]
            r.hits[i].descriptions = LocalizedText(megabyte)
        }
        r.ruleErrors = Array(repeating: RuleRuntimeError(rule: megabyte, message: megabyte), count: 50)
        for i in r.offers.indices { r.offers[i].plan = megabyte; r.offers[i].evidence = Evidence(target: "text", match: megabyte, context: megabyte) }
        r.offers += Array(repeating: r.offers[0], count: 500)
        for code in ["en", "bn"] {
            let html = HTMLReport.render(report: r, explainer: HTMLReportTests.explainer(code))
            let elements = HTMLChecks.check(html, maxBytes: Self.cap, "1 MB evidence \(code)")
            let cutNote = Localizer(language: code)("html.quote_cut")
            #expect(elements.contains { $0.name == "span" && $0.text == cutNote }, "\(code): the report says where it cut")
            // Around a match in the middle of a megabyte, the match itself is kept.
            #expect(elements.contains { $0.name == "mark" && $0.text == "MATCH" })
        }
    }

    @Test func rightToLeftTextIsIsolatedAndItsOverridesDropped() throws {
        let page = """
        <html lang="ar"><head><title>\u{202E}ربح يومي ٣٪ مضمون\u{202C} — עמלה</title></head><body>
        <p>استثمر الآن: الحد الأدنى للإيداع 50 دولار، ربح يومي 3% مضمون، اسحب بعد دعوة \u{2067}3 أصدقاء\u{2069}.</p>
        <p>\u{202E}evil.exe\u{202C} גמל ההשקעות שלנו</p></body></html>
        """
        let report = try HTMLReportTests.engine.score(html: Data(page.utf8), source: "rtl.html")
        let html = HTMLReport.render(report: report)
        let elements = HTMLChecks.check(html, maxBytes: Self.cap, "right to left")
        for control in ["\u{202E}", "\u{202C}", "\u{2067}", "\u{2069}"] { #expect(!html.contains(control)) }
        let title = try #require(elements.first { $0.name == "bdi" && $0.text.contains("ربح يومي") })
        #expect(title.attributes.contains(.init(name: "lang", value: "ar")))
        #expect(elements.contains { $0.name == "mark" } || report.hits.isEmpty)
    }

    @Test func invalidUTF8AndControlCharactersGiveAValidReport() throws {
        var bytes = Data("<html><head><title>Earn \u{01}daily".utf8)
        bytes += Data([0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x80])
        bytes += Data(" profit</title></head><body><p>Minimum deposit $10 \u{0B}\u{7F}\u{85}, 5% daily ".utf8)
        bytes += Data([0xF8, 0x88, 0x80, 0x80, 0x80, 0xC3])
        bytes += Data(" guaranteed ".utf8) + Data([0xEF, 0xBF, 0xBE, 0xEF, 0xB7, 0x90]) + Data("</p></body></html>".utf8)   // U+FFFE, U+FDD0
        let report = try HTMLReportTests.engine.score(html: bytes, source: "broken.html")
        var r = report
        // Strings Swift can hold that XML cannot: NUL, C0 and C1 controls, noncharacters.
        let nonCharacters = [0xFFFE, 0xFFFF, 0xFDD0, 0x1FFFE, 0x10FFFF].map { String(Unicode.Scalar(UInt32($0))!) }
        r.title += "\u{0}\u{1}\u{8}\u{1B}[31m\u{9F}" + nonCharacters.joined()
        for code in ["en", "bn"] {
            let html = HTMLReport.render(report: r, explainer: HTMLReportTests.explainer(code))
            HTMLChecks.check(html, maxBytes: Self.cap, "invalid UTF-8 \(code)")
            for bad in ["\u{0}", "\u{1}", "\u{8}", "\u{1B}", "\u{9F}"] + nonCharacters { #expect(!html.unicodeScalars.contains(bad.unicodeScalars.first!), "\(bad.unicodeScalars.first!.value)") }
        }
    }

    @Test func escapingAndClippingOnTheirOwn() {
        #expect(HTMLEscape.text("<a href=\"x\">&amp;</a>") == "&lt;a href=\"x\"&gt;&amp;amp;&lt;/a&gt;")
        #expect(HTMLEscape.attribute("\"'<>&") == "&quot;&#39;&lt;&gt;&amp;")
        #expect(HTMLEscape.text("a\u{0}b\u{202E}c\r\nd") == "a bc\n\nd")
        #expect(HTMLEscape.anchor("site 1\"><x") == "site-1---x")
        #expect(HTMLEscape.clip("abcdef", to: 3) == ("abc", true))
        #expect(HTMLEscape.clip("abc", to: 3) == ("abc", false))
        #expect(HTMLEscape.clipStart("abcdef", to: 2) == ("ef", true))
        // One "character" of a million combining marks is cut by scalars.
        let zalgo = "a" + String(repeating: "\u{301}", count: 1_000_000)
        #expect(HTMLEscape.clip(zalgo, to: 10).text.unicodeScalars.count == 10)
    }
}

@Suite struct HTMLContrastTests {
    /// WCAG 2.x relative luminance and contrast ratio of two `#rrggbb` colours.
    static func luminance(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16)!
        let channels = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { c -> Double in
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (la, lb) = (luminance(a), luminance(b))
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    @Test func theRatioIsComputedAsWCAGSays() {
        #expect(abs(Self.contrast("#000000", "#ffffff") - 21) < 0.001)
        #expect(abs(Self.contrast("#777777", "#ffffff") - 4.48) < 0.01)   // just fails AA
        #expect(Self.contrast("#ffffff", "#ffffff") == 1)
    }

    @Test func everyTextPairMeetsAAAndEveryShapeThreeToOne() {
        for pair in HTMLPalette.textPairs {
            let ratio = Self.contrast(pair.foreground, pair.background)
            #expect(ratio >= 4.5, "\(pair.name): \(pair.foreground) on \(pair.background) is \(ratio)")
        }
        for pair in HTMLPalette.graphicPairs {
            let ratio = Self.contrast(pair.foreground, pair.background)
            #expect(ratio >= 3, "\(pair.name): \(pair.foreground) on \(pair.background) is \(ratio)")
        }
    }

    @Test func theStyleSheetUsesOnlyThePalettesColours() throws {
        let css = HTMLStyle.css
        let regex = try NSRegularExpression(pattern: "#[0-9a-fA-F]{3,8}\\b")
        let used = Set(regex.matches(in: css, range: NSRange(css.startIndex..., in: css)).map { String(css[Range($0.range, in: css)!]).lowercased() })
        var palette: Set<String> = [HTMLPalette.ink, HTMLPalette.muted, HTMLPalette.paper, HTMLPalette.panel, HTMLPalette.rule, HTMLPalette.mark, HTMLPalette.link]
        for v in Verdict.allCases { palette.insert(HTMLPalette.strong(v)); palette.insert(HTMLPalette.tint(v)) }
        #expect(!used.isEmpty)
        #expect(used.isSubset(of: palette), "colours outside the palette: \(used.subtracting(palette).sorted())")
        // Every colour the style sheet puts text in is checked in a pair.
        let checked = Set(HTMLPalette.textPairs.flatMap { [$0.foreground, $0.background] })
        #expect(used.subtracting([HTMLPalette.rule]).isSubset(of: checked), "\(used.subtracting(checked).sorted())")
    }

    @Test func theFontsHaveBengaliGlyphsAndThePageFitsAPhoneAndPaper() {
        let css = HTMLStyle.css
        #expect(css.contains("\"Noto Sans Bengali\""))
        #expect(css.contains(":lang(bn)"))
        #expect(css.contains("@media (max-width:40rem)"))
        #expect(css.contains("@media print"))
        #expect(!css.contains("<") && !css.contains("&"))
    }
}

@Suite struct BatchHTMLReportTests {
    /// A row as batch writes it for a scored page.
    static func row(_ line: Int, score: Int, title: String = "A site", hits: [BatchRow.TopHit] = []) -> BatchRow {
        var row = BatchRow(line: line, input: "site\(line).example")
        row.url = "https://site\(line).example/"
        row.status = 200
        row.title = title
        row.score = score
        row.verdict = (score >= 60 ? Verdict.likelyScam : score >= 44 ? .suspicious : .lowRisk).rawValue
        row.topHits = hits
        return row
    }

    static func failed(_ line: Int, kind: String) -> BatchRow {
        var row = BatchRow(line: line, input: "down\(line).example")
        row.url = "https://down\(line).example/"
        row.errorKind = kind
        row.error = "could not connect"
        return row
    }

    static let cutoffs = HTMLReportTests.engine.rules.cutoffs

    static func describe(_ id: String) -> LocalizedText? { RuleSet.builtIn.rule(id)?.spec.descriptions }

    /// A small batch with one of everything: verdicts, failures, a crawl, a hostile title.
    static func smallBatch() -> BatchReportData {
        let collector = BatchReportCollector()
        var scam = row(3, score: 100, title: "GoldRise — Daily Returns", hits: [
            .init(id: "combo.deposit_for_returns", weight: 59, points: 59), .init(id: "offers.short_period_accrual", weight: 59, points: 59),
            .init(id: TextModelHit.id, weight: 49, points: 49), .init(id: "unknown.rule", weight: 1, points: 1),
        ])
        scam.maxAnnualPercent = 1095
        scam.siteScore = 100
        scam.siteVerdict = "likely-scam"
        scam.finalURL = "https://site3.example/home"
        scam.pages = [.init(url: "https://site3.example/plans", finalURL: nil, status: 200, linkText: "Plans", score: 100, verdict: "likely-scam",
                            topHits: [], truncated: false, errorKind: nil, error: nil),
                      .init(url: "https://site3.example/faq", finalURL: nil, status: 404, linkText: "FAQ", score: nil, verdict: nil,
                            topHits: [], truncated: false, errorKind: "http-status", error: "HTTP 404")]
        collector.add(scam)
        collector.add(row(1, score: 50, title: "\"><script>alert(1)</script>", hits: [.init(id: "payment.crypto_network_named", weight: 20, points: 20)]))
        collector.add(row(2, score: 0, title: "কাজেরহাট", hits: [.init(id: "legit.own_name_payout", weight: -45, points: -45)]))
        var unknown = row(4, score: 10, title: "App")
        unknown.verdict = "unknown"
        unknown.truncated = true
        collector.add(unknown)
        collector.add(failed(5, kind: "dns"))
        collector.add(failed(6, kind: "timeout"))
        collector.add(failed(7, kind: "dns"))
        return collector.data
    }

    @Test func goldenSummariesInEnglishAndBengali() throws {
        for code in ["en", "bn"] {
            var options = BatchHTMLReport.Options()
            options.rulesVersion = "golden"
            let html = BatchHTMLReport.render(Self.smallBatch(), cutoffs: Self.cutoffs, explainer: HTMLReportTests.explainer(code),
                                              describe: Self.describe, options: options)
            let elements = HTMLChecks.check(html, "summary \(code)")
            #expect(!html.contains("‹"))
            // Every listed site links to its details, and back.
            let links = elements.filter { $0.name == "a" }.compactMap { $0.attributes.first { $0.name == "href" }?.value }
            #expect(links.filter { $0.hasPrefix("#site-") }.count == 4)
            #expect(links.filter { $0 == "#riskiest" }.count == 4)
            try HTMLReportTests.compareWithGolden(html, "batch-summary-\(code).html")
        }
        let text = HTMLChecks.text(HTMLChecks.check(BatchHTMLReport.render(Self.smallBatch(), cutoffs: Self.cutoffs, describe: Self.describe), "en"))
        #expect(text.contains("\"><script>alert(1)</script>"))
        #expect(text.contains(RuleSet.builtIn.rule("combo.deposit_for_returns")!.spec.descriptions.english))
        #expect(text.contains("Could not be checked: 3 (dns 2, timeout 1)"))
        #expect(text.contains("about 1,095% a year"))
    }

    @Test func theCollectorKeepsTheRiskiestInATotalOrderAndCountsEverything() {
        let collector = BatchReportCollector(kept: 200)
        var all: [BatchRow] = []
        var seed: UInt64 = 42
        for line in 1...5_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let r = line % 50 == 0 ? Self.failed(line, kind: "dns") : Self.row(line, score: Int(seed >> 33) % 101)
            all.append(r)
            collector.add(r)
        }
        let data = collector.data
        let scored = all.filter { $0.score != nil }
        #expect(data.rows == 5_000)
        #expect(data.scored == scored.count)
        #expect(data.errors == ["dns": 100])
        #expect(data.verdicts.values.reduce(0, +) == scored.count)
        #expect(data.riskiest.count == 200)
        #expect(data.riskiest.map(\.line) == Array(scored.sorted(by: BatchReportData.riskier).prefix(200)).map(\.line))
        for (i, count) in data.bins.enumerated() {
            #expect(count == scored.filter { min(9, $0.score! / 10) == i }.count)
        }
        // The order rows finish in does not matter.
        let reversed = BatchReportCollector(kept: 200)
        for r in all.reversed() { reversed.add(r) }
        #expect(reversed.data.riskiest.map(\.line) == data.riskiest.map(\.line))
    }

    @Test func aHugeBatchGivesABoundedPage() {
        let collector = BatchReportCollector()
        let long = String(repeating: "<ربح> & دخل يومي ", count: 10_000)
        let hits = (0..<5).map { BatchRow.TopHit(id: "x.rule\($0)", weight: 1, points: 1) }
        for line in 1...20_000 {
            var r = Self.row(line, score: 60 + line % 41, title: long, hits: hits)
            r.url = "https://" + String(repeating: "a", count: 5_000) + ".example/\(line)"
            r.pages = Array(repeating: .init(url: r.url!, finalURL: nil, status: 200, linkText: long, score: 99, verdict: "likely-scam",
                                              topHits: [], truncated: false, errorKind: nil, error: nil), count: 50)
            collector.add(r)
        }
        let html = BatchHTMLReport.render(collector.data, cutoffs: Self.cutoffs, describe: { _ in LocalizedText(long) })
        let elements = HTMLChecks.check(html, maxBytes: 2_000_000, "20,000 rows")
        #expect(elements.filter { $0.name == "section" && $0.attributes.contains(.init(name: "class", value: "site")) }.count == 200)
        #expect(HTMLChecks.text(elements).contains("19800 more sites are counted above"))
    }

    @Test func anEmptyBatch() {
        let html = BatchHTMLReport.render(BatchReportCollector().data, cutoffs: Self.cutoffs)
        #expect(HTMLChecks.text(HTMLChecks.check(html, "empty")).contains("No site was checked."))
    }
}

@Suite struct HTMLCommandTests {
    let scam = samplesDirectory() + "/scam/en-hyip-plans-goldrise.html"
    let legit = samplesDirectory() + "/legit/bn-gig-marketplace-kajerhat.html"

    @Test func onePageGoesToStandardOutputOrToAFile() throws {
        let r = try CLI.run(["score", "--format", "html", scam])
        #expect(r.status == 1, "\(r.stderr)")
        HTMLChecks.check(r.stdout, "stdout")
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("report.html").path
        let f = try CLI.run(["score", "--format", "html", "--lang", "bn", "-o", file, legit])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.isEmpty)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        let elements = HTMLChecks.check(html, "file")
        #expect(elements.first?.attributes.contains(.init(name: "lang", value: "bn")) == true)
        #expect(HTMLChecks.text(elements).contains(Localizer(language: "bn")("html.why")))
        // --digits native: ScamSift's own numbers in Bengali digits.
        let native = try CLI.run(["score", "--format", "html", "--lang", "bn", "--digits", "native", scam])
        #expect(native.stdout.contains("স্কোর: 100-এর মধ্যে ১০০".replacingOccurrences(of: "100-", with: "১০০-")))
    }

    @Test func severalPagesNeedAFolderAndGetOneFileEach() throws {
        let none = try CLI.run(["score", "--format", "html", scam, legit])
        #expect(none.status == 64 || none.status == 2, "\(none.status)")
        #expect(none.stderr.contains("--format html writes one file per page: give -o FOLDER"))
        #expect(none.stdout.isEmpty)
        // A folder argument is several pages too, found only once it is read.
        let folderArgument = try CLI.run(["score", "--format", "html", samplesDirectory() + "/legit"])
        #expect(folderArgument.status == 2)
        #expect(folderArgument.stderr.contains("give -o FOLDER for these"))

        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        let onFile = try CLI.run(["score", "--format", "html", "-o", file.path, scam, legit])
        #expect(onFile.status == 2)
        #expect(onFile.stderr.contains("is a file: --format html writes one file per page"))

        let out = dir.appendingPathComponent("reports/new").path
        let copy = dir.appendingPathComponent("en-hyip-plans-goldrise.html").path
        try FileManager.default.copyItem(atPath: scam, toPath: copy)
        let bengali = dir.appendingPathComponent("পাতা ১ <x>.html").path
        try FileManager.default.copyItem(atPath: legit, toPath: bengali)
        let ok = try CLI.run(["score", "--format", "html", "-o", out, scam, legit, copy, bengali])
        #expect(ok.status == 1, "\(ok.stderr)")
        // Named after the inputs, in the order given; a name taken gets -2.
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["bn-gig-marketplace-kajerhat.html", "en-hyip-plans-goldrise-2.html", "en-hyip-plans-goldrise.html", "পাতা-১-x.html"])
        for name in names { HTMLChecks.check(try String(contentsOfFile: out + "/" + name, encoding: .utf8), name) }
    }

    @Test func aWARCArchiveIsSeveralPages() throws {
        let dir = try temporaryDirectory()
        let page = try [UInt8](Data(contentsOf: URL(fileURLWithPath: scam)))
        let records = [WARCFixture.response("https://a.example/", WARCFixture.http(page)),
                       WARCFixture.response("https://b.example/", WARCFixture.http(page))]
        let archive = dir.appendingPathComponent("crawl.warc.gz")
        try Data(WARCFixture.gzipEach(records)).write(to: archive)
        let none = try CLI.run(["score", "--format", "html", archive.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("give -o FOLDER for a WARC archive's pages"), "\(none.stderr)")
        let out = dir.appendingPathComponent("reports").path
        let ok = try CLI.run(["score", "--format", "html", "-o", out, archive.path])
        #expect(ok.status == 1, "\(ok.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["crawl-1.html", "crawl-2.html"])
        // The same archive on standard input is known to be several pages only once read.
        let piped = try CLI.run(["score", "--format", "html", "-"], stdin: Data(WARCFixture.gzipEach(records)))
        #expect(piped.status == 2)
        #expect(piped.stderr.contains("this input holds several: give -o FOLDER"))
    }

    @Test func batchWritesASummaryOfEveryRowItWrote() throws {
        let dir = try temporaryDirectory()
        let list = dir.appendingPathComponent("list.txt")
        let pages = try samples("scam").prefix(3).map { samplesDirectory() + "/scam/" + $0 } + [legit, dir.appendingPathComponent("missing.html").path]
        try Data(pages.joined(separator: "\n").utf8).write(to: list)
        let rows = dir.appendingPathComponent("rows.csv").path
        let report = dir.appendingPathComponent("summary.html").path
        let r = try CLI.run(["batch", list.path, "-f", "csv", "--out", rows, "--report", report, "--quiet"])
        #expect(r.status == 1, "\(r.stderr)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let text = HTMLChecks.text(HTMLChecks.check(html, maxBytes: 2_000_000, "batch"))
        #expect(text.contains("ScamSift: 5 sites checked"))
        #expect(text.contains("Could not be checked: 1 (not-found 1)"))
        #expect(text.contains("The 4 highest scores of 4"))
        // --resume: the summary counts the rows kept from the file as well.
        try Data(pages.joined(separator: "\n").utf8 + Data("\n".utf8) + Data(samplesDirectory().appending("/legit/" + firstSample("legit")).utf8)).write(to: list)
        let resumed = try CLI.run(["batch", list.path, "-f", "csv", "--out", rows, "--resume", "--report", report, "--quiet"])
        #expect(resumed.status == 1, "\(resumed.stderr)")
        let again = HTMLChecks.text(HTMLChecks.check(try String(contentsOfFile: report, encoding: .utf8), maxBytes: 2_000_000, "resumed"))
        #expect(again.contains("ScamSift: 6 sites checked"), "\(again.prefix(300))")
        // Its reasons are in words, also from CSV rows (ids and points only).
        #expect(again.contains(RuleSet.builtIn.rule("combo.deposit_for_returns")!.spec.descriptions.english) || again.contains("Telegram"))

        let same = try CLI.run(["batch", list.path, "--out", rows, "--report", rows])
        #expect(same.status == 64 || same.status == 2)
        #expect(same.stderr.contains("--report needs a file of its own"))
    }
}
