/// Chooses the character encoding of raw page bytes, in the order a browser trusts them:
/// the caller's charset (from HTTP), a byte-order mark, a `<meta>` declaration, then UTF-8.
enum EncodingSniffer {
    struct Choice: Equatable {
        var name: String
        /// Bytes of a byte-order mark to skip before parsing.
        var bomLength: Int
    }

    /// How far into the document a `<meta charset>` is looked for.
    static let prescanLimit = 4096

    static func choose(bytes: UnsafeRawBufferPointer, declared: String?) -> Choice {
        let bom = byteOrderMark(bytes)
        if let declared, let name = canonical(declared) {
            return Choice(name: name, bomLength: bom?.name == name ? bom!.bomLength : 0)
        }
        if let bom { return bom }
        if let meta = metaCharset(bytes), let name = canonical(meta) {
            // A document that declares UTF-16 in ASCII-compatible bytes is lying; HTML5 says read it as UTF-8.
            return Choice(name: name.hasPrefix("UTF-16") ? "UTF-8" : name, bomLength: 0)
        }
        return Choice(name: "UTF-8", bomLength: 0)
    }

    static func byteOrderMark(_ b: UnsafeRawBufferPointer) -> Choice? {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return Choice(name: "UTF-8", bomLength: 3) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return Choice(name: "UTF-16LE", bomLength: 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return Choice(name: "UTF-16BE", bomLength: 2) }
        return nil
    }

    /// Maps the many labels pages use to the names iconv and libxml2 know.
    static func canonical(_ label: String) -> String? {
        let l = label.trimmingASCIIWhitespaceAndQuotes().lowercased()
        if l.isEmpty { return nil }
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        // HTML5: these labels all mean windows-1252 in practice.
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252":
            return "windows-1252"
        case "utf-16", "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        default:
            // Only letters, digits and - _ . : can name an encoding; anything else is junk.
            guard l.utf8.allSatisfy({ $0.isASCIIAlnum || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x3A }),
                  l.utf8.count <= 40 else { return nil }
            return l
        }
    }

    /// Finds `charset=` inside the first `<meta ...>` tags of the document.
    static func metaCharset(_ b: UnsafeRawBufferPointer) -> String? {
        let end = min(b.count, prescanLimit)
        var i = 0
        while i + 5 < end {
            if b[i] == 0x3C, lower(b[i + 1]) == 0x6D, lower(b[i + 2]) == 0x65, lower(b[i + 3]) == 0x74, lower(b[i + 4]) == 0x61 {
                var j = i + 5
                while j < b.count, b[j] != 0x3E, j - i < 1024 { j += 1 }
                if let value = charsetValue(b, from: i + 5, to: j) { return value }
                i = j
            }
            i += 1
        }
        return nil
    }

    private static func charsetValue(_ b: UnsafeRawBufferPointer, from: Int, to: Int) -> String? {
        let key: [UInt8] = Array("charset".utf8)
        var i = from
        while i + key.count < to {
            var match = true
            for k in 0..<key.count where lower(b[i + k]) != key[k] { match = false; break }
            if match {
                var j = i + key.count
                while j < to, b[j] == 0x20 { j += 1 }
                guard j < to, b[j] == 0x3D else { i += 1; continue }
                j += 1
                while j < to, b[j] == 0x20 || b[j] == 0x22 || b[j] == 0x27 { j += 1 }
                var k = j
                while k < to, b[k] != 0x22, b[k] != 0x27, b[k] != 0x3B, b[k] != 0x20, b[k] != 0x2F { k += 1 }
                if k > j { return String(decoding: UnsafeRawBufferPointer(rebasing: b[j..<k]), as: UTF8.self) }
            }
            i += 1
        }
        return nil
    }

    private static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c }
}

extension UInt8 {
    var isASCIIAlnum: Bool { (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
}

extension String {
    func trimmingASCIIWhitespaceAndQuotes() -> String {
        let junk: Set<Character> = [" ", "\t", "\n", "\r", "\"", "'"]
        var s = Substring(self)
        while let f = s.first, junk.contains(f) { s = s.dropFirst() }
        while let l = s.last, junk.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

/// Replaces every invalid UTF-8 sequence with U+FFFD, so libxml2 never switches
/// a whole page to Latin-1 because of one stray byte. Works on bytes, never on String.
enum UTF8Repair {
    static func repaired(_ b: UnsafeRawBufferPointer) -> [UInt8]? {
        guard var bad = firstInvalid(b, from: 0) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(b.count + 16)
        var start = 0
        while true {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[start..<bad.offset]))
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            start = bad.offset + bad.length
            guard let next = firstInvalid(b, from: start) else { break }
            bad = next
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[start..<b.count]))
        return out
    }

    /// Offset and length of the first ill-formed sequence at or after `from`.
    static func firstInvalid(_ b: UnsafeRawBufferPointer, from: Int) -> (offset: Int, length: Int)? {
        var i = from
        let n = b.count
        while i < n {
            // ASCII eight bytes at a time: most of most pages.
            while i + 8 <= n, b.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return (i, 1)
            }
            var k = 1
            while k <= need {
                guard i + k < n else { return (i, k) }
                let d = b[i + k]
                let ok = k == 1 ? (d >= lo && d <= hi) : (d >= 0x80 && d <= 0xBF)
                if !ok { return (i, k) }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}
