/// A part's `Content-Transfer-Encoding` (RFC 2045 section 6): how its bytes were made safe for mail.
enum TransferEncoding: Equatable {
    /// `7bit`, `8bit`, `binary`, or no header: the bytes are the content.
    case identity
    case quotedPrintable
    case base64

    /// Nil for a name ScamSift cannot decode (`x-uuencode`, a typo).
    init?(name: String?) {
        switch name?.lowercased() {
        case nil, "", "7bit", "8bit", "binary": self = .identity
        case "quoted-printable": self = .quotedPrintable
        case "base64": self = .base64
        default: return nil
        }
    }

    static let knownNames = "quoted-printable, base64, 7bit, 8bit or binary"
}

/// Quoted-printable (RFC 2045 section 6.7): `=XX` is a byte in hex, `=` at the end of a line a
/// soft line break that joins the lines (it may cut a UTF-8 character in two: the bytes join again).
enum QuotedPrintable {
    /// Never fails: an `=` not followed by two hex digits or a line end is kept as it is, as
    /// the RFC advises a lenient decoder to do. Linear: every byte is looked at a bounded number of times.
    static func decode(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = input.startIndex
        let end = input.endIndex
        while i < end {
            let c = input[i]
            guard c == 0x3D else {
                out.append(c)
                i += 1
                continue
            }
            if i + 2 < end, let hi = hexValue(input[i + 1]), let lo = hexValue(input[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            // A soft line break: "=", maybe spaces or tabs a mailer left, then CRLF or LF.
            var j = i + 1
            while j < end, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
            if j == end { break }  // "=" at the very end: a file cut inside a soft break
            if input[j] == 0x0A { i = j + 1; continue }
            if input[j] == 0x0D, j + 1 < end, input[j + 1] == 0x0A { i = j + 2; continue }
            if input[j] == 0x0D, j + 1 == end { break }
            out.append(c)
            i += 1
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// Base64 (RFC 2045 section 6.8) that skips line breaks and white space and refuses anything else.
enum Base64 {
    struct Invalid: Error, Equatable {
        /// Where the offending byte is in the input's indices (the file's, for a slice of it).
        var offset: Int
        var byte: UInt8
    }

    /// 0–63 for the alphabet, `skip` for white space, `pad` for `=`, `bad` for the rest.
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: bad, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        for c: UInt8 in [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C] { t[Int(c)] = skip }
        t[0x3D] = pad
        return t
    }()
    private static let skip: UInt8 = 0xFD, pad: UInt8 = 0xFE, bad: UInt8 = 0xFF

    /// - Parameter cutShort: the input was cut off (a truncated file), so a last incomplete group
    ///   of characters is dropped instead of refused.
    static func decode(_ input: ArraySlice<UInt8>, cutShort: Bool = false) throws(Invalid) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var group: UInt32 = 0
        var count = 0
        var padded = false
        for i in input.indices {
            let v = table[Int(input[i])]
            if v == skip { continue }
            if v == pad {
                // Padding ends the data; only a group of 2 or 3 characters can be padded.
                if !padded, count < 2 { throw Invalid(offset: i, byte: input[i]) }
                padded = true
                continue
            }
            if v == bad || padded { throw Invalid(offset: i, byte: input[i]) }
            group = group << 6 | UInt32(v)
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                out.append(UInt8(truncatingIfNeeded: group >> 8))
                out.append(UInt8(truncatingIfNeeded: group))
                group = 0
                count = 0
            }
        }
        // The last group, padded or not (some writers leave out the "=").
        switch count {
        case 2:
            out.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: group >> 10))
            out.append(UInt8(truncatingIfNeeded: group >> 2))
        case 1 where !cutShort:
            let last = input.lastIndex { table[Int($0)] < 64 } ?? input.startIndex
            throw Invalid(offset: last, byte: input[last])
        default:
            break
        }
        return out
    }
}
