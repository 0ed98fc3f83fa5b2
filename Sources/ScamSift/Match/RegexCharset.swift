/// The characters a regex can consume: every character of every match is one of them.
///
/// Between a match's start and an atom inside it, and between the atom and the match's end,
/// lie only such characters. So the window searched around an atom can stop at the first
/// character the regex could never consume, instead of always reaching `before`/`after`
/// bytes: for `\d+(?:\.\d+)?\s?%`, the window around a `%` is the run of digits, dots and
/// spaces before it. Lookarounds and anchors consume nothing and add nothing.
///
/// Like `RegexAtoms`, this errs on the safe side: whatever it does not understand allows
/// every character, which only makes windows wider, never wrong.
struct RegexCharset: Sendable {
    /// ASCII characters, one bit each.
    private(set) var ascii: (UInt64, UInt64) = (0, 0)
    /// Non-ASCII characters named in the pattern.
    private(set) var scalars: Set<UInt32> = []
    /// Any non-ASCII character, or only those with a property.
    private(set) var anyNonASCII = false
    private(set) var unicodeDigits = false
    private(set) var unicodeSpaces = false

    static let everything: RegexCharset = {
        var s = RegexCharset()
        s.ascii = (.max, .max)
        s.anyNonASCII = true
        return s
    }()

    var allowsEverything: Bool { ascii == (.max, .max) && anyNonASCII }

    mutating func insert(_ c: Unicode.Scalar) {
        let v = c.value
        if v < 64 { ascii.0 |= 1 << v } else if v < 128 { ascii.1 |= 1 << (v - 64) } else { scalars.insert(v) }
    }

    mutating func insert(_ range: ClosedRange<UInt32>) {
        for v in range where v < 128 { insert(Unicode.Scalar(v)!) }
        if range.upperBound >= 128 {
            // A range into non-ASCII: allow all non-ASCII unless it is short.
            if range.upperBound - max(range.lowerBound, 128) < 256 {
                for v in max(range.lowerBound, 128)...range.upperBound { scalars.insert(v) }
            } else {
                anyNonASCII = true
            }
        }
    }

    mutating func formUnion(_ o: RegexCharset) {
        ascii.0 |= o.ascii.0; ascii.1 |= o.ascii.1
        scalars.formUnion(o.scalars)
        anyNonASCII = anyNonASCII || o.anyNonASCII
        unicodeDigits = unicodeDigits || o.unicodeDigits
        unicodeSpaces = unicodeSpaces || o.unicodeSpaces
    }

    @inline(__always) func contains(asciiByte b: UInt8) -> Bool {
        b < 64 ? ascii.0 & (1 << UInt64(b)) != 0 : ascii.1 & (1 << UInt64(b - 64)) != 0
    }

