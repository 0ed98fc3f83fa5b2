import Foundation

/// One part of an MHTML archive: its headers and where its (still encoded) body lies in the file.
public struct MIMEPart: Sendable, Equatable {
    public var headers: MIMEHeaders
    /// Byte range of the body in the archive, without the line break before the next boundary.
    public var body: Range<Int>
    /// The file ended inside this part (no boundary after it).
    public var isCutShort: Bool
    /// The file ended inside this part's headers: it has no body at all.
    public var headersCutShort: Bool

    /// `text/plain` when the part does not say, as RFC 2045 has it.
    public var contentType: MIMEContentType { headers.contentType ?? MIMEContentType("text/plain") }
    public var location: String? { headers["content-location"].flatMap { $0.isEmpty ? nil : $0 } }
    public var isPage: Bool { ["text/html", "application/xhtml+xml"].contains(contentType.mediaType) }
    public var isScript: Bool {
        ["application/javascript", "text/javascript", "application/x-javascript", "application/ecmascript", "text/ecmascript"]
            .contains(contentType.mediaType)
    }
}

/// A page saved as "Webpage, single file" (Chrome, Edge, Chrome on Android; IE's `.mht`): a
/// MIME `multipart/related` message (RFC 2557) whose first `text/html` part is the page and whose
/// other parts are its images, style sheets, scripts and frames, each under its `Content-Location`.
public struct MHTMLArchive: Sendable {
    /// The archive's own headers (`Snapshot-Content-Location`, `Subject`, `Content-Type`); empty
    /// when the boundary came from elsewhere (an HTTP `Content-Type`).
    public var headers: MIMEHeaders
    public var parts: [MIMEPart]
    /// The closing boundary (`--boundary--`) was found: the file is whole.
    public var isClosed: Bool
    let bytes: [UInt8]

    /// The part that is the page: the first `text/html` one.
    public var pagePart: MIMEPart? { parts.first(where: \.isPage) }

    /// A part's body with its transfer encoding undone.
    public func decodedBody(of part: MIMEPart) throws(MHTMLProblem) -> [UInt8] {
        let name = part.headers["content-transfer-encoding"]
        guard let encoding = TransferEncoding(name: name) else {
            throw .unknownTransferEncoding(name ?? "")
        }
        let body = bytes[part.body]
        switch encoding {
        case .identity: return Array(body)
        case .quotedPrintable: return QuotedPrintable.decode(body)
        case .base64:
            do { return try Base64.decode(body, cutShort: part.isCutShort) } catch {
                throw .invalidBase64(offset: error.offset, byte: error.byte)
            }
        }
    }
}

/// Why an MHTML archive gave no page.
public enum MHTMLProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case noBoundary
    case boundaryNeverAppears(String)
    /// The file ends before a whole header block of a `text/html` part.
    case cutShortBeforePage
    case noPagePart(parts: Int)
    case unknownTransferEncoding(String)
    case invalidBase64(offset: Int, byte: UInt8)
    case emptyPagePart

    public var description: String {
        switch self {
        case .noBoundary:
            return "the MHTML file's Content-Type (multipart/related) gives no boundary, so its parts cannot be told apart"
        case let .boundaryNeverAppears(boundary):
            return "the MHTML file's boundary \"\(Self.shown(boundary))\" never appears in it, so it has no parts to read"
        case .cutShortBeforePage:
            return "the MHTML file is cut short before its HTML part"
        case let .noPagePart(parts):
            return "the MHTML file has \(parts) part\(parts == 1 ? "" : "s") but no text/html one"
        case let .unknownTransferEncoding(name):
            return "the MHTML file's HTML part has Content-Transfer-Encoding \"\(Self.shown(name))\", "
                + "not one ScamSift can decode (\(TransferEncoding.knownNames))"
        case let .invalidBase64(offset, byte):
            let shown = byte >= 0x21 && byte < 0x7F ? " '\(Character(Unicode.Scalar(byte)))'" : ""
            return "the MHTML file's HTML part is not valid base64 (byte 0x\(String(byte, radix: 16, uppercase: true))\(shown) at offset \(offset))"
        case .emptyPagePart:
            return "the MHTML file's HTML part is empty"
        }
    }

    /// Text from the file, printable and short.
    private static func shown(_ s: String) -> String {
        let clean = TerminalSafe.clean(s)
        return clean.count > 80 ? String(clean.prefix(80)) + "…" : clean
    }
}

