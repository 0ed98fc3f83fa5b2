import Foundation

/// The strings of an inline script that read as words a person is shown.
///
/// A page saved from an app's source (a Vue or uni-app page, a PHP page that builds its menus
/// in JavaScript) often keeps its text in the script's data: the FAQ's questions and answers,
/// the notices, the menu's titles. Those strings are read as hidden text (the browser shows
/// them, but only once the script has run). Code is left out: identifiers, paths, URLs,
/// selectors, and ASCII strings with code punctuation or fewer than three words.
///
/// The scan is a lexer's rough cut, not a parser: comments are skipped and `'`, `"` and `` ` ``
/// strings read with their escapes; a regex literal that holds a quote can pair the wrong
/// quotes, and what that yields is code-like and fails the filter.
enum ScriptStrings {
    /// Bytes of script scanned on one page, and bytes of strings kept.
    static let maxScannedBytes = 512 * 1024
    static let maxKeptBytes = 256 * 1024

    /// Script `type`s whose strings are read: JavaScript (no type, or a JavaScript or module
    /// type) and JSON data (a framework's page props).
    static func readsType(_ type: String?) -> Bool {
        guard let type = type?.lowercased().trimmingCharacters(in: .whitespaces), !type.isEmpty else { return true }
        return type.contains("javascript") || type.contains("ecmascript") || type == "module" || type.contains("json")
            || type == "text/babel"
    }

    /// The prose strings of `script`, in order, at most `room` bytes of them.
    static func prose(in script: [UInt8], room: Int) -> [String] {
        var found: [String] = []
        var kept = 0
        var i = 0
        let n = script.count
        while i < n, kept < room {
            let c = script[i]
            if c == UInt8(ascii: "/"), i + 1 < n, script[i + 1] == UInt8(ascii: "/") {
                while i < n, script[i] != 0x0A { i += 1 }
            } else if c == UInt8(ascii: "/"), i + 1 < n, script[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < n, !(script[i] == UInt8(ascii: "*") && script[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") {
                let (bytes, end) = string(script, from: i + 1, quote: c)
                i = end
                // Most of a script's strings are short identifiers: no String is made for them
                // (prose has at least 12 characters, so at least 12 bytes).
                guard let bytes, bytes.count >= 12, kept + bytes.count <= room else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                if isProse(text) {
                    kept += bytes.count
                    found.append(text)
                }
            } else {
                i += 1
            }
        }
        return found
    }

    /// The string that starts after a quote at `from`, its escapes read (a template literal's
    /// `${…}` parts become a space), and the offset after its closing quote. nil when a `'` or
    /// `"` string reaches the end of its line unclosed: then it was no string.
    static func string(_ s: [UInt8], from: Int, quote: UInt8) -> ([UInt8]?, Int) {
        var out: [UInt8] = []
        var i = from
        let n = s.count
        while i < n {
            let c = s[i]
            if c == quote { return (out, i + 1) }
            if c == 0x0A && quote != UInt8(ascii: "`") { return (nil, i) }
            if c == UInt8(ascii: "\\"), i + 1 < n {
                let e = s[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"), 0x0A: out.append(0x20)
                case UInt8(ascii: "u"):
                    if let (scalar, next) = unicodeEscape(s, i) {
                        out.append(contentsOf: UTF8.encode(scalar)!)
                        i = next
                    }
                case UInt8(ascii: "x"):
                    if i + 2 <= n, let v = UInt32(String(decoding: s[i..<i + 2], as: UTF8.self), radix: 16), let scalar = Unicode.Scalar(v) {
                        out.append(contentsOf: UTF8.encode(scalar)!)
                        i += 2
                    }
                default: out.append(e)
                }
                continue
            }
            if quote == UInt8(ascii: "`"), c == UInt8(ascii: "$"), i + 1 < n, s[i + 1] == UInt8(ascii: "{") {
                // Skip the expression, braces balanced.
                var depth = 0
                while i < n {
                    if s[i] == UInt8(ascii: "{") { depth += 1 }
                    if s[i] == UInt8(ascii: "}") { depth -= 1; if depth == 0 { i += 1; break } }
                    i += 1
                }
                out.append(0x20)
                continue
            }
            out.append(c)
            i += 1
        }
        return (nil, n)
    }

    /// `\uXXXX` or `\u{X…}` at `i` (just after the `u`); surrogate pairs are joined.
    static func unicodeEscape(_ s: [UInt8], _ i: Int) -> (Unicode.Scalar, Int)? {
        func hex(_ r: Range<Int>) -> UInt32? {
            guard r.upperBound <= s.count else { return nil }
            return UInt32(String(decoding: s[r], as: UTF8.self), radix: 16)
        }
        if i < s.count, s[i] == UInt8(ascii: "{") {
            // Looked for within eight bytes only: a hostile script of "\u{" without braces
            // must not be read to its end at each one.
            guard let close = s[i..<min(i + 9, s.count)].firstIndex(of: UInt8(ascii: "}")),
                  let v = hex(i + 1..<close), let scalar = Unicode.Scalar(v) else { return nil }
            return (scalar, close + 1)
        }
        guard let v = hex(i..<i + 4) else { return nil }
        if (0xD800..<0xDC00).contains(v), i + 10 <= s.count, s[i + 4] == UInt8(ascii: "\\"), s[i + 5] == UInt8(ascii: "u"),
           let low = hex(i + 6..<i + 10), (0xDC00..<0xE000).contains(low),
           let scalar = Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)) {
            return (scalar, i + 10)
        }
        guard let scalar = Unicode.Scalar(v) else { return nil }
        return (scalar, i + 4)
    }

    /// Whether a string reads as words shown to a person rather than code.
    static func isProse(_ text: String) -> Bool {
        var letters = 0, words = 0, inWord = false, nonASCII = false, codeMarks = false
        for scalar in text.unicodeScalars {
            let word = WordChars.isWord(scalar) || WordChars.isSpaceless(scalar.value)
            if word {
                if scalar.properties.isAlphabetic {
                    letters += 1
                    if scalar.value > 0x2FF { nonASCII = true }
                }
                if !inWord { words += 1 }
            }
            inWord = word
            switch scalar {
            case "{", "}", ";", "=", "<", ">", "\\": codeMarks = true
            default: break
            }
        }
        guard letters >= 8, text.unicodeScalars.count >= 12 else { return false }
        let start = text.drop { $0 == " " }
        for prefix in ["http:", "https:", "/", "./", "../", "#", "@", "data:", "mailto:"] where start.hasPrefix(prefix) { return false }
        if nonASCII { return true }
        // Latin letters only: a sentence of three words or more, without code's punctuation.
        return words >= 3 && !codeMarks && start.contains(" ")
    }
}
