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
