import Foundation

/// Regex support for rules: macros, compilation, and a check for patterns whose
/// backtracking can explode (nested unbounded quantifiers such as `(a+)+`).
public enum RegexCheck {
    /// Macros usable in rule regexes. Text is already normalised: lower case, ASCII digits.
    public static let macros: [(String, String)] = [
        ("{money}", #"(?:[$৳₹€£]|usdt|usd|bdt|tk\.?|taka|টাকা|rs\.?|inr|rp|r\$|trx|btc|eth)"#),
        ("{num}", #"\d+(?:[.,]\d+)*"#),
    ]

    public static func expand(_ pattern: String) -> String {
        var p = pattern
        for (name, body) in macros { p = p.replacingOccurrences(of: name, with: body) }
        return p
    }

    public static func compile(_ pattern: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: expand(pattern), options: [.caseInsensitive])
    }

    /// Why the pattern does not compile, if it does not; with the offset when it can be found.
    public static func compileError(_ pattern: String) -> String? {
        do {
            _ = try compile(pattern)
            return nil
        } catch {
            // ICU does not hand back its offset through Foundation; find the shortest prefix that
            // fails for a reason other than being cut short.
            if let offset = syntaxOffset(pattern) {
                return "the pattern does not compile (near offset \(offset): '\(snippet(pattern, at: offset))')"
            }
            return "the pattern does not compile"
        }
    }

    static func snippet(_ pattern: String, at offset: Int) -> String {
        let chars = Array(pattern)
        let lo = max(0, offset - 5), hi = min(chars.count, offset + 5)
        return String(chars[lo..<hi])
    }

    /// The character offset where a simple structural error sits: an unbalanced parenthesis
    /// or bracket, a quantifier with nothing to repeat, a dangling backslash.
    static func syntaxOffset(_ pattern: String) -> Int? {
        let chars = Array(pattern)
        var groups: [Int] = []
        var i = 0
        var canQuantify = false
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                if i + 1 >= chars.count { return i }
                i += 2; canQuantify = true; continue
            case "[":
                let start = i
                i += 1
                if i < chars.count, chars[i] == "^" { i += 1 }
                if i < chars.count, chars[i] == "]" { i += 1 }
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
                if i >= chars.count { return start }
                canQuantify = true
            case "(":
                groups.append(i); canQuantify = false
                if i + 1 < chars.count, chars[i + 1] == "?" { i += 1; while i + 1 < chars.count, !":=!<>".contains(chars[i + 1]) && chars[i + 1].isLetter { i += 1 }; if i + 1 < chars.count { i += 1 } }
            case ")":
                if groups.popLast() == nil { return i }
                canQuantify = true
            case "*", "+", "?":
                if !canQuantify { return i }
                if i + 1 < chars.count, chars[i + 1] == "?" || chars[i + 1] == "+" { i += 1 }
                canQuantify = false
            case "{":
                if !canQuantify { return i }
                canQuantify = false
            case "|":
                canQuantify = false
            default:
                canQuantify = true
            }
            i += 1
        }
        return groups.last
    }

    public struct SlowShape: Equatable {
        public var offset: Int
        public var message: String
    }

    /// Finds a group that contains an unbounded quantifier and is itself repeated without bound,
    /// the classic shape of catastrophic backtracking: `(a+)+`, `(\w*\s?)*`, `(?:x|y+){2,}`.
    public static func catastrophicShape(_ pattern: String) -> SlowShape? {
        let chars = Array(pattern)
        struct Group { var start: Int; var hasUnbounded = false }
        var stack: [Group] = [Group(start: -1)]
        var i = 0
        var lastClosed: Group?
        while i < chars.count {
            let c = chars[i]
            var closed: Group?
            switch c {
            case "\\":
                i += 1   // the escaped character is part of this atom
            case "[":
                i += 1
                if i < chars.count, chars[i] == "^" { i += 1 }
                if i < chars.count, chars[i] == "]" { i += 1 }
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
            case "(":
                stack.append(Group(start: i))
            case ")":
                if stack.count > 1 { closed = stack.removeLast() }
            default:
                break
            }
            i += 1
            if let closed {
                lastClosed = closed
                // An inner unbounded repeat also makes the enclosing group unbounded.
                if closed.hasUnbounded { stack[stack.count - 1].hasUnbounded = true }
            }
            // Quantifier following the previous atom?
            guard i < chars.count else { break }
            let q = chars[i]
            var unbounded = false
            if q == "*" || q == "+" {
                unbounded = true
            } else if q == "{", let close = chars[i...].firstIndex(of: "}") {
                let body = String(chars[(i + 1)..<close])
                unbounded = body.hasSuffix(",") || (body.split(separator: ",").last.flatMap { Int($0) } ?? 0) > 10
            }
            if unbounded {
                if let group = lastClosed, closed != nil, group.hasUnbounded {
                    return SlowShape(offset: group.start, message: "a repeated group contains a repeat")
                }
                stack[stack.count - 1].hasUnbounded = true
            }
            if closed == nil { lastClosed = nil }
        }
        return nil
    }
}
