import Foundation
import Testing
@testable import ScamSift

/// The fixtures of `Fixtures/mhtml/` (written by its `make-fixtures.py` from the `.html` pages there).
enum MHTMLFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mhtml").path
    static let pageURL = "https://shapla-invest.example/plans"
    static let bengaliTitle = "শাপলা ইনভেস্ট — প্রতিদিন ৩% নিশ্চিত লাভ"
    static let frenchTitle = "Rendement Or — gagnez 4 % par jour, dépôt minimum 50 €"

    static func path(_ name: String) -> String { folder + "/" + name }
    static func data(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    /// What a rule set makes of a page, without the parts that name the file.
    struct Outcome: Equatable {
        var score: Int
        var verdict: Verdict
        var title: String
        var lang: String?
        var hits: [String]
        var offers: Int

        init(_ r: Report) {
            score = r.score
            verdict = r.verdict
            title = r.title
            lang = r.lang
            hits = r.hits.map { "\($0.id) \($0.points) \($0.evidence.map(\.match))" }
            offers = r.offers.count
        }
    }
}

@Suite struct MHTMLDecodingTests {
    @Test func quotedPrintablePartDecodesToThePage() throws {
        let input = try PageInput.read(MHTMLFixture.data("bn-shapla-qp.mhtml"))
        // Quoted-printable turned the page's line feeds into CRLF; the bytes are otherwise the page's.
        let plain = try MHTMLFixture.data("bn-shapla.html")
        let decoded = String(decoding: input.html, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(decoded == String(decoding: plain, as: UTF8.self))
        #expect(input.url == MHTMLFixture.pageURL)
        #expect(input.charset == nil)
        #expect(input.scriptURLs == ["https://shapla-invest.example/static/app.js"])

        var timings = StageTimings()
        let page = try input.parse(xpaths: [], timings: &timings)
        #expect(page.title == MHTMLFixture.bengaliTitle)
        #expect(page.url == MHTMLFixture.pageURL)
        #expect(page.links.map(\.href).contains("https://shapla-invest.example/register?ref=shapla"))
        #expect(page.scripts.map(\.src) == ["https://shapla-invest.example/static/app.js"])
    }

    @Test func archivePartsKeepTheirTypesAndLocations() throws {
        let archive = try MHTMLReader.read([UInt8](MHTMLFixture.data("bn-shapla-qp.mhtml")))
        #expect(archive.isClosed)
        #expect(archive.headers["snapshot-content-location"] == MHTMLFixture.pageURL)
        #expect(archive.parts.map(\.contentType.mediaType) == ["text/html", "text/css", "application/javascript", "image/png"])
        #expect(archive.parts.map(\.location) == [MHTMLFixture.pageURL, "https://shapla-invest.example/static/site.css",
                                                 "https://shapla-invest.example/static/app.js", "https://shapla-invest.example/img/logo.png"])
        let png = try archive.decodedBody(of: archive.parts[3])
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test(arguments: ["bn-shapla-qp.mhtml", "bn-shapla-base64.mhtml", "bn-shapla-truncated.mhtml"])
    func archiveScoresLikeThePlainPage(name: String) throws {
        let engine = Engine(rules: .builtIn)
        let plain = try engine.score(html: MHTMLFixture.data("bn-shapla.html"), url: URL(string: MHTMLFixture.pageURL), source: "p")
        let archived = try engine.score(html: MHTMLFixture.data(name), source: name)
        #expect(!plain.hits.isEmpty, "the page should give the rules something to find")
        #expect(MHTMLFixture.Outcome(archived) == MHTMLFixture.Outcome(plain))
        #expect(archived.title == MHTMLFixture.bengaliTitle)
        #expect(archived.url == MHTMLFixture.pageURL)
    }

