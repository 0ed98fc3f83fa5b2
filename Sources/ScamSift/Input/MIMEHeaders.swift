import Foundation

/// A MIME header block (RFC 2045, RFC 5322 syntax): `Name: value` lines up to an empty line,
/// a line that starts with a space or tab continuing the one before ("folding").
public struct MIMEHeaders: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        /// In lower case: header names are case-insensitive.
        public var name: String
        /// Unfolded: continuation lines joined with one space, ends trimmed.
        public var value: String
    }

    public var fields: [Field] = []

    /// The first field of that name (given in lower case).
    public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    public var contentType: MIMEContentType? { self["content-type"].map(MIMEContentType.init) }

    /// A header block read from bytes, and where the body after it starts: nil when the bytes
    /// end before the empty line that closes the block (a file cut short).
    struct Block {
        var headers: MIMEHeaders
        var bodyStart: Int?
    }

    /// Reads the header block that starts at `start`, looking no further than `end`. Accepts
    /// CRLF and bare LF line ends. Each byte is read once.
    static func parse(_ b: [UInt8], from start: Int, to end: Int? = nil) -> Block {
        let end = end ?? b.count
        var headers = MIMEHeaders()
        var line = start
        while line < end {
            let newline = b[line..<end].firstIndex(of: 0x0A)
            var lineEnd = newline ?? end
            if lineEnd > line, b[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let next = newline.map { $0 + 1 } ?? end
            if lineEnd == line {
                // The empty line: the body starts after it. Without its line feed the file was cut here.
                return Block(headers: headers, bodyStart: newline == nil ? nil : next)
            }
            if b[line] == 0x20 || b[line] == 0x09 {
                if !headers.fields.isEmpty {
                    let more = text(b[line..<lineEnd])
                    if !more.isEmpty { headers.fields[headers.fields.count - 1].value += " " + more }
                }
            } else if let colon = b[line..<lineEnd].firstIndex(of: 0x3A) {
                headers.fields.append(Field(name: text(b[line..<colon]).lowercased(), value: text(b[(colon + 1)..<lineEnd])))
            }
            // A line with neither is not a header; it is skipped rather than ending the block.
            line = next
        }
        return Block(headers: headers, bodyStart: nil)
    }

    /// Whether the bytes start with a header field: a name of printable ASCII, then a colon.
    static func startsWithField(_ b: [UInt8]) -> Bool {
        var i = 0
        while i < b.count, i < 80 {
            let c = b[i]
            if c == 0x3A { return i > 0 }
            guard c > 0x20, c < 0x7F else { return false }
            i += 1
        }
        return false
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}

/// A `Content-Type` value: `multipart/related; type="text/html"; boundary="----X"`.
public struct MIMEContentType: Sendable, Equatable {
    /// `type/subtype` in lower case.
    public var mediaType: String
    /// Parameter names in lower case; values unquoted (`\"` and `\\` unescaped). The first of a name wins.
    public var parameters: [String: String]

    public init(_ value: String) {
        let b = Array(value.utf8)
        let semicolon = b.firstIndex(of: 0x3B) ?? b.count
        mediaType = String(decoding: b[..<semicolon], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
        parameters = [:]
        var i = semicolon
        while i < b.count {
            while i < b.count, b[i] == 0x3B || b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let nameStart = i
            while i < b.count, b[i] != 0x3D, b[i] != 0x3B { i += 1 }
            let name = String(decoding: b[nameStart..<i], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            guard i < b.count, b[i] == 0x3D else { continue }
            i += 1
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            var raw: [UInt8] = []
            let quoted = i < b.count && b[i] == 0x22
            if quoted {
                i += 1
                while i < b.count, b[i] != 0x22 {
                    if b[i] == 0x5C, i + 1 < b.count { i += 1 }
                    raw.append(b[i])
                    i += 1
                }
                i += 1
            } else {
                let start = i
                while i < b.count, b[i] != 0x3B { i += 1 }
                raw = Array(b[start..<i])
            }
            let v = String(decoding: raw, as: UTF8.self)
            if !name.isEmpty, parameters[name] == nil {
                parameters[name] = quoted ? v : v.trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
