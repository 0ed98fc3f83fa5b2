/// Page text is hostile input: strips control characters, escape sequences and bidi
/// overrides before anything page-derived reaches a terminal or a log.
public enum TerminalSafe {
    public static func clean(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = s.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            switch c.value {
            case 0x1B:
                // Drop an ANSI escape sequence: ESC [ ... final byte, or ESC ] ... BEL/ST.
                guard let next = scalars.next() else { break }
                if next == "[" {
                    while let k = scalars.next(), !(0x40...0x7E).contains(k.value) {}
                } else if next == "]" {
                    while let k = scalars.next(), k.value != 0x07, k.value != 0x9C, k.value != 0x1B {}
                }
            case 0x09, 0x0A, 0x0D, 0x00...0x1F, 0x7F...0x9F:
                out.append(" ")
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                out.append(c)
            }
        }
        return String(out)
    }
}

/// How many terminal columns text takes, as `wcwidth` counts them: combining marks and
/// format characters take none (so a Bengali vowel sign adds nothing), East Asian wide
/// characters two, everything else one. Tables and labels are padded with it.
public enum TerminalWidth {
    public static func of(_ s: String) -> Int {
        var n = 0
        for scalar in s.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: n += isWide(scalar.value) ? 2 : 1
            }
        }
        return n
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    /// `s` with spaces after it up to `width` columns.
    public static func pad(_ s: String, to width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - of(s)))
    }

    /// `s` with spaces before it up to `width` columns.
    public static func padLeft(_ s: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - of(s))) + s
    }
}
