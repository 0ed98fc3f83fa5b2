import Foundation
import Testing
import PathologicalPages
@testable import ScamSift

@Suite struct ParserTests {
    func parse(_ html: String, url: String? = nil, xpaths: [String] = []) throws -> Page {
        try HTMLParser.parse(Data(html.utf8), url: url, xpaths: xpaths)
    }

    @Test func blocksKeepElementBoundaries() throws {
        let page = try parse("<html><body><div>Minimum</div><div>deposit</div><p>earn <b>3%</b> daily</p><table><tr><td>a</td><td>b</td></tr></table></body></html>")
        #expect(page.textBlocks == ["Minimum", "deposit", "earn 3% daily", "a", "b"])
    }

    @Test func scriptStyleNoscriptAndTemplateAreNotVisibleText() throws {
        let page = try parse("""
        <html><head><style>.x{color:red}</style></head><body><p>shown</p>
        <script>var plan = "guaranteed profit";</script><noscript>enable js</noscript>
        <template><p>template text</p></template><!-- comment --></body></html>
        """)
        #expect(page.textBlocks == ["shown"])
        #expect(page.scripts.map(\.excerpt) == ["var plan = \"guaranteed profit\";"])
        // A template's words are read as hidden text: an app page saved from its source
        // (Vue, uni-app) holds all of them there. So are a <noscript>'s: ScamSift runs no
        // script, so that is what the page shows it. The script's two-word string is code-like.
        #expect(page.hiddenBlocks == ["enable js", "template text"])
    }

    /// libxml2 ends `<?php` at the first `>`, and PHP writes `->` and `=>`: a block between tags
    /// is read as a script instead, its code never text and its prose strings hidden text.
    @Test func aPHPBlockIsReadAsAScriptNotAsText() throws {
        let page = try parse("""
        <?php
        $plans = ['gold' => 'Gold plan pays a fixed income each month', 'fee' => $cfg->fee];
        function money($n) { return number_format($n); }
        ?>
        <html><body><p>Fees: <?= money($fee) ?> a month.</p>
        <a href="<?= $url ?>">Join</a><?php if ($a->b) { echo '</div>'; } ?><p>End</p></body></html>
        """)
        let text = page.textBlocks.joined(separator: " ")
        #expect(!text.contains("return") && !text.contains("number_format") && !text.contains("=>"))
        #expect(page.textBlocks.contains("Fees: a month."))
        #expect(page.textBlocks.contains("End"))
        #expect(page.hiddenBlocks.contains("Gold plan pays a fixed income each month"))
        // Inside a tag the block is left alone: the link keeps its text.
        #expect(page.links.map(\.text) == ["Join"])
        // No block, or an XML declaration: the bytes go to libxml2 as they were.
        #expect(Data("<?xml version=\"1.0\"?><p>x</p>".utf8).withUnsafeBytes(ServerCode.asScripts) == nil)
        // In a script, a style or a comment the block is left alone: the script around it
        // keeps all its strings, and nothing of it becomes text.
        let inScript = try parse("""
        <body><p>Top</p><script>var u = '<?= $base ?>/x'; var a = 'Payouts reach your bank in two days';</script>
        <!-- <?php echo $x; ?> --><p>Bottom</p></body>
        """)
        #expect(inScript.textBlocks == ["Top", "Bottom"])
        #expect(inScript.hiddenBlocks.contains("Payouts reach your bank in two days"))
        // A block the file never closes runs to its end, as PHP reads it.
        #expect(try parse("<p>Before</p><?php $x = ['a' => 'b'];").textBlocks == ["Before"])
    }

    @Test func aPHPFilesOpeningBlockKeepsThePagesHTMLTagAndLanguage() throws {
        // A PHP file opens with its code, then the doctype and `<html lang>`: made a script in
        // place, the block started the document and libxml2 dropped the page's own `<html>`.
        let page = try parse("""
        <?php
        $plans = ['a' => 'Monthly payouts reach your bank account'];
        ?>
        <!DOCTYPE html>
        <!-- layout -->
        <html lang="es" dir="ltr"><head><title>Planes</title></head>
        <body><p>Hola <?= $name ?>, bienvenido.</p></body></html>
        """)
        #expect(page.lang == "es")
        #expect(page.title == "Planes")
        #expect(page.hiddenBlocks.contains("Monthly payouts reach your bank account"))
        #expect(page.textBlocks.contains("Hola , bienvenido."))
        // With no `<html>` tag the prolog's scripts go before the first element.
        let bare = try parse("<?php $t = 'Weekly report of your earnings'; ?>\n<div><p>Body</p></div>")
        #expect(bare.textBlocks == ["Body"])
        #expect(bare.hiddenBlocks.contains("Weekly report of your earnings"))
    }

