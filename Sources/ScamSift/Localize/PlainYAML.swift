/// Reads a YAML file written in the plain shape of the built-in catalogues and theme map,
/// without a YAML library. Yams's first use compiles its tag resolver's regexes with
/// Foundation's own copy of ICU, and reading the English catalogue and the theme map that way
/// was about a seventh of the instructions of scoring one page.
///
/// The shape: comments and blank lines; top-level `key: value` lines; and top-level `key:`
/// lines followed by lines indented two spaces, either all `key: value` (a mapping) or all
/// `- value` (a sequence). A value is plain text or a double-quoted text whose only escapes are
/// `\"` and `\\`, closed on its line; either may be followed by ` # a comment`. Anything else
/// (other escapes, single quotes, block or flow values, tabs, CR LF, a value that goes on to a
/// second line, a repeated key) is not read: `read` returns nil and the caller reads the file
/// with Yams, which gives the same values (tests read every built-in file both ways) and words
/// any problem with its line.
enum PlainYAML {
    enum Value: Equatable {
        case scalar(String)
        case mapping([String: String])
        case sequence([String])

        var scalar: String? { if case let .scalar(s) = self { return s } else { return nil } }
    }

    static func read(_ text: String) -> [String: Value]? {
        let bytes = Array(text.utf8)
        // YAML also breaks lines at NEL (C2 85), LS and PS (E2 80 A8, E2 80 A9).
        for k in bytes.indices.dropLast() where (bytes[k] == 0xC2 && bytes[k + 1] == 0x85)
            || (bytes[k] == 0xE2 && k + 2 < bytes.count && bytes[k + 1] == 0x80 && (bytes[k + 2] == 0xA8 || bytes[k + 2] == 0xA9)) {
            return nil
        }
        var top: [String: Value] = [:]
        var open: String?                      // the top-level key whose block is being read
        var mapping: [String: String]?
        var sequence: [String]?
        /// Ends the open block; false when its `key:` had nothing under it (YAML's null, which
        /// the callers' Yams readings refuse or read otherwise).
        func close() -> Bool {
            guard let key = open else { return true }
            if let mapping { top[key] = .mapping(mapping) } else if let sequence { top[key] = .sequence(sequence) } else { return false }
            open = nil; mapping = nil; sequence = nil
            return true
        }
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let line = bytes[start..<end]
            start = end + 1
            var i = line.startIndex
            while i < line.endIndex, line[i] == UInt8(ascii: " ") { i += 1 }
            if i == line.endIndex || line[i] == UInt8(ascii: "#") { continue }   // blank or comment
            let indent = i - line.startIndex
            if indent == 2, open != nil {
                if line[i] == UInt8(ascii: "-") {
                    guard mapping == nil, i + 1 < line.endIndex, line[i + 1] == UInt8(ascii: " ") else { return nil }
                    var v = i + 1
                    while v < line.endIndex, line[v] == UInt8(ascii: " ") { v += 1 }
                    guard let item = value(line[v...]) else { return nil }
                    sequence = sequence ?? []
                    sequence!.append(item)
                } else {
                    guard sequence == nil, let (key, item) = entry(line[i...]), let item, mapping?[key] == nil else { return nil }
                    mapping = mapping ?? [:]
                    mapping![key] = item
                }
                continue
            }
            guard indent == 0, close() else { return nil }
            guard let (key, scalar) = entry(line[i...]), top[key] == nil else { return nil }
            if let scalar { top[key] = .scalar(scalar) } else { open = key }
        }
        return close() ? top : nil
    }

    /// `key: value`, or `key:` alone (a nil value), or nil if the line is not that simple.
    private static func entry(_ line: ArraySlice<UInt8>) -> (String, String?)? {
        var i = line.startIndex
        while i < line.endIndex, isKeyByte(line[i]) { i += 1 }
        guard i > line.startIndex, i < line.endIndex, line[i] == UInt8(ascii: ":") else { return nil }
        let key = String(decoding: line[line.startIndex..<i], as: UTF8.self)
        i += 1
        var v = i
        while v < line.endIndex, line[v] == UInt8(ascii: " ") { v += 1 }
        if v == line.endIndex { return (key, nil) }
        guard v > i else { return nil }   // `key:value` is not a key and a value in YAML
        if line[v] == UInt8(ascii: "#") { return (key, nil) }   // `key:  # a comment`
        return value(line[v...]).map { (key, $0) }
    }

    private static func isKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    private static func value(_ rest: ArraySlice<UInt8>) -> String? {
        rest.first == UInt8(ascii: "\"") ? quoted(rest) : plain(rest)
    }

    /// Whether what follows a value is nothing, or spaces then possibly a comment.
    private static func endsCleanly(_ after: ArraySlice<UInt8>) -> Bool {
        guard let first = after.firstIndex(where: { $0 != UInt8(ascii: " ") }) else { return true }
        return first > after.startIndex && after[first] == UInt8(ascii: "#")
    }

    /// A double-quoted text closed on the same line.
    private static func quoted(_ rest: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        var i = rest.startIndex + 1
        while i < rest.endIndex {
            let b = rest[i]
            if b == UInt8(ascii: "\"") { return endsCleanly(rest[(i + 1)...]) ? String(decoding: out, as: UTF8.self) : nil }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < rest.endIndex, rest[i + 1] == UInt8(ascii: "\"") || rest[i + 1] == UInt8(ascii: "\\") else { return nil }
                out.append(rest[i + 1])
                i += 2
                continue
            }
            guard b != UInt8(ascii: "\t"), b != UInt8(ascii: "\r") else { return nil }
            out.append(b)
            i += 1
        }
        return nil   // not closed on this line
    }

    private static let indicators = Array("-?:,[]{}#&*!|>'\"%@`".utf8)

    /// A plain value: up to a ` #` comment, less trailing spaces. It must not start with a YAML
    /// indicator, and must hold no `: `, tab or CR, nor end with `:` (where YAML would read
    /// something else than the text as written).
    private static func plain(_ rest: ArraySlice<UInt8>) -> String? {
        guard let first = rest.first, !indicators.contains(first) else { return nil }
        var end = rest.startIndex
        var previous: UInt8 = 0
        while end < rest.endIndex {
            let b = rest[end]
            if previous == UInt8(ascii: " ") && b == UInt8(ascii: "#") { break }
            if b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") { return nil }
            if previous == UInt8(ascii: ":") && b == UInt8(ascii: " ") { return nil }
            previous = b
            end += 1
        }
        while end > rest.startIndex, rest[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard rest[end - 1] != UInt8(ascii: ":") else { return nil }
        return String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
    }
}
