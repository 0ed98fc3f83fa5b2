import Foundation

/// One HTML page from a WARC `response` record, ready to score.
public struct WARCPage: Sendable, Equatable {
    /// `crawl.warc.gz#12`: the file as it was named, `#`, and the record's number, counted from
    /// 1 over every record of the file (`warcinfo` included).
    public var source: String
    /// `WARC-Target-URI`: the address the crawler fetched.
    public var url: String?
    /// The HTTP body with its transfer and content codings undone, at most the byte limit.
    public var body: Data
    /// From the HTTP `Content-Type`.
    public var charset: String?
    /// The HTTP `Content-Type` when it makes the body an MHTML archive (`multipart/related`).
    public var contentType: String?
    /// The body was cut at the byte limit.
    public var truncated: Bool
}

/// What reading a WARC file gives, one at a time: a page, or a record that failed.
public enum WARCEntry: Sendable, Equatable {
    case page(WARCPage)
    /// `source` is `file#N`, the message says where in the file and why.
    case failure(source: String, message: String)
}

/// What one WARC file held: records read, pages handed on, errors, and the skipped records by
/// why, for the summary line.
public struct WARCTally: Sendable, Equatable {
    public var records = 0
    public var pages = 0
    public var errors = 0
    /// A record type (`request`, `revisit`, `warcinfo`, `metadata`, …), or for responses:
    /// `not HTML`, `redirect`, `error status`, `empty body`, `not HTTP`.
    public var skipped: [String: Int] = [:]
    /// Reading stopped at this record (a broken file).
    public var stoppedAt: Int?