    func contains(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return contains(asciiByte: UInt8(c.value)) }
        if anyNonASCII || scalars.contains(c.value) { return true }
        if unicodeDigits, c.properties.numericType == .decimal { return true }
        if unicodeSpaces, c.properties.isWhitespace { return true }
        return false
    }

    /// The characters `pattern` can consume (`.everything` when it is not understood).
    init(pattern: String) {
        var parser = Parser(chars: Array(pattern.unicodeScalars))
        self = parser.parse() ?? .everything
    }

    private init() {}

    // MARK: - Windows

    /// Where a window before an atom starting at `atom` may begin: at most `limit` bytes back,
    /// and not before a character the regex cannot consume.
    func start(before atom: Int, limit: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let floor = max(0, atom - limit)
        var i = atom
        while i > floor {
            let b = bytes[i - 1]
            if b < 0x80 {
                guard contains(asciiByte: b) else { return i }
                i -= 1
                continue
            }
            var lead = i - 1
            while lead > 0, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
            if !anyNonASCII {
                guard let c = WordChars.scalar(bytes, lead), contains(c) else { return i }
            }
            i = lead
        }
        return max(i, floor)
    }

    /// Where a window after an atom ending at `atom` may end: at most `limit` bytes on, and not
    /// past a character the regex cannot consume.
    func end(after atom: Int, limit: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let ceiling = min(bytes.count, atom + limit)
        var i = atom
        while i < ceiling {
            let b = bytes[i]
            if b < 0x80 {
                guard contains(asciiByte: b) else { return i }
                i += 1
                continue
            }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            if !anyNonASCII {
                guard let c = WordChars.scalar(bytes, i), contains(c) else { return i }
            }
            i += length
        }
        return min(i, ceiling)
    }

    /// The maximal runs of characters the regex can consume that are at least `minBytes`
    /// long, in order. A match consumes only such characters, so it lies inside one run; a
    /// regex without atoms, which would otherwise search the whole text, searches only these.
    func runs(in bytes: UnsafeBufferPointer<UInt8>, atLeast minBytes: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0, i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            var length = 1
            let inside: Bool
            if b < 0x80 {
                inside = contains(asciiByte: b)
            } else {
                length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                inside = anyNonASCII || (WordChars.scalar(bytes, i).map(contains) ?? false)
            }
            if !inside {
                if i - start >= minBytes { out.append(start..<i) }
                start = min(n, i + length)
            }
            i = min(n, i + length)
        }
        if n - start >= minBytes, start < n { out.append(start..<n) }
        return out
    }

    // MARK: - Parsing

    private struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0
        var set = RegexCharset()
        var caseInsensitive = false

        mutating func parse() -> RegexCharset? {
            while i < chars.count {
                guard step() else { return nil }
            }
            return set
        }

        /// Reads one element of the pattern; false when it cannot be understood.
        mutating func step() -> Bool {
            let c = chars[i]
            i += 1
            switch c {
            case "(":
                guard i < chars.count, chars[i] == "?" else { return true }   // a capturing group: its contents follow
                i += 1
                guard i < chars.count else { return false }
                if chars[i] == "=" || chars[i] == "!" { i += 1; return skipGroup() }
                if chars[i] == "<", i + 1 < chars.count, chars[i + 1] == "=" || chars[i + 1] == "!" { i += 2; return skipGroup() }
                if chars[i] == ":" { i += 1; return true }
                if chars[i] == "<" {   // a named group
                    while i < chars.count, chars[i] != ">" { i += 1 }
                    i += 1
                    return i <= chars.count
                }
                // Flags such as (?i) or (?i:...): only case-insensitivity is understood.
                var flags = ""
                while i < chars.count, chars[i] != ")", chars[i] != ":" { flags.unicodeScalars.append(chars[i]); i += 1 }
                guard i < chars.count, flags.allSatisfy({ $0 == "i" || $0 == "-" }) else { return false }
                if flags.contains("i") { caseInsensitive = !flags.hasPrefix("-") }
                i += 1
                return true
            case ")", "|", "^", "$": return true
            case "*", "+", "?": return true
            case "{":
                // A quantifier {n}, {n,}, {n,m} (a literal brace otherwise).
                var k = i
                while k < chars.count, chars[k] == "," || ("0"..."9").contains(chars[k]) { k += 1 }
                if k < chars.count, chars[k] == "}", k > i { i = k + 1; return true }
                add("{")
                return true
            case ".": return false
            case "[": return characterClass()
            case "\\":
                guard let chars = escape(inClass: false) else { return false }
                set.formUnion(chars)
                return true
            default:
                add(c)
                return true
            }
        }

        mutating func add(_ c: Unicode.Scalar) { Self.insert(c, caseInsensitive: caseInsensitive, into: &set) }

        static func insert(_ c: Unicode.Scalar, caseInsensitive: Bool, into out: inout RegexCharset) {
            out.insert(c)
            guard caseInsensitive else { return }
            if c.isASCII {
                for form in [String(c).lowercased(), String(c).uppercased()] { out.insert(form.unicodeScalars.first!) }
            } else {
                out.anyNonASCII = true   // Unicode case folding: too many forms to list
            }
        }

        /// Skips a lookaround's body, which consumes nothing.
        mutating func skipGroup() -> Bool {
            var depth = 1
            while i < chars.count {
                let c = chars[i]
                i += 1
                switch c {
                case "\\": i += 1
                case "[": skipClass()
                case "(": depth += 1
                case ")":
                    depth -= 1
                    if depth == 0 { return true }
                default: break
                }
            }
            return false
        }

        /// Skips a class after its `[` (nested classes included), without reading it.
        mutating func skipClass() {
            var depth = 1
            if i < chars.count, chars[i] == "^" { i += 1 }
            if i < chars.count, chars[i] == "]" { i += 1 }
            while i < chars.count, depth > 0 {
                switch chars[i] {
                case "\\": i += 1
                case "[": depth += 1
                case "]": depth -= 1
                default: break
                }
                i += 1
            }
        }

        mutating func characterClass() -> Bool {
            var inner = RegexCharset()
            guard characterClass(into: &inner) else { return false }
            set.formUnion(inner)
            return true
        }

        /// A class after its `[`. Negated classes, nested classes and set operations are not understood.
        mutating func characterClass(into out: inout RegexCharset) -> Bool {
            guard i < chars.count, chars[i] != "^" else { return false }
            var first = true
            var previous: Unicode.Scalar?
            while i < chars.count {
                let c = chars[i]
                i += 1
                if c == "]", !first { return true }
                first = false
                switch c {
                case "[", "&": return false
                case "\\":
                    guard i < chars.count else { return false }
                    let e = chars[i]
                    if let literal = Self.literalEscape(e) {
                        i += 1
                        out.insert(literal)
                        previous = literal
                    } else {
                        guard let chars = escape(inClass: true) else { return false }
                        out.formUnion(chars)
                        previous = nil
                    }
                case "-" where previous != nil && i < chars.count && chars[i] != "]":
                    var upper = chars[i]
                    i += 1
                    if upper == "\\" {
                        guard i < chars.count, let literal = Self.literalEscape(chars[i]) else { return false }
                        upper = literal
                        i += 1
                    }
                    guard let lower = previous, lower.value <= upper.value else { return false }
                    out.insert(lower.value...upper.value)
                    if caseInsensitive { out.anyNonASCII = true; out.insert(0...127) }   // a cased range: allow all
                    previous = nil
                default:
                    Self.insert(c, caseInsensitive: caseInsensitive, into: &out)
                    previous = c
                }
            }
            return false
        }

        /// An escape that stands for one character, or nil.
        static func literalEscape(_ e: Unicode.Scalar) -> Unicode.Scalar? {
            switch e {
            case "n": return "\n"
            case "t": return "\t"
            case "r": return "\r"
            case "f": return "\u{0C}"
            default:
                return e.properties.isAlphabetic || e.properties.numericType != nil ? nil : e
            }
        }

        /// The characters an escape after its backslash consumes (none for a zero-width one);
        /// nil when it is not understood.
        mutating func escape(inClass: Bool) -> RegexCharset? {
            guard i < chars.count else { return nil }
            let e = chars[i]
            i += 1
            var out = RegexCharset()
            switch e {
            case "d":
                out.insert(48...57)
                out.unicodeDigits = true
            case "s":
                for c in [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"] as [Unicode.Scalar] { out.insert(c) }
                out.unicodeSpaces = true
            case "b", "B", "A", "z", "Z", "G":
                if inClass { return nil }   // zero-width outside a class; inside, \b is a backspace (not understood)
            default:
                guard let literal = Self.literalEscape(e) else { return nil }   // \w \S \p{..} \x.. \Q and back references
                Self.insert(literal, caseInsensitive: caseInsensitive, into: &out)
            }
            return out
        }
    }
}

extension RegexCharset: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.raw(ascii.0)
        w.raw(ascii.1)
        w.integers(scalars.sorted())
        w.bool(anyNonASCII)
        w.bool(unicodeDigits)
        w.bool(unicodeSpaces)
    }

    init(from r: inout SnapshotReader) throws {
        ascii = (try r.raw(UInt64.self), try r.raw(UInt64.self))
        scalars = Set(try r.integers(UInt32.self))
        anyNonASCII = try r.bool()
        unicodeDigits = try r.bool()
        unicodeSpaces = try r.bool()
    }
}