    @Test func partCharsetBeatsTheDefault() throws {
        let input = try PageInput.read(MHTMLFixture.data("fr-placement-1252.mhtml"))
        #expect(input.charset == "windows-1252")
        var timings = StageTimings()
        let page = try input.parse(xpaths: [], timings: &timings)
        #expect(page.title == MHTMLFixture.frenchTitle)
        #expect(page.encoding == "windows-1252")
        // The same page as UTF-8 HTML scores the same.
        let engine = Engine(rules: .builtIn)
        let plain = try engine.score(html: MHTMLFixture.data("fr-placement.html"), source: "p")
        let archived = try engine.score(html: MHTMLFixture.data("fr-placement-1252.mhtml"), source: "a")
        #expect(MHTMLFixture.Outcome(archived) == MHTMLFixture.Outcome(plain))
    }

    @Test func callerBaseURLBeatsContentLocation() throws {
        let input = try PageInput.read(MHTMLFixture.data("bn-shapla-qp.mhtml"), url: "https://mirror.example/x/")
        var timings = StageTimings()
        let page = try input.parse(xpaths: [], timings: &timings)
        #expect(page.links.map(\.href).contains("https://mirror.example/register?ref=shapla"))
    }

    @Test func foldedContentTypeWithBareBoundary() throws {
        let data = try MHTMLFixture.data("folded-content-type.mhtml")
        #expect(InputSniffer.sniff(data) == .mhtml)
        let archive = try MHTMLReader.read([UInt8](data))
        #expect(archive.headers.contentType?.parameters["boundary"] == "----MultipartBoundary--Qx7Lm2Rt9Vb4Nc8Hs1Jd6Kf3----")
        var timings = StageTimings()
        let page = try PageInput.read(data).parse(xpaths: [], timings: &timings)
        #expect(page.title == "Plié")
    }

    @Test func contentTypeParameters() {
        let t = MIMEContentType(#"Multipart/Related; TYPE="text/html"; boundary="a\"b;c" ; charset = utf-8"#)
        #expect(t.mediaType == "multipart/related")
        #expect(t.parameters == ["type": "text/html", "boundary": #"a"b;c"#, "charset": "utf-8"])
        #expect(MIMEContentType("text/html").parameters.isEmpty)
        #expect(MIMEContentType("text/html; broken; =x; charset=").parameters == ["charset": ""])
    }

    @Test func headerFoldingJoinsLines() {
        let text = "Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n  boundary=\"b\"\r\nX-Other: 1\r\n\r\nbody"
        let block = MIMEHeaders.parse(Array(text.utf8), from: 0)
        #expect(block.headers.fields.map(\.name) == ["content-type", "x-other"])
        #expect(block.headers["content-type"] == #"multipart/related; type="text/html"; boundary="b""#)
        #expect(block.bodyStart == text.utf8.count - 4)
        #expect(MIMEHeaders.parse(Array("A: 1\r\nB: 2".utf8), from: 0).bodyStart == nil)
    }

    @Test func quotedPrintableSoftBreaksAndLenience() {
        let input = Array("a=\r\nb=\nc=3D=e9= \t\r\nd=ZZ=4=".utf8)
        #expect(QuotedPrintable.decode(input[...]) == Array("abc=".utf8) + [0xE9] + Array("d=ZZ=4".utf8))
        // A soft break between the bytes of one UTF-8 character joins them again.
        #expect(QuotedPrintable.decode(Array("=E0=A6=\r\n=B6".utf8)[...]) == Array("শ".utf8))
    }

    @Test func base64SkipsWhiteSpaceOnly() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 3, 4, 57, 58, 59, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            #expect(try Base64.decode(Array((" " + encoded + "\n").utf8)[...]) == bytes)
            let unpadded = encoded.replacingOccurrences(of: "=", with: "")
            #expect(try Base64.decode(Array(unpadded.utf8)[...]) == bytes)
        }
        #expect(throws: Base64.Invalid(offset: 4, byte: 0x2A)) { try Base64.decode(Array("QUJD*RA==".utf8)[...]) }
        #expect(throws: Base64.Invalid(offset: 8, byte: 0x51)) { try Base64.decode(Array("QUJDRA==QQ==".utf8)[...]) }
        #expect(throws: Base64.Invalid(offset: 4, byte: 0x51)) { try Base64.decode(Array("QUJDQ".utf8)[...]) }
        #expect(try Base64.decode(Array("QUJDQ".utf8)[...], cutShort: true) == Array("ABC".utf8))
    }

    @Test func archiveFromAnHTTPBodyTakesTheBoundaryFromTheHeader() throws {
        let file = try MHTMLFixture.data("bn-shapla-qp.mhtml")
        let bytes = [UInt8](file)
        let firstDelimiter = try #require(String(decoding: bytes, as: UTF8.self).range(of: "------MultipartBoundary"))
        let body = Data(String(decoding: bytes, as: UTF8.self)[firstDelimiter.lowerBound...].utf8)
        let contentType = #"multipart/related; type="text/html"; boundary="----MultipartBoundary--Qx7Lm2Rt9Vb4Nc8Hs1Jd6Kf3----""#
        let fromHTTP = try PageInput.read(body, url: "https://shapla-invest.example/plans", contentType: contentType)
        #expect(fromHTTP.html == (try PageInput.read(file)).html)
    }
}