    /// "crawl.warc.gz: 5 records, 1 HTML page; skipped 1 not HTML, 1 request, 1 revisit, 1 warcinfo".
    public func line(name: String) -> String {
        func n(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        var s = "\(name): \(n(records, "record")), \(n(pages, "HTML page"))"
        if errors > 0 { s += ", \(n(errors, "error"))" }
        if !skipped.isEmpty {
            s += "; skipped " + skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        if let stoppedAt { s += "; reading stopped at record \(stoppedAt)" }
        return s
    }
}

/// The HTML pages of a WARC file, read record by record: each `response` record whose HTTP
/// response is a success with an HTML body (by its `Content-Type`, or by its first bytes when
/// the type says nothing) becomes a `WARCPage` with the record's `WARC-Target-URI` as its
/// address. Other records are counted and skipped without keeping their blocks. A broken record
/// body (an unknown or corrupt content coding) is a failure and reading goes on; a broken file
/// (cut short, a wrong `Content-Length`, a corrupt gzip member) is a failure that ends it.
public final class WARCPageReader {
    public let name: String
    /// The most body bytes kept per page (`--max-bytes`).
    public let limit: Int
    public private(set) var tally = WARCTally()
    private let reader: WARCReader
    private var finished = false

    /// How much of a response's block is looked at to read its HTTP status and headers.
    static let headPeek = 64 * 1024

    public init(reader: WARCReader, name: String, limit: Int) {
        self.reader = reader
        self.name = name
        self.limit = limit
    }

    /// The next page or failure; nil when the file is done.
    public func next() -> WARCEntry? {
        guard !finished else { return nil }
        do throws(WARCProblem) {
            while let head = try reader.nextHead() {
                tally.records += 1
                if let entry = try page(head) { return entry }
            }
        } catch {
            tally.errors += 1
            tally.stoppedAt = error.record
            finished = true
            return .failure(source: "\(name)#\(error.record)", message: error.description)
        }
        finished = true
        return nil
    }

    /// The record's page, its failure, or nil when it is skipped (counted in the tally).
    private func page(_ head: WARCReader.Head) throws(WARCProblem) -> WARCEntry? {
        guard head.type == "response" else { return skip(head.type.isEmpty ? "untyped" : head.type) }
        let start = try reader.peekBlock(Self.headPeek)
        // A dns: or whois: response holds no HTTP.
        guard start.starts(with: "HTTP/".utf8) else { return skip("not HTTP") }
        let http: HTTPResponseHead
        do throws(HTTPResponseHead.Problem) { http = try HTTPResponseHead.parse(start, whole: start.count == head.length) } catch {
            _ = try reader.finishBlock(keeping: 0)
            return failure(head, error == .noStatusLine ? "its HTTP status line cannot be read"
                                                        : "its HTTP headers do not end within \(Self.headPeek / 1024) KiB")
        }
        switch http.status {
        case 200..<300: break
        case 300..<400: return skip("redirect")
        default: return skip("error status")
        }
        let media = http.contentType?.mediaType ?? ""
        let archive = ["multipart/related", "application/x-mimearchive"].contains(media)
        let html = ["text/html", "application/xhtml+xml"].contains(media) || archive
        // What a browser would sniff: no type, or one that says nothing about the content.
        let unsure = ["", "application/octet-stream", "text/plain", "unknown/unknown", "application/unknown", "*/*"].contains(media)
        guard html || unsure else { return skip("not HTML") }

        let block = try reader.finishBlock(keeping: http.bodyStart + limit)
        let body: HTTPBodyDecoder.Body
        do throws(HTTPBodyDecoder.Problem) {
            body = try HTTPBodyDecoder.decode(block[http.bodyStart...], headers: http.headers, cut: block.count < head.length, limit: limit)
        } catch {
            return failure(head, error.description)
        }
        if body.bytes.isEmpty { return skip("empty body") }
        if !html && !Self.sniffsAsHTML(body.bytes) { return skip("not HTML") }
        tally.pages += 1
        return .page(WARCPage(source: "\(name)#\(head.number)", url: head.targetURI, body: Data(body.bytes),
                              charset: http.contentType?.parameters["charset"].flatMap { $0.isEmpty ? nil : $0 },
                              contentType: archive ? http.headers["content-type"] : nil, truncated: body.truncated))
    }

    private func skip(_ why: String) -> WARCEntry? {
        tally.skipped[why, default: 0] += 1
        return nil
    }

    private func failure(_ head: WARCReader.Head, _ why: String) -> WARCEntry {
        tally.errors += 1
        return .failure(source: "\(name)#\(head.number)", message: "record \(head.number) (\(head.position)): \(why)")
    }

    /// The tags a browser's sniffer takes as HTML at the start of a document of no clear type
    /// (after white space and a byte-order mark), in any case, followed by a space or `>`.
    static let htmlStarts = ["<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font", "<table",
                             "<a", "<style", "<title", "<b", "<body", "<br", "<p"].map { Array($0.utf8) }

    static func sniffsAsHTML(_ b: [UInt8]) -> Bool {
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0C || b[i] == 0x0D { i += 1 }
        if b[i...].starts(with: "<!--".utf8) { return true }
        for tag in htmlStarts where i + tag.count < b.count {
            var same = true
            for k in 0..<tag.count where (b[i + k] >= 0x41 && b[i + k] <= 0x5A ? b[i + k] | 0x20 : b[i + k]) != tag[k] { same = false; break }
            if same, b[i + tag.count] == 0x20 || b[i + tag.count] == 0x3E { return true }
        }
        return false
    }
}

/// Opening a file that may be a WARC: the first bytes say (`InputSniffer.isWARC`), and a WARC
/// file is then read on from where the sniffer stopped, so standard input and pipes work too.
public enum WARCInput {
    public enum Opened {
        case warc(WARCPageReader)
        /// Not a WARC file (or not one that could be opened): score it as usual from its path.
        case notWARC
        /// Not a WARC file, read whole already because it cannot be read twice (standard
        /// input, a pipe): score these bytes.
        case bytes(Data)
    }

    /// How many bytes the sniffer reads first.
    static let headSize = 4096

    /// - Parameters:
    ///   - path: a file, or `-` for standard input.
    ///   - limit: the most body bytes kept per page.
    public static func open(_ path: String, limit: Int) -> Opened {
        let fd = path == "-" ? STDIN_FILENO : Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .notWARC }
        let owned = path != "-"
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else {
            if owned { close(fd) }
            return .notWARC
        }
        let head = readUpTo(fd, headSize)
        if InputSniffer.isWARC(head) {
            let reader = WARCReader(fd: fd, head: head, gzip: head.starts(with: [0x1F, 0x8B]), ownsFD: owned)
            return .warc(WARCPageReader(reader: reader, name: path, limit: limit))
        }
        // A regular file is read again by the scorer; anything else only once, here.
        if owned && info.st_mode & S_IFMT == S_IFREG {
            close(fd)
            return .notWARC
        }
        var data = Data(head)
        while true {
            let more = readUpTo(fd, 64 * 1024)
            if more.isEmpty { break }
            data.append(contentsOf: more)
        }
        if owned { close(fd) }
        return .bytes(data)
    }

    /// Whether the file at `path` is a WARC file, by its first bytes.
    public static func isWARCFile(_ path: String) -> Bool {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return InputSniffer.isWARC(readUpTo(fd, headSize))
    }

    /// Up to `count` bytes, fewer only at the end of the file (or on a read error).
    static func readUpTo(_ fd: Int32, _ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        out.removeSubrange(filled...)
        return out
    }
}
