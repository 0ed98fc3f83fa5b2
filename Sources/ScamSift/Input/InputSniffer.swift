import Foundation

/// A kind of file that is not a web page, told by its first bytes (its "magic number").
public enum FileType: String, Sendable, Equatable, CaseIterable {
    case pdf, png, jpeg, gif, webp, zip, gzip
    /// A web archive of many pages: `scamsift score` reads it record by record (`WARCPageReader`),
    /// but as one page's bytes it is refused like the others.
    case warc

    /// How a message names it: "a PDF document".
    public var description: String {
        switch self {
        case .pdf: return "a PDF document"
        case .png: return "a PNG image"
        case .jpeg: return "a JPEG image"
        case .gif: return "a GIF image"
        case .webp: return "a WebP image"
        case .zip: return "a ZIP archive"
        case .gzip: return "a gzip-compressed file"
        case .warc: return "a WARC web archive (give it to `scamsift score` as a file to score its pages)"
        }
    }
}

/// What arrived: an HTML page, an MHTML archive ("Webpage, single file"), or a known non-page.
public enum InputKind: Sendable, Equatable {
    case html
    case mhtml
    case other(FileType)
}

/// Tells an input's kind from its first bytes, before anything decodes it.
public enum InputSniffer {
    /// How far an MHTML file's top-level header block may run (Chrome writes about 300 bytes).
    static let headerLimit = 64 * 1024

    /// Looks at the first bytes only (copying at most `headerLimit`, and that only for a file
    /// that starts like a header), so an ordinary page costs next to nothing here.
    public static func sniff(_ data: Data) -> InputKind {
        let start = [UInt8](data.prefix(256))
        if let type = fileType(start) {
            return type == .gzip && isWARC([UInt8](data.prefix(WARCInput.headSize))) ? .other(.warc) : .other(type)
        }
        // An MHTML file starts with a header line ("From: <Saved by Blink>", "MIME-Version: 1.0");
        // an HTML page starts with "<", white space or a byte-order mark, never "Name:".
        guard MIMEHeaders.startsWithField(start) else { return .html }
        let head = [UInt8](data.prefix(headerLimit))
        // A header block cut short still counts, so that the reader can say what is missing.
        let headers = MIMEHeaders.parse(head, from: 0).headers
        return headers.contentType?.mediaType == "multipart/related" ? .mhtml : .html
    }

    /// Whether a file's first bytes (a few KiB) are a WARC file's: its version line, plain or
    /// at the start of a gzip member (`.warc.gz`, or a whole WARC file gzipped).
    public static func isWARC(_ head: [UInt8]) -> Bool {
        let magic = Array("WARC/".utf8)
        if head.starts(with: magic) { return true }
        guard head.starts(with: [0x1F, 0x8B]),
              let start = try? Inflater.inflateAll(head, limit: magic.count) else { return false }
        return start.bytes == magic
    }

    static func fileType(_ b: [UInt8]) -> FileType? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + magic.count && b[offset..<offset + magic.count].elementsEqual(magic)
        }
        if starts(Array("WARC/".utf8)) { return .warc }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        // Local file header, empty archive, spanned archive.
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) || starts([0x50, 0x4B, 0x07, 0x08]) { return .zip }
        if starts([0x1F, 0x8B]) { return .gzip }
        return nil
    }
}