@Suite struct InputErrorTests {
    static func problem(_ data: Data) -> InputError? {
        do { _ = try PageInput.read(data); return nil } catch { return error }
    }

    @Test(arguments: [("statement.pdf", FileType.pdf), ("logo.png", .png), ("site.zip", .zip)])
    func nonPagesAreNamed(name: String, type: FileType) throws {
        let error = Self.problem(try MHTMLFixture.data(name))
        #expect(error == .notAWebPage(type))
        #expect(error?.description == "the file is \(type.description), not a web page")
    }

    @Test func otherMagicNumbers() {
        let cases: [([UInt8], FileType)] = [
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], .jpeg), (Array("GIF89a\u{1}\u{0}".utf8), .gif),
            (Array("RIFF\u{24}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), .webp), ([0x1F, 0x8B, 0x08, 0x00], .gzip),
        ]
        for (bytes, type) in cases { #expect(Self.problem(Data(bytes)) == .notAWebPage(type)) }
        // Near misses are pages (or whatever the parser makes of them).
        #expect(Self.problem(Data("%PDF is a word here <p>x</p>".utf8)) == nil)
        #expect(Self.problem(Data("RIFF....AVI <p>x</p>".utf8)) == nil)
        #expect(Self.problem(Data("Subject: hello\r\n\r\n<p>no archive</p>".utf8)) == nil)
    }

    @Test func brokenArchivesSayWhy() throws {
        #expect(Self.problem(try MHTMLFixture.data("bad-transfer-encoding.mhtml")) == .badMHTML(.unknownTransferEncoding("x-uuencode")))
        #expect(Self.problem(try MHTMLFixture.data("bad-transfer-encoding.mhtml"))?.description.contains("\"x-uuencode\"") == true)
        let base64 = try #require(Self.problem(try MHTMLFixture.data("bad-base64.mhtml")))
        guard case let .badMHTML(.invalidBase64(offset, byte)) = base64 else { Issue.record("\(base64)"); return }
        #expect(byte == UInt8(ascii: "!"))
        #expect([UInt8](try MHTMLFixture.data("bad-base64.mhtml"))[offset] == byte)
        #expect(base64.description.contains("not valid base64 (byte 0x21 '!' at offset \(offset))"))
        #expect(Self.problem(try MHTMLFixture.data("boundary-never-appears.mhtml"))
                == .badMHTML(.boundaryNeverAppears("----MultipartBoundary--Qx7Lm2Rt9Vb4Nc8Hs1Jd6Kf3----")))
    }

