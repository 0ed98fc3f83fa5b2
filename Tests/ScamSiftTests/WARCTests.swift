import Foundation
import Testing
@testable import ScamSift
import ScamSiftFetch
import ScamSiftTestServer

/// WARC files written here record by record (gzip members by the system zlib, through the test
/// server's `Compression`), and read back with `WARCInput` from a temporary file.
enum WARCFixture {
    static let scamURL = "https://goldrise.example/plans"
    static let scamPage = [UInt8](FileManager.default.contents(atPath: samplesDirectory() + "/scam/en-hyip-plans-goldrise.html")!)
    static let gardenPage = Array("<html><head><title>Growing tomatoes</title></head><body><p>Water them every morning.</p></body></html>".utf8)

    /// A record: version line, headers, empty line, block, CRLF CRLF. `length` overrides the
    /// true Content-Length (to break it).
    static func record(_ type: String, uri: String? = nil, contentType: String, block: [UInt8], length: Int? = nil) -> [UInt8] {
        var head = "WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <urn:uuid:\(UUID().uuidString.lowercased())>\r\n"
            + "WARC-Date: 2025-03-01T10:00:00Z\r\n"
        if let uri { head += "WARC-Target-URI: \(uri)\r\n" }
        head += "Content-Type: \(contentType)\r\nContent-Length: \(length ?? block.count)\r\n\r\n"
        return Array(head.utf8) + block + Array("\r\n\r\n".utf8)
    }

    /// An HTTP response as a crawler stores it.
    static func http(_ body: [UInt8], status: String = "200 OK", headers: [String] = ["Content-Type: text/html; charset=utf-8"]) -> [UInt8] {
        Array(("HTTP/1.1 \(status)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n").utf8) + body
    }

    static func response(_ uri: String, _ http: [UInt8]) -> [UInt8] {
        record("response", uri: uri, contentType: "application/http; msgtype=response", block: http)
    }