    @Test func aVuePageSavedFromSourceIsReadAsHiddenText() throws {
        let page = try parse("""
        <template>
          <view class="mine"><text class="label">余额</text><text>{{ user.balance }}</text>
          <button @click="recharge">充值</button><button @click="withdraw">提现</button></view>
        </template>
        <script>export default { data() { return { user: {} } } }</script>
        """)
        #expect(page.textBlocks.isEmpty)
        #expect(page.hiddenBlocks.joined(separator: " ").contains("充值"))
        #expect(page.hiddenBlocks.joined(separator: " ").contains("提现"))
    }

    /// The strings an app keeps in its script's data (an FAQ, notices, menu titles) are the
    /// page's words too; identifiers, paths, URLs and code are not.
    @Test func aScriptsProseStringsAreReadAsHiddenText() throws {
        let page = try parse(#"""
        <body><p>shown</p><script>
        // a comment with 'quotes that are not a string
        const faq = [{ q: 'Как повысить уровень?', a: "Пополните счёт и купите VIP, чтобы получать больше заданий." },
          { q: `Withdrawals are paid within ${hours} hours of your request`, a: 'It\'s free to join and free to leave.' }]
        const url = 'https://api.example/v1/user', path = "./static/img/banner.png", sel = '.qa-list > .item'
        const code = "if (a) { b = c; }", word = 'submitOrder', label = 'OK then'
        /* 'a block comment' */ const esc = "\u0417\u0430\u0434\u0430\u043d\u0438\u044f \u043d\u0430 \u0441\u0435\u0433\u043e\u0434\u043d\u044f"
        </script><script type="text/x-template"><p>'Not a script string here at all'</p></script>
        <script src="/app.js"></script></body>
        """#)
        #expect(page.textBlocks == ["shown"])
        #expect(page.hiddenBlocks == [
            "Как повысить уровень?", "Пополните счёт и купите VIP, чтобы получать больше заданий.",
            "Withdrawals are paid within hours of your request", "It's free to join and free to leave.",
            "Задания на сегодня",
        ])
        #expect(!page.templateText)
    }

    @Test func aStringUnclosedAtItsLineEndIsNoString() {
        let script = Array("x = 'it is not closed\ny = 'Пополните счёт и купите VIP сейчас'".utf8)
        #expect(ScriptStrings.prose(in: script, room: 1000) == ["Пополните счёт и купите VIP сейчас"])
        #expect(ScriptStrings.prose(in: script, room: 10).isEmpty)
    }

    /// The white space between two elements a browser does not know (uni-app's <view> and
    /// <text>) separates their words: libxml2 drops it as "blank" when asked to
    /// (HTML_PARSE_NOBLANKS), and "13% سالانہ" and "منافع روزانہ" then read as one sentence
    /// "13% سالانہمنافع روزانہ", a daily rate.
    @Test func blanksBetweenUnknownElementsSeparateWords() throws {
        let page = try parse("<body><div><view><text>13% yearly</text>\n  <text>paid daily</text></view></div><template><text>gamma</text>\n <text>delta</text></template></body>")
        #expect(page.textBlocks == ["13% yearly paid daily"])
        #expect(page.hiddenBlocks == ["gamma delta"])
    }

    @Test func aTemplateWithWordsIsNotedAndAnEmptyOneIsNot() throws {
        #expect(try parse("<body><p>shown</p><template><p>Recharge</p></template></body>").templateText)
        #expect(try !parse("<body><p>shown</p><template>\n  <div> </div>\n</template></body>").templateText)
        #expect(try !parse("<body><p>shown</p><div hidden>hidden words</div></body>").templateText)
        #expect(try parse("<body><noscript><p>Minimum withdrawal is 300 rubles a day</p></noscript></body>").templateText)
    }

    @Test func hiddenTextIsKeptApart() throws {
        let page = try parse("""
        <body><p>visible</p><div style="display: none">plan A 3% daily</div><p hidden>h2</p>
        <span aria-hidden="true">h3</span><div style="font-size:0px">h4</div><div style="font-size:0.9em">small but shown</div></body>
        """)
        #expect(page.textBlocks == ["visible", "small but shown"])
        #expect(page.hiddenBlocks == ["plan A 3% daily", "h2", "h3", "h4"])
    }

    @Test func linksResolveAgainstBaseURLAndKeepTheirText() throws {
        let page = try parse("<body><a href='/?a=signup'>Join <b>now</b></a><a href='faq.html'>FAQ</a><a href='mailto:x@y.z'>mail</a></body>",
                             url: "https://earn.example/dir/index.html")
        #expect(page.links == [
            Page.Link(href: "https://earn.example/?a=signup", text: "Join now"),
            Page.Link(href: "https://earn.example/dir/faq.html", text: "FAQ"),
            Page.Link(href: "mailto:x@y.z", text: "mail"),
        ])
    }

    @Test func baseElementWinsOverPageURL() throws {
        let page = try parse("<head><base href='https://cdn.example/x/'></head><body><a href='p'>p</a></body>", url: "https://a.example/")
        #expect(page.links.first?.href == "https://cdn.example/x/p")
    }

    @Test func formsKeepActionMethodAndFields() throws {
        let page = try parse("""
        <form action="/deposit" method="POST"><label>Amount</label><input name="amount" type="number" placeholder="Min $50">
        <select name="plan"><option>Gold 3% daily</option></select><button>Deposit now</button></form>
        """, url: "https://x.example/")
        let form = try #require(page.forms.first)
        #expect(form.action == "https://x.example/deposit")
        #expect(form.method == "post")
        #expect(form.fields.map(\.name) == ["amount", "plan", ""])
        #expect(form.fields[0].placeholder == "Min $50")
        #expect(form.fields[0].type == "number")
        #expect(form.fields[1].value == "Gold 3% daily")
        #expect(form.text.contains("Deposit now"))
    }

    @Test func inputsOutsideAnyFormShareOneImplicitForm() throws {
        let page = try parse("<body><input name='wallet' placeholder='TRC20 address'><p>x</p><input name='amount'><form action='/a'><input name='q'></form></body>")
        #expect(page.forms.count == 2)
        #expect(page.forms[0].action == "" && page.forms[0].fields.map(\.name) == ["wallet", "amount"])
        #expect(page.forms[1].fields.map(\.name) == ["q"])
    }

    @Test func titleMetaLangAltAndScripts() throws {
        let page = try parse("""
        <html lang="bn"><head><title> আয় করুন </title><meta name="description" content="daily profit">
        <meta property="og:title" content="OG"><script src="/js/ticker.js"></script></head>
        <body><img src="a.png" alt="Withdraw proof"></body></html>
        """, url: "https://x.example/")
        #expect(page.title == "আয় করুন")
        #expect(page.lang == "bn")
        #expect(page.metaDescription == "daily profit")
        #expect(page.meta.map(\.key) == ["description", "og:title"])
        #expect(page.scripts.first?.src == "https://x.example/js/ticker.js")
        #expect(page.imageAlts == ["Withdraw proof"])
    }

    @Test func inlineScriptExcerptIsBounded() throws {
        let big = String(repeating: "x", count: 100_000)
        let page = try parse("<body><script>\(big)</script><script>\(big)</script></body>")
        #expect(page.scripts.allSatisfy { $0.excerpt.utf8.count <= Page.Limits.inlineScriptExcerpt })
    }

    // MARK: encodings

    @Test func windows1252DeclaredInMeta() throws {
        var bytes = Array("<html><head><meta charset=\"windows-1252\"><title>Caf".utf8)
        bytes += [0xE9] + Array("</title></head><body><p>".utf8) + [0x93] + Array("quoted".utf8) + [0x94, 0x20, 0x80] + Array("</p></body></html>".utf8)
        let page = try HTMLParser.parse(Data(bytes))
        #expect(page.title == "Café")
        #expect(page.textBlocks == ["“quoted” €"])
        #expect(page.encoding == "windows-1252")
    }

    @Test func httpEquivContentTypeCharset() throws {
        let bytes = Array("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body><p>".utf8) + [0xE9] + Array("</p></body></html>".utf8)
        let page = try HTMLParser.parse(Data(bytes))
        #expect(page.textBlocks == ["é"])
    }

    @Test func utf16WithByteOrderMark() throws {
        let html = "<html><head><title>ন্যূনতম জমা</title></head><body><p>৫০০ টাকা</p></body></html>"
        var le: [UInt8] = [0xFF, 0xFE]
        for unit in html.utf16 { le += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        var be: [UInt8] = [0xFE, 0xFF]
        for unit in html.utf16 { be += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        for bytes in [le, be] {
            let page = try HTMLParser.parse(Data(bytes))
            #expect(page.title == "ন্যূনতম জমা")
            #expect(page.textBlocks == ["৫০০ টাকা"])
        }
    }

    @Test func callerCharsetBeatsTheMetaDeclaration() throws {
        // The page claims UTF-8 but HTTP said windows-1252: HTTP wins.
        let bytes = Array("<html><head><meta charset=\"utf-8\"></head><body><p>".utf8) + [0xE9] + Array("</p></body></html>".utf8)
        let page = try HTMLParser.parse(Data(bytes), charset: "windows-1252")
        #expect(page.textBlocks == ["é"])
    }

    @Test func utf8ByteOrderMarkBeatsMeta() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<html><head><meta charset=\"windows-1252\"></head><body><p>é</p></body></html>".utf8)
        let page = try HTMLParser.parse(Data(bytes))
        #expect(page.textBlocks == ["é"])
    }

    @Test func invalidUTF8IsToleratedByteByByte() throws {
        let bytes = Array("<html><body><p>ok ".utf8) + [0xFF, 0xC3] + Array(" ন্যূনতম</p></body></html>".utf8)
        let page = try HTMLParser.parse(Data(bytes))
        // One bad byte must not turn the whole page into Latin-1.
        #expect(page.textBlocks == ["ok \u{FFFD}\u{FFFD} ন্যূনতম"])
    }

    @Test func unknownCharsetFallsBackToUTF8() throws {
        let page = try HTMLParser.parse(Data("<meta charset='x-no-such-thing'><p>ন্যূনতম</p>".utf8))
        #expect(page.textBlocks == ["ন্যূনতম"])
    }

    // MARK: hostile shapes

    @Test func malformedTagsStillYieldText() throws {
        let page = try parse("<html><body><p>one<p>two<div><span>three</div></b></i><td>four<<p>five</body")
        #expect(page.textBlocks.joined(separator: "|").contains("one"))
        #expect(page.textBlocks.contains("two"))
        #expect(page.textBlocks.contains("three"))
        #expect(page.textBlocks.joined().contains("five"))
    }

    @Test func deepNestingParsesWithoutCrashing() throws {
        let depth = 5000
        let html = "<html><body>" + String(repeating: "<div>", count: depth) + "<p>deep minimum deposit</p>"
            + String(repeating: "</div>", count: depth) + "<p>after</p></body></html>"
        let page = try parse(html)
        #expect(page.textBlocks.contains("after"))
        #expect(page.textBlocks.contains("deep minimum deposit"))
    }

    /// Megabytes of markup whose text stays inside `Page.Limits.maxTextBytes` are read whole
    /// (`PathologicalPageTests` covers pages past the limits).
    @Test func severalMegabytePagesParse() throws {
        let html = "<html><body>" + String(repeating: "<div class=\"row filler\"><p class=\"cell\">filler</p></div>", count: 90_000) + "<p>end marker</p></body></html>"
        #expect(html.utf8.count > 4_000_000)
        let page = try parse(html)
        #expect(page.cuts.isEmpty)
        #expect(page.textBlocks.last == "end marker")
        #expect(page.textBlocks.count == 90_001)
    }

    @Test func refusesTooLargeEmptyAndBinaryInput() {
        #expect(throws: PageError.empty) { try HTMLParser.parse(Data()) }
        #expect(throws: PageError.binary) { try HTMLParser.parse(Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1])) }
        let big = Data(count: Page.Limits.maxInputBytes + 1)
        #expect(throws: PageError.tooLarge(bytes: big.count, limit: Page.Limits.maxInputBytes)) { try HTMLParser.parse(big) }
    }

    @Test func anyByteSequenceParsesOrFailsCleanly() {
        var generator = SplitMix(seed: 42)
        for _ in 0..<300 {
            let n = Int(generator.next() % 2000)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Bias toward markup so the parser's deeper paths run too.
            for i in stride(from: 0, to: bytes.count, by: 7) { bytes[i] = Array("<>/=\"' a".utf8)[Int(generator.next() % 8)] }
            _ = try? HTMLParser.parse(Data(bytes), xpaths: ["//a", "count(//p)"])
        }
    }

    @Test func xpathResultsCountPathsAndTexts() throws {
        let page = try parse("<body><table><tr><td>Min $50</td><td>3% daily</td></tr></table></body>",
                             xpaths: ["//td", "count(//td)", "//nothing"])
        #expect(page.xpathResults[0].count == 2)
        #expect(page.xpathResults[0].texts == ["Min $50", "3% daily"])
        #expect(page.xpathResults[0].paths.first == "/html/body/table/tr/td[1]")
        #expect(page.xpathResults[1].count == 2)
        #expect(page.xpathResults[2].count == 0)
    }

    @Test func xpathCompileErrors() {
        #expect(HTMLParser.xpathError("//td[") != nil)
        #expect(HTMLParser.xpathError("//td[@class='x']") == nil)
    }

    @Test func parsingIsThreadSafeAcrossDocuments() async throws {
        let html = Data("<html><body><p>Minimum deposit</p><a href='/x'>x</a></body></html>".utf8)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 { group.addTask { try HTMLParser.parse(html, url: "https://a.example/", xpaths: ["//p"]).textBlocks.count } }
            for try await count in group { #expect(count == 2) }  // the paragraph, then the link text
        }
    }
}

@Suite struct InlineStyleTests {
    @Test func hidingStylesAreSeenAndOthersAreNot() {
        let hiding = ["display:none", "DISPLAY: NONE !important", "visibility:hidden", "opacity:0", "font-size:0px",
                      "overflow:hidden;height:0", "position:absolute;left:-9999px", "text-indent:-1000px"]
        for style in hiding {
            #expect(InlineStyle.mayHide(style), "\(style)")
            #expect(InlineStyle.hidesText(style), "\(style)")
        }
        for style in ["color:red", "margin:0 auto", "font-weight:bold; line-height:1.4", "left:-20px", "opacity:0.5"] {
            #expect(!InlineStyle.hidesText(style), "\(style)")
        }
    }
}

@Suite struct XPathGateTests {
    @Test func namesAreReadOnlyFromPlainElementSteps() {
        #expect(XPathGate.analyse("//form[@name='a|b'] | //input[@name='x']") == ["form", "input"])
        #expect(XPathGate.analyse("//INPUT") == ["input"])
        #expect(XPathGate.analyse("//form | //*[@id='x']") == nil)          // any element
        #expect(XPathGate.analyse("count(//a)") == nil)                     // not a node set of names
        #expect(XPathGate.analyse("/html/body//input") == nil)
    }

    @Test func expressionsStillMatchWhenTheElementIsThere() throws {
        let expression = "//input[@name='txid']"
        let without = try HTMLParser.parse(Data("<p>no form here</p>".utf8), xpaths: [expression])
        let with = try HTMLParser.parse(Data("<form><input name='txid'></form>".utf8), xpaths: [expression])
        #expect(without.xpathResults.first?.count == 0)
        #expect(with.xpathResults.first?.count == 1)
    }
}

@Suite struct ElementNameTests {
    @Test func everyBlockAndSpecialNameIsFoundAndNothingElse() {
        func info(_ name: String) -> ElementName.Info {
            name.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) { ElementName.info($0) } }
        }
        for name in ElementKind.blocks {
            #expect(info(name).block, "\(name)")
        }
        for (name, kind) in ElementName.special {
            #expect(info(name).kind == kind, "\(name)")
            #expect(info(name).block == ElementKind.blocks.contains(name), "\(name)")
        }
        for name in ["span", "b", "divx", "dir", "i", "tbod", "scripts", "h7", "sectio", "blockquotes", "figcaptions"] {
            #expect(info(name).kind == .other && !info(name).block, "\(name)")
        }
        #expect(ElementName("blockquote") == nil && info("blockquote").block)   // longer than eight bytes: looked up as a string
        #expect(ElementName("textarea") != nil)
    }

    @Test func textRunsAreCopiedWholeWithSpacesFolded() {
        var buffer = TextBuffer()
        for piece in ["  Join \t now\n", "", "and\u{0C}earn ", "৳500"] {
            piece.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: piece.utf8.count + 1) { buffer.append($0) } }
        }
        #expect(buffer.take() == "Join now and earn ৳500")
    }
}