/// Splits an MHTML archive into its parts. Works on bytes and reads each once: finding the
/// boundaries looks only at line starts, and a line shorter than the boundary stops the
/// comparison at its line feed, so the whole file costs time in proportion to its size.
public enum MHTMLReader {
    /// Reads a file that starts with the archive's own headers (`InputSniffer` said `.mhtml`).
    public static func read(_ bytes: [UInt8]) throws(MHTMLProblem) -> MHTMLArchive {
        let top = MIMEHeaders.parse(bytes, from: 0)
        guard let bodyStart = top.bodyStart else { throw .cutShortBeforePage }
        return try read(bytes, body: bodyStart, headers: top.headers, contentType: top.headers.contentType)
    }

    /// Reads an HTTP body whose `Content-Type` (with the boundary) came in the response headers.
    public static func read(_ bytes: [UInt8], contentType: String) throws(MHTMLProblem) -> MHTMLArchive {
        try read(bytes, body: 0, headers: MIMEHeaders(), contentType: MIMEContentType(contentType))
    }

    private static func read(_ b: [UInt8], body: Int, headers: MIMEHeaders, contentType: MIMEContentType?) throws(MHTMLProblem) -> MHTMLArchive {
        guard let boundary = contentType?.parameters["boundary"], !boundary.isEmpty else { throw .noBoundary }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [MIMEPart] = []
        var partStart: Int?  // where the current part starts: just after a delimiter line
        var closed = false
        var line = body
        while line < b.count {
            let newline = b[line...].firstIndex(of: 0x0A)
            let next = newline.map { $0 + 1 } ?? b.count
            if let kind = delimiterKind(b, at: line, lineEnd: newline ?? b.count, delimiter: delimiter) {
                if let start = partStart {
                    parts.append(part(b, from: start, to: bodyEnd(b, before: line, from: start), cutShort: false))
                }
                if kind == .close { closed = true; break }
                partStart = next
            }
            line = next
        }
        if partStart == nil { throw .boundaryNeverAppears(boundary) }
        if !closed, let start = partStart, start < b.count {
            parts.append(part(b, from: start, to: b.count, cutShort: true))
        }
        return MHTMLArchive(headers: headers, parts: parts, isClosed: closed, bytes: b)
    }

    private enum DelimiterKind { case open, close }

    /// `--boundary` then optional white space, or `--boundary--` (then anything: the epilogue).
    private static func delimiterKind(_ b: [UInt8], at start: Int, lineEnd: Int, delimiter: [UInt8]) -> DelimiterKind? {
        guard lineEnd - start >= delimiter.count else { return nil }
        for k in 0..<delimiter.count where b[start + k] != delimiter[k] { return nil }
        var i = start + delimiter.count
        if i + 1 < lineEnd, b[i] == 0x2D, b[i + 1] == 0x2D { return .close }
        while i < lineEnd, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D { i += 1 }
        return i == lineEnd ? .open : nil
    }

    /// The line break before a delimiter belongs to the delimiter, not to the part's body.
    private static func bodyEnd(_ b: [UInt8], before delimiterLine: Int, from start: Int) -> Int {
        var end = delimiterLine
        if end > start, b[end - 1] == 0x0A { end -= 1 }
        if end > start, b[end - 1] == 0x0D { end -= 1 }
        return end
    }

    private static func part(_ b: [UInt8], from start: Int, to end: Int, cutShort: Bool) -> MIMEPart {
        let block = MIMEHeaders.parse(b, from: start, to: end)
        // A part without an empty line after its headers: the headers run to the part's end.
        let bodyStart = block.bodyStart ?? end
        return MIMEPart(headers: block.headers, body: bodyStart..<end, isCutShort: cutShort,
                        headersCutShort: block.bodyStart == nil && cutShort)
    }
}