    /// `Transfer-Encoding: chunked` as it went over the wire, with a chunk extension for good measure.
    static func chunked(_ body: [UInt8], size: Int) -> [UInt8] {
        var out: [UInt8] = []
        for start in stride(from: 0, to: body.count, by: size) {
            let chunk = body[start..<min(body.count, start + size)]
            out += Array("\(String(chunk.count, radix: 16));name=value\r\n".utf8) + chunk + [0x0D, 0x0A]
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    /// A crawl of one page: warcinfo, the request, the HTML response, an image, a revisit.
    static let crawl: [[UInt8]] = [
        record("warcinfo", contentType: "application/warc-fields", block: Array("software: scamsift-tests\r\nformat: WARC File Format 1.1\r\n".utf8)),
        record("request", uri: scamURL, contentType: "application/http; msgtype=request",
               block: Array("GET /plans HTTP/1.1\r\nHost: goldrise.example\r\n\r\n".utf8)),
        response(scamURL, http(scamPage)),
        response("https://goldrise.example/logo.png", http([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], headers: ["Content-Type: image/png"])),
        record("revisit", uri: scamURL, contentType: "application/http; msgtype=response",
               block: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".utf8)),
    ]

    static func gzipEach(_ records: [[UInt8]]) -> [UInt8] { records.flatMap { Compression.gzip($0) } }

    struct Read {
        var path: String
        var entries: [WARCEntry]
        var tally: WARCTally

        var pages: [WARCPage] { entries.compactMap { if case let .page(p) = $0 { p } else { nil } } }

        /// Each entry without the file's path: "page #3 URL (N bytes)" or "failure #4: why".
        var shown: [String] {
            entries.map {
                switch $0 {
                case let .page(p): "page \(p.source.dropFirst(path.count)) \(p.url ?? "-") (\(p.body.count) bytes)"
                case let .failure(source, message): "failure \(source.dropFirst(path.count)): \(message)"
                }
            }
        }
    }

    /// Writes `bytes` to a file named `name` and reads every entry from it.
    static func read(_ bytes: [UInt8], name: String = "crawl.warc", limit: Int = 5 * 1024 * 1024) throws -> Read {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case let .warc(reader) = WARCInput.open(path, limit: limit) else {
            Issue.record("\(name) was not taken for a WARC file")
            return Read(path: path, entries: [], tally: WARCTally())
        }
        var entries: [WARCEntry] = []
        while let entry = reader.next() { entries.append(entry) }
        #expect(reader.next() == nil, "a finished reader stays finished")
        return Read(path: path, entries: entries, tally: reader.tally)
    }
}

@Suite struct WARCReaderTests {
    @Test func aCrawlGivesItsHTMLResponseAndSkipsTheRest() throws {
        let read = try WARCFixture.read(WARCFixture.crawl.flatMap { $0 })
        let page = try #require(read.pages.first)
        #expect(read.entries.count == 1)
        #expect(page.source == read.path + "#3")
        #expect(page.url == WARCFixture.scamURL)
        #expect([UInt8](page.body) == WARCFixture.scamPage)
        #expect(page.charset == "utf-8")
        #expect(!page.truncated && page.contentType == nil)
        #expect(read.tally == WARCTally(records: 5, pages: 1, errors: 0, skipped: ["warcinfo": 1, "request": 1, "not HTML": 1, "revisit": 1]))
        #expect(read.tally.line(name: "crawl.warc") == "crawl.warc: 5 records, 1 HTML page; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo")
    }

    @Test func gzipPerRecordAndWholeFileGzipReadTheSame() throws {
        let records = WARCFixture.crawl + [WARCFixture.response("https://garden.example/", WARCFixture.http(WARCFixture.gardenPage))]
        let plain = try WARCFixture.read(records.flatMap { $0 })
        let perRecord = try WARCFixture.read(WARCFixture.gzipEach(records), name: "crawl.warc.gz")
        let whole = try WARCFixture.read(Compression.gzip(records.flatMap { $0 }), name: "whole.warc.gz")
        #expect(plain.shown == ["page #3 \(WARCFixture.scamURL) (\(WARCFixture.scamPage.count) bytes)",
                                "page #6 https://garden.example/ (\(WARCFixture.gardenPage.count) bytes)"])
        #expect(perRecord.shown == plain.shown)
        #expect(whole.shown == plain.shown)
        #expect(perRecord.pages.map(\.body) == plain.pages.map(\.body) && whole.pages.map(\.body) == plain.pages.map(\.body))
        #expect(perRecord.tally == plain.tally && whole.tally == plain.tally)
    }

    @Test func chunkedBodiesAreJoinedAndDecompressed() throws {
        let page = WARCFixture.scamPage
        let records = [
            WARCFixture.response("https://a.example/", WARCFixture.http(WARCFixture.chunked(page, size: 1000),
                                                                       headers: ["Content-Type: text/html", "Transfer-Encoding: chunked"])),
            // Chunks of a gzip body: both codings undone.
            WARCFixture.response("https://b.example/", WARCFixture.http(WARCFixture.chunked(Compression.gzip(page), size: 700),
                                                                       headers: ["Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: gzip"])),
            // Said chunked and gzip, but stored decoded (as browser-based crawlers do): taken as it is.
            WARCFixture.response("https://c.example/", WARCFixture.http(page, headers: ["Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: gzip"])),
            // deflate as a zlib stream.
            WARCFixture.response("https://d.example/", WARCFixture.http(Compression.zlib(page), headers: ["Content-Type: text/html", "Content-Encoding: deflate"])),
        ]
        let read = try WARCFixture.read(WARCFixture.gzipEach(records), name: "chunked.warc.gz")
        #expect(read.pages.count == 4, "\(read.shown)")
        for p in read.pages { #expect([UInt8](p.body) == page, "\(p.source)") }
        #expect(HTTPBodyDecoder.dechunk(Array("5\r\nhello\r\n0\r\n\r\n".utf8)) == Array("hello".utf8))
        #expect(HTTPBodyDecoder.dechunk(Array("<html>".utf8)) == nil)
        // Cut inside a chunk: what came is kept.
        #expect(HTTPBodyDecoder.dechunk(Array("5\r\nhello\r\n10\r\nwor".utf8)) == Array("hellowor".utf8))
    }

    @Test func theHTTPCharsetReadsThePage() throws {
        // In ISO-8859-1: é = E9, è = E8, à = E0, each one byte that is not valid UTF-8.
        let latin1 = [UInt8]("<html><head><title>Café crème à Paris</title></head><body><p>Un café pour vous.</p></body></html>"
            .data(using: .isoLatin1)!)
        let records = [
            WARCFixture.response("https://cafe.example/", WARCFixture.http(latin1, headers: ["Content-Type: text/html; charset=ISO-8859-1"])),
            WARCFixture.response("https://cafe.example/nocharset", WARCFixture.http(latin1, headers: ["Content-Type: text/html"])),
        ]
        let read = try WARCFixture.read(records.flatMap { $0 })
        let charsets: [String?] = read.pages.map { $0.charset }
        #expect(charsets == ["ISO-8859-1", nil])
        let engine = Engine(rules: .builtIn)
        let reports = read.pages.map { PageScorer.score(record: $0, engine: engine) }
        guard case let .report(declared) = reports[0], case let .report(undeclared) = reports[1] else {
            Issue.record("not scored: \(reports)")
            return
        }
        #expect(declared.title == "Café crème à Paris")
        #expect(declared.url == "https://cafe.example/")
        #expect(declared.source == read.path + "#1")
        // Without the header the page is read as UTF-8, and its accents are lost: the header did the work.
        #expect(undeclared.title != declared.title)
        // --charset beats the record's header, as it beats a server's.
        guard case let .report(forced) = PageScorer.score(record: read.pages[1], engine: engine, charset: "windows-1252") else {
            Issue.record("not scored")
            return
        }
        #expect(forced.title == "Café crème à Paris")
    }

    @Test func responsesThatAreNotPagesAreCountedNotScored() throws {
        let records = [
            WARCFixture.response("https://r.example/", WARCFixture.http(Array("<html>moved</html>".utf8), status: "301 Moved Permanently",
                                                                       headers: ["Content-Type: text/html", "Location: /new"])),
            WARCFixture.response("https://r.example/gone", WARCFixture.http(Array("<html>gone</html>".utf8), status: "404 Not Found")),
            WARCFixture.response("https://r.example/site.css", WARCFixture.http(Array("body{color:red}".utf8), headers: ["Content-Type: text/css"])),
            WARCFixture.response("https://r.example/notes.txt", WARCFixture.http(Array("just some notes".utf8), headers: ["Content-Type: text/plain"])),
            WARCFixture.response("https://r.example/empty", WARCFixture.http([])),
            // A HEAD-like response stored without the empty line after its headers.
            WARCFixture.response("https://r.example/head", Array("HTTP/1.1 200 OK\r\nContent-Type: text/html".utf8)),
            WARCFixture.record("response", uri: "dns:r.example", contentType: "text/dns", block: Array("20250301100000\nr.example. 300 IN A 192.0.2.1\n".utf8)),
            WARCFixture.record("metadata", uri: "https://r.example/", contentType: "application/warc-fields", block: Array("outlink: https://r.example/a\r\n".utf8)),
            // No Content-Type at all: sniffed as HTML from its first bytes.
            WARCFixture.response("https://r.example/untyped", WARCFixture.http(Array("\n  <!DOCTYPE html><title>Sniffed</title><p>x</p>".utf8), headers: [])),
        ]
        let read = try WARCFixture.read(records.flatMap { $0 })
        #expect(read.shown == ["page #9 https://r.example/untyped (48 bytes)"])
        #expect(read.tally.skipped == ["redirect": 1, "error status": 1, "not HTML": 2, "empty body": 2, "not HTTP": 1, "metadata": 1])
        #expect(WARCPageReader.sniffsAsHTML(Array("<P>hello".utf8)) && WARCPageReader.sniffsAsHTML(Array("<!-- c -->".utf8)))
        #expect(!WARCPageReader.sniffsAsHTML(Array("<pre".utf8)) && !WARCPageReader.sniffsAsHTML(Array("{\"a\": 1}".utf8)))
    }

    @Test func aBodyOverTheLimitIsCutAndMarked() throws {
        let big = Array("<html><body>".utf8) + [UInt8](repeating: 0x61, count: 50_000) + Array("</body></html>".utf8)
        let records = [
            WARCFixture.response("https://big.example/", WARCFixture.http(big)),
            WARCFixture.response("https://big.example/gz", WARCFixture.http(Compression.gzip(big), headers: ["Content-Type: text/html", "Content-Encoding: gzip"])),
            WARCFixture.response("https://small.example/", WARCFixture.http(WARCFixture.gardenPage)),
        ]
        let read = try WARCFixture.read(WARCFixture.gzipEach(records), name: "big.warc.gz", limit: 10_000)
        #expect(read.pages.map(\.body.count) == [10_000, 10_000, WARCFixture.gardenPage.count])
        #expect(read.pages.map(\.truncated) == [true, true, false])
        #expect(read.pages.prefix(2).allSatisfy { $0.body.starts(with: "<html><body>aaa".utf8) })
    }

    @Test func aTruncatedFileKeepsTheRecordsBeforeTheCut() throws {
        let records = WARCFixture.crawl + [WARCFixture.response("https://garden.example/", WARCFixture.http(WARCFixture.gardenPage))]
        let whole = records.flatMap { $0 }
        let lastStart = records.dropLast().map(\.count).reduce(0, +)
        // Cut inside the last record's block.
        let inBlock = try WARCFixture.read(Array(whole.prefix(whole.count - 40)))
        #expect(inBlock.shown.count == 2 && inBlock.shown[0].hasPrefix("page #3 "), "\(inBlock.shown)")
        let blockLength = records[5].count - (records[5].firstRange(of: Array("\r\n\r\n".utf8))!.upperBound) - 4
        #expect(inBlock.shown[1] == "failure #6: record 6 (at byte \(lastStart)): its Content-Length is \(blockLength) bytes but the file "
                + "ends \(blockLength - 36) bytes into the block (the file is cut short, or the Content-Length runs past its end)")
        #expect(inBlock.tally.stoppedAt == 6 && inBlock.tally.errors == 1 && inBlock.tally.pages == 1)
        // Cut inside its headers.
        let inHeaders = try WARCFixture.read(Array(whole.prefix(lastStart + 30)))
        #expect(inHeaders.shown.last == "failure #6: record 6 (at byte \(lastStart)): the file ends inside the record's headers (cut short)")
        // Cut in the CRLF CRLF after the last block: every record is whole, nothing is wrong.
        let inTrailer = try WARCFixture.read(Array(whole.prefix(whole.count - 3)))
        #expect(inTrailer.shown.count == 2 && inTrailer.tally.errors == 0, "\(inTrailer.shown)")
    }

    @Test func aContentLengthPastTheEndOfTheFile() throws {
        var records = [WARCFixture.response("https://garden.example/", WARCFixture.http(WARCFixture.gardenPage))] + WARCFixture.crawl
        records[3] = WARCFixture.record("response", uri: WARCFixture.scamURL, contentType: "application/http; msgtype=response",
                                        block: WARCFixture.http(WARCFixture.scamPage), length: 10_000_000)
        let members = records.map { Compression.gzip($0) }
        let read = try WARCFixture.read(members.flatMap { $0 }, name: "crawl.warc.gz")
        #expect(read.shown.count == 2 && read.shown[0].hasPrefix("page #1 https://garden.example/"), "\(read.shown)")
        // At its gzip member's offset, where a WARC index would point.
        let memberOffset = members.prefix(3).map(\.count).reduce(0, +)
        let failure = read.shown[1]
        #expect(failure.hasPrefix("failure #4: record 4 (at byte \(memberOffset)): its Content-Length is 10000000 bytes but the file ends "), "\(failure)")
    }

    @Test func aContentLengthThatIsWrongInsideTheFile() throws {
        var records = WARCFixture.crawl
        let block = WARCFixture.http(WARCFixture.scamPage)
        records[2] = WARCFixture.record("response", uri: WARCFixture.scamURL, contentType: "application/http; msgtype=response",
                                        block: block, length: block.count + 25)
        let read = try WARCFixture.read(records.flatMap { $0 })
        #expect(read.pages.isEmpty)
        #expect(read.shown.count == 1 && read.shown[0].hasPrefix("failure #3: record 3 (at byte "), "\(read.shown)")
        #expect(read.shown[0].contains("the block does not end where its Content-Length says"))
    }

    @Test func aCorruptGzipMemberInTheMiddle() throws {
        let pages = (1...5).map { WARCFixture.response("https://p\($0).example/", WARCFixture.http(WARCFixture.scamPage)) }
        var members = pages.map { Compression.gzip($0) }
        // Flip bits in the deflate data of the third member (after its 10-byte gzip header).
        for k in stride(from: 12, to: 60, by: 7) { members[2][k] ^= 0x5A }
        let read = try WARCFixture.read(members.flatMap { $0 }, name: "corrupt.warc.gz")
        let offset = members.prefix(2).map(\.count).reduce(0, +)
        #expect(read.shown.count == 3, "\(read.shown)")
        #expect(read.shown.prefix(2) == ["page #1 https://p1.example/ (\(WARCFixture.scamPage.count) bytes)",
                                         "page #2 https://p2.example/ (\(WARCFixture.scamPage.count) bytes)"])
        #expect(read.shown[2].hasPrefix("failure #3: record 3 (at byte \(offset)): the gzip member at byte \(offset) is corrupt (zlib: "), "\(read.shown[2])")
        #expect(read.tally.stoppedAt == 3 && read.tally.pages == 2)
    }

    @Test func aGzipFileCutShortAndJunkAfterAMember() throws {
        let members = WARCFixture.gzipEach(WARCFixture.crawl)
        let cut = try WARCFixture.read(Array(members.prefix(members.count - 20)), name: "cut.warc.gz")
        #expect(cut.shown.first?.hasPrefix("page #3 ") == true)
        #expect(cut.shown.last?.contains("the file ends inside the gzip member at byte") == true, "\(cut.shown)")
        let junk = try WARCFixture.read(members + Array("not gzip".utf8), name: "junk.warc.gz")
        #expect(junk.shown.last == "failure #6: record 6 (at byte \(members.count)): the bytes at \(members.count), after a gzip member, are not another gzip member")
        // Zero padding after the last member is allowed.
        let padded = try WARCFixture.read(members + [UInt8](repeating: 0, count: 512), name: "padded.warc.gz")
        #expect(padded.tally.errors == 0 && padded.pages.count == 1)
    }

    @Test func anUndecodableBodyFailsOnlyItsRecord() throws {
        let records = [
            WARCFixture.response("https://br.example/", WARCFixture.http([0x1B, 0x2C, 0x00, 0x80, 0x8C, 0x94], headers: ["Content-Type: text/html", "Content-Encoding: br"])),
            WARCFixture.response("https://bad.example/", WARCFixture.http([0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x03, 0xFF, 0xFF, 0xFF],
                                                                         headers: ["Content-Type: text/html", "Content-Encoding: gzip"])),
            WARCFixture.response("https://garden.example/", WARCFixture.http(WARCFixture.gardenPage)),
        ]
        let read = try WARCFixture.read(records.flatMap { $0 })
        #expect(read.shown.count == 3, "\(read.shown)")
        #expect(read.shown[0] == "failure #1: record 1 (at byte 0): its body has Content-Encoding \"br\", which ScamSift cannot decode (gzip and deflate only)")
        #expect(read.shown[1].hasPrefix("failure #2: record 2 (at byte \(records[0].count)): its gzip body is corrupt (zlib: "), "\(read.shown[1])")
        #expect(read.shown[2].hasPrefix("page #3 https://garden.example/"))
        #expect(read.tally.errors == 2 && read.tally.stoppedAt == nil)
    }

    @Test func notARecordAndNoContentLength() throws {
        let noLength = Array("WARC/1.0\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n".utf8)
        let read = try WARCFixture.read(WARCFixture.crawl[0] + noLength)
        #expect(read.shown == ["failure #2: record 2 (at byte \(WARCFixture.crawl[0].count)): it has no Content-Length header"])
        let garbage = try WARCFixture.read(WARCFixture.crawl[0] + Array("WARC/1.1\r\nContent-Length: 2\r\n\r\nab\r\n\r\nGARBAGE here\r\n\r\n".utf8))
        #expect(garbage.shown == ["failure #2: record 2 (at byte \(WARCFixture.crawl[0].count)): the block does not end where its Content-Length says "
                                  + "(found \"GARBAGE here\" where the next record or the end of the file should be): a wrong Content-Length?"])
    }

    @Test func theSnifferKnowsWARCFiles() throws {
        let plain = WARCFixture.crawl.flatMap { $0 }
        #expect(InputSniffer.sniff(Data(plain)) == .other(.warc))
        #expect(InputSniffer.sniff(Data(WARCFixture.gzipEach(WARCFixture.crawl))) == .other(.warc))
        #expect(InputSniffer.sniff(Data(Compression.gzip(plain))) == .other(.warc))
        // A gzip file of something else is still refused as gzip.
        #expect(InputSniffer.sniff(Data(Compression.gzip(WARCFixture.gardenPage))) == .other(.gzip))
        #expect(!InputSniffer.isWARC(Array("WARC".utf8)) && !InputSniffer.isWARC([0x1F, 0x8B, 0x08]))
        // As one page's bytes (a fetched body, `evaluate`), a WARC file is refused with a pointer to `score`.
        #expect(throws: InputError.notAWebPage(.warc)) { try PageInput.read(Data(plain)) }
        #expect(InputError.notAWebPage(.warc).description.contains("give it to `scamsift score` as a file"))
    }

    @Test func standardInputAndPipesAreReadOnce() throws {
        // A pipe that is not a WARC file comes back as its bytes, since it cannot be read twice.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let page = WARCFixture.gardenPage
        page.withUnsafeBytes { _ = write(fds[1], $0.baseAddress!, $0.count) }
        close(fds[1])
        guard case let .bytes(data) = WARCInput.open("/dev/fd/\(fds[0])", limit: 1000) else {
            Issue.record("a pipe should come back as its bytes")
            return
        }
        close(fds[0])
        #expect([UInt8](data) == page)
        // A regular file that is not WARC is left to the scorer.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("p.html")
        try Data(page).write(to: file)
        guard case .notWARC = WARCInput.open(file.path, limit: 1000) else { Issue.record("a page is not WARC"); return }
        guard case .notWARC = WARCInput.open(dir.appendingPathComponent("gone").path, limit: 1000) else { Issue.record("missing"); return }
    }
}