    @Test func truncatedArchives() throws {
        let text = String(decoding: try MHTMLFixture.data("bn-shapla-qp.mhtml"), as: UTF8.self)
        func cut(after marker: String) throws -> Data {
            let range = try #require(text.range(of: marker))
            return Data(text[..<range.upperBound].utf8)
        }
        // Inside the HTML part's headers, and inside the archive's own: nothing to score.
        #expect(Self.problem(try cut(after: "Content-Transfer-Encoding: quoted-printable")) == .badMHTML(.cutShortBeforePage))
        #expect(Self.problem(try cut(after: "Kf3----\"")) == .badMHTML(.cutShortBeforePage))
        // Inside the page itself, after its title: what there is is scored.
        let half = try cut(after: "</h1>")
        var timings = StageTimings()
        let page = try PageInput.read(half).parse(xpaths: [], timings: &timings)
        #expect(page.title == MHTMLFixture.bengaliTitle)
        // An archive that closes with no text/html part.
        let noPage = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nx\r\n--b--\r\n"
        #expect(Self.problem(Data(noPage.utf8)) == .badMHTML(.noPagePart(parts: 1)))
        #expect(Self.problem(Data("MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n--b\r\n".utf8)) == .badMHTML(.noBoundary))
    }

    @Test func hostileArchivesStayLinear() throws {
        // A boundary that many lines almost match, and many empty parts: each line is looked at once.
        let head = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\r\n\r\n"
        let nearMiss = "--" + String(repeating: "b", count: 63) + "x\r\n"
        let delimiter = "--" + String(repeating: "b", count: 64) + "\r\n"
        var text = head + delimiter + "Content-Type: text/html\r\n\r\n<title>t</title>\r\n"
        text += String(repeating: nearMiss, count: 20_000) + String(repeating: delimiter, count: 20_000)
        let started = Date()
        let archive = try MHTMLReader.read(Array(text.utf8))
        #expect(archive.parts.count == 20_000)
        #expect(!archive.isClosed)
        #expect(Date().timeIntervalSince(started) < 20)
        // Random bytes after a valid header neither crash nor hang.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let noise = (0..<4000).map { _ in [0x0A, 0x0D, 0x2D, 0x3D, 0x62, 0x3A, 0x20, 0x41, 0xE0][Int.random(in: 0..<9, using: &generator)] as UInt8 }
            let bytes = Array("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n".utf8) + noise
            _ = try? PageInput.read(Data(bytes))
        }
    }
}

@Suite struct InputCLITests {
    @Test func anArchiveExitsLikeItsPage() throws {
        let archived = try CLI.run(["score", MHTMLFixture.path("bn-shapla-qp.mhtml")])
        let plain = try CLI.run(["score", "--base-url", MHTMLFixture.pageURL, MHTMLFixture.path("bn-shapla.html")])
        #expect(archived.status == plain.status, "stderr: \(archived.stderr)")
        func line(_ prefix: String, _ r: CLI.Result) -> String? { r.stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init) }
        #expect(line("Score:", archived) != nil)
        #expect(line("Score:", archived) == line("Score:", plain))
        #expect(line("Title:", archived) == "Title:   " + MHTMLFixture.bengaliTitle)
    }

    @Test func badInputsGetOneLineEachAndTheOthersAreStillScored() throws {
        let names = ["statement.pdf", "bad-base64.mhtml", "bad-transfer-encoding.mhtml", "bn-shapla-base64.mhtml", "site.zip"]
        let r = try CLI.run(["score"] + names.map(MHTMLFixture.path))
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 4, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("statement.pdf: the file is a PDF document, not a web page"))
        #expect(r.stderr.contains("site.zip: the file is a ZIP archive, not a web page"))
        #expect(r.stderr.contains("bad-base64.mhtml: the MHTML file's HTML part is not valid base64"))
        #expect(r.stderr.contains("bad-transfer-encoding.mhtml: the MHTML file's HTML part has Content-Transfer-Encoding \"x-uuencode\""))
        #expect(r.stdout.contains("Title:   " + MHTMLFixture.bengaliTitle))
    }
}
