/// The HTTP response a WARC `response` record holds, as the crawler received it: status line,
/// header fields, then the body still in its transfer and content codings.
struct HTTPResponseHead: Equatable {
    var status: Int
    /// Names in lower case.
    var headers: MIMEHeaders
    /// Where the body starts in the block.
    var bodyStart: Int

    var contentType: MIMEContentType? { headers.contentType }

    enum Problem: Error, Equatable {
        /// The block does not start with `HTTP/x.y NNN`.
        case noStatusLine
        /// No empty line ends the header fields within the bytes read.
        case headersNeverEnd
    }

    /// Reads the status line and headers at the start of `block`.
    /// - Parameter whole: `block` is the whole record block, so headers that run to its end
    ///   (a response stored without the empty line, as for a HEAD request) have an empty body.
    static func parse(_ block: [UInt8], whole: Bool) throws(Problem) -> HTTPResponseHead {
        guard block.starts(with: "HTTP/".utf8) else { throw .noStatusLine }
        let lineEnd = block.firstIndex(of: 0x0A) ?? block.count
        // "HTTP/1.1 200 OK": the second word is the status.
        let words = block[..<lineEnd].split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2, words[1].count == 3, let status = Int(String(decoding: words[1], as: UTF8.self)) else {
            throw .noStatusLine
        }
        let fields = MIMEHeaders.parse(block, from: min(lineEnd + 1, block.count))
        guard let bodyStart = fields.bodyStart ?? (whole ? block.count : nil) else { throw .headersNeverEnd }
        return HTTPResponseHead(status: status, headers: fields.headers, bodyStart: bodyStart)
    }
}

/// Undoes what HTTP did to a stored body: `Transfer-Encoding: chunked` (crawlers often keep the
/// raw chunks), then `Content-Encoding` gzip or deflate. Lenient where crawlers are known to
/// differ: a body that says chunked but is not, or says gzip but was stored decoded, is taken
/// as it is.
enum HTTPBodyDecoder {
    enum Problem: Error, Equatable, CustomStringConvertible {
        case unsupportedEncoding(String)
        case corrupt(encoding: String, zlib: String)

        var description: String {
            switch self {
            case let .unsupportedEncoding(name):
                return "its body has Content-Encoding \"\(WARCReader.shown(ArraySlice(name.utf8.prefix(40))))\", which ScamSift cannot decode (gzip and deflate only)"
            case let .corrupt(encoding, zlib):
                return "its \(encoding) body is corrupt (zlib: \(zlib))"
            }
        }
    }

    struct Body: Equatable {
        var bytes: [UInt8]
        /// Cut at the byte limit.
        var truncated: Bool
    }

    /// - Parameters:
    ///   - body: the body as stored; `cut` when the record was longer than what was kept.
    ///   - limit: the most decoded bytes to keep.
    static func decode(_ body: ArraySlice<UInt8>, headers: MIMEHeaders, cut: Bool, limit: Int) throws(Problem) -> Body {
        var bytes = Array(body)
        var truncated = cut
        if let te = headers["transfer-encoding"]?.lowercased(), te.contains("chunked"), let plain = dechunk(bytes) {
            bytes = plain
        }
        let codings = (headers["content-encoding"] ?? "").lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "identity" }
        // Applied in the order listed, so undone last first. Bytes that already look like
        // markup were stored decoded (as browser-based crawlers do) and are left alone.
        for coding in codings.reversed() where !looksLikeMarkup(bytes) {
            guard ["gzip", "x-gzip", "deflate"].contains(coding) else { throw .unsupportedEncoding(coding) }
            let result: Inflater.Result
            do throws(Inflater.Corrupt) {
                if coding == "deflate" {
                    result = try Inflater.inflateAll(bytes, wrapper: Inflater.deflateWrapper(firstBytes: bytes.prefix(2)), limit: limit)
                } else {
                    guard bytes.starts(with: [0x1F, 0x8B]) else { throw Inflater.Corrupt(message: "no gzip header") }
                    result = try Inflater.inflateAll(bytes, limit: limit)
                }
            } catch {
                throw .corrupt(encoding: coding, zlib: error.message)
            }
            bytes = result.bytes
            truncated = truncated || result.reachedLimit
        }
        if bytes.count > limit {
            bytes.removeSubrange(limit...)
            truncated = true
        }
        return Body(bytes: bytes, truncated: truncated)
    }

    /// The data of `size CRLF data CRLF … 0 CRLF CRLF`, or nil when the body does not start
    /// like that (stored already joined). A body cut short keeps the chunks it has.
    static func dechunk(_ body: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = 0
        var first = true
        while i < body.count {
            guard let lf = body[i...].firstIndex(of: 0x0A) else { break }
            // The size in hex, maybe followed by ";extension" and spaces.
            var size = 0, digits = 0
            var j = i
            while j < lf, let v = QuotedPrintable.hexValue(body[j]) {
                guard size < Int.max >> 8 else { return first ? nil : out }
                size = size << 4 | Int(v)
                digits += 1
                j += 1
            }
            let rest = body[j..<lf].drop { $0 == 0x20 || $0 == 0x09 }
            guard digits > 0, rest.isEmpty || rest.first == 0x3B || rest.elementsEqual([0x0D]) else {
                return first ? nil : out
            }
            first = false
            if size == 0 { break }
            let start = lf + 1
            let end = min(body.count, start + size)
            out.append(contentsOf: body[start..<end])
            i = end
            // The CRLF after the data.
            if i < body.count, body[i] == 0x0D { i += 1 }
            if i < body.count, body[i] == 0x0A { i += 1 }
        }
        return first ? nil : out
    }

    /// Whether the bytes start (after white space or a byte-order mark) with "<" and a letter,
    /// "!" or "?": an HTML or XML document, not compressed data.
    static func looksLikeMarkup(_ b: [UInt8]) -> Bool {
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        guard i + 1 < b.count, b[i] == 0x3C else { return false }
        let c = b[i + 1] | 0x20
        return (c >= 0x61 && c <= 0x7A) || b[i + 1] == 0x21 || b[i + 1] == 0x3F
    }
}