/// `scamsift score` on WARC files, end to end.
@Suite struct WARCCommandTests {
    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func rows(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func scoreWritesOneRowPerHTMLRecordWithItsURL() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = WARCFixture.crawl + [WARCFixture.response("https://garden.example/", WARCFixture.http(WARCFixture.gardenPage))]
        let path = try Self.write(WARCFixture.gzipEach(records), "x.warc.gz", in: dir)
        let r = try CLI.run(["score", "-f", "jsonl", path])
        let rows = try Self.rows(r.stdout)
        #expect(rows.map { $0["source"] as? String } == [path + "#3", path + "#6"], "\(r.stdout)\(r.stderr)")
        #expect(rows.map { $0["url"] as? String } == [WARCFixture.scamURL, "https://garden.example/"])
        #expect(rows.map { $0["verdict"] as? String } == ["likely-scam", "unknown"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("x.warc.gz: 6 records, 2 HTML pages; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo"), "\(r.stderr)")
        #expect(r.stderr.contains("2 pages: 1 likely-scam, 0 suspicious, 0 low-risk, 1 unknown, 0 errors"))
        let schema = try SchemaValidator(path: SchemaTests.docs + "score-result.schema.json")
        for line in r.stdout.split(separator: "\n") {
            let problems = schema.problems(try JSONValue.parse(line))
            #expect(problems.isEmpty, "\(problems)")
        }
        // The same file on standard input, and in a folder beside a page: read the same.
        let piped = try CLI.run(["score", "-f", "jsonl", "-"], stdin: Data(WARCFixture.gzipEach(records)))
        #expect(try Self.rows(piped.stdout).map { $0["source"] as? String } == ["-#3", "-#6"])
        try Data(WARCFixture.gardenPage).write(to: dir.appendingPathComponent("a.html"))
        let folder = try CLI.run(["score", "-f", "csv", dir.path])
        let lines = folder.stdout.split(separator: "\n")
        #expect(lines.count == 4, "\(folder.stdout)")
        #expect(lines.count == 4 && lines[1].hasPrefix("1,\(dir.path)/a.html,,") && lines[2].hasPrefix("2,\(path)#3,\(WARCFixture.scamURL),")
                && lines[3].hasPrefix("3,\(path)#6,https://garden.example/,"), "\(lines)")
    }

    @Test func aBrokenWARCGivesAnErrorRowAfterTheRecordsBeforeIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var members = (1...4).map { Compression.gzip(WARCFixture.response("https://p\($0).example/", WARCFixture.http(WARCFixture.gardenPage))) }
        for k in stride(from: 12, to: 40, by: 5) { members[2][k] ^= 0x5A }
        let path = try Self.write(members.flatMap { $0 }, "broken.warc.gz", in: dir)
        let page = dir.appendingPathComponent("after.html").path
        try Data(WARCFixture.scamPage).write(to: URL(fileURLWithPath: page))
        let r = try CLI.run(["score", "-f", "jsonl", path, page])
        let rows = try Self.rows(r.stdout)
        #expect(rows.map { $0["source"] as? String } == [path + "#1", path + "#2", path + "#3", page], "\(r.stdout)")
        #expect(rows[2]["error_kind"] as? String == "unparseable")
        #expect((rows[2]["error"] as? String)?.hasPrefix("record 3 (at byte \(members[0].count + members[1].count)): the gzip member") == true)
        #expect(rows[3]["verdict"] as? String == "likely-scam")
        #expect(r.status == 2)
        #expect(r.stderr.contains("broken.warc.gz#3: record 3"))
        #expect(r.stderr.contains("broken.warc.gz: 2 records, 2 HTML pages, 1 error; reading stopped at record 3"), "\(r.stderr)")
        let schema = try SchemaValidator(path: SchemaTests.docs + "score-result.schema.json")
        for line in r.stdout.split(separator: "\n") { #expect(schema.problems(try JSONValue.parse(line)).isEmpty) }
    }

    @Test func aMissingWARCFileIsAMissingFileNotADomain() {
        let none: (String) -> Bool = { _ in false }
        #expect(InputArgument.resolve("crawl.warc.gz", fileExists: none) == "crawl.warc.gz")
        #expect(InputArgument.resolve("crawl.warc", fileExists: none) == "crawl.warc")
    }

    /// batch takes a WARC file as score does, given directly or named in a list: one row per
    /// HTML page, keyed by the archive and the record's number, so --resume finishes it exactly.
    @Test func batchScoresAWARCFilesPagesAsRows() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let second = WARCFixture.response("https://second.example/join", WARCFixture.http(Array("<p>Pay a joining fee to start earning</p>".utf8)))
        let path = try Self.write(WARCFixture.gzipEach(WARCFixture.crawl + [second]), "crawl.warc.gz", in: dir)
        let scored = try Self.rows(try CLI.run(["score", "-f", "jsonl", path]).stdout)
        #expect(scored.count == 2)
        let direct = try CLI.run(["batch", path, "-q"])
        // Rows come as they finish; in record order they match score's results.
        let rows = try Self.rows(direct.stdout).sorted { ($0["url"] as? String ?? "") < ($1["url"] as? String ?? "") }
        #expect(rows.count == scored.count, "\(direct.stdout)\(direct.stderr)")
        #expect(rows.map { $0["final_url"] as? String } == scored.map { $0["url"] as? String })
        #expect(rows.map { $0["score"] as? Int } == scored.map { $0["score"] as? Int })
        let key = URL(fileURLWithPath: path).resolvingSymlinksInPath().absoluteString
        #expect(rows.allSatisfy { ($0["url"] as? String)?.hasPrefix(key + "#") == true }, "\(rows.map { $0["url"] ?? "" })")
        // Named in a list, with --resume: the second run has nothing left to do.
        let list = dir.appendingPathComponent("list.txt"), out = dir.appendingPathComponent("out.jsonl")
        try Data((path + "\n").utf8).write(to: list)
        _ = try CLI.run(["batch", list.path, "-q", "-o", out.path])
        _ = try CLI.run(["batch", list.path, "-q", "-o", out.path, "--resume"])
        let kept = try Self.rows(try String(contentsOf: out, encoding: .utf8))
        #expect(kept.count == scored.count)
        let schema = try SchemaValidator(path: SchemaTests.docs + "batch-row.schema.json")
        for row in direct.stdout.split(separator: "\n") { #expect(schema.problems(try JSONValue.parse(row)).isEmpty) }
    }

    /// A WARC record of a tiny page padded with a comment, so that holding every record would show.
    static func paddedMember(_ padding: Int) -> [UInt8] {
        let page = Array("<p>one small page</p><!--".utf8) + [UInt8](repeating: 0x2E, count: padding) + Array("-->".utf8)
        return Compression.gzip(WARCFixture.response("https://many.example/", WARCFixture.http(page)))
    }

    @Test func tenThousandRecordsStreamInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 16 KiB a page: 160 MiB of pages in all, in a file of about a megabyte.
        let member = Self.paddedMember(16 * 1024)
        let few = try Self.write(Array([[UInt8]](repeating: member, count: 300).joined()), "few.warc.gz", in: dir)
        let many = try Self.write(Array([[UInt8]](repeating: member, count: 10_000).joined()), "many.warc.gz", in: dir)
        // The small run first: if the compiled rules are not cached yet, building them (a higher
        // peak of its own) falls on it, which can only make the comparison harder to pass.
        let small = try CLI.measured(["score", "-f", "jsonl", "--no-text-model", few], in: dir)
        let started = Date()
        let large = try CLI.measured(["score", "-f", "jsonl", "--no-text-model", many], in: dir)
        let seconds = Date().timeIntervalSince(started)
        let sources = large.stdout.split(separator: "\n").map { line in
            line.range(of: #""source":"[^"]*""#, options: .regularExpression).map { String(line[$0]) } ?? ""
        }
        #expect(sources.count == 10_000, "\(large.stderr.suffix(500))")
        #expect(sources.first == #""source":"\#(many)#1""# && sources.last == #""source":"\#(many)#10000""#)
        #expect(large.stderr.contains("many.warc.gz: 10000 records, 10000 HTML pages"))
        // Scoring 10,000 pages takes a while in a debug build on a busy machine; a reader that
        // went back over the file, or held it, would take far longer.
        #expect(seconds < 240, "\(seconds) s")
        // Holding every record would add 9,700 × 16 KiB (about 150 MiB).
        #expect(large.peakMB - small.peakMB < 40, "peak RSS \(small.peakMB) MB for 300 records, \(large.peakMB) MB for 10,000")
    }
}

extension CLI {
    struct Measured {
        var status: Int32
        var stdout: String
        var stderr: String
        var peakMB: Double
    }

    /// Runs the binary with its output in files, and reads its peak resident memory from
    /// `wait4`: a figure for that one process, whatever else the test process runs.
    static func measured(_ arguments: [String], in dir: URL) throws -> Measured {
        let out = dir.appendingPathComponent("measured.out").path, err = dir.appendingPathComponent("measured.err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment().map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary.path, &actions, nil, argv, envp)
        try #require(spawned == 0, "posix_spawn: \(spawned)")
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        return Measured(status: (status >> 8) & 0xFF, stdout: try String(contentsOfFile: out, encoding: .utf8),
                        stderr: try String(contentsOfFile: err, encoding: .utf8), peakMB: Double(usage.ru_maxrss) / 1024)
    }
}
