import Foundation

/// Regex support for rules: macros, compilation, and a check for patterns whose
/// backtracking can explode (nested unbounded quantifiers such as `(a+)+`).
public enum RegexCheck {
    /// Macros usable in rule regexes. Text is already normalised: lower case, ASCII digits.
    public static let macros: [(String, String)] = [
        ("{money}", #"(?:[$৳₹€£]|usdt|usd|bdt|tk\.?|taka|টাকা|rs\.?|inr|rp|r\$|trx|btc|eth)"#),
        // 2,5 · 1.000,50 · 1,00,000 · 10 000 (a space between thousands) · 5万.
        ("{num}", #"\d+(?:[.,]\d+)*(?: \d{3}(?![\d.,]\d))*(?:\s?[万萬千亿億])?"#),
    ]

    /// Expands macros, then normalises the pattern's non-ASCII literals exactly as page text is
    /// normalised (NFKC, lower case, digits), so `উপায়` or `১ম` in a pattern meets the text as
    /// it really is after normalisation. ASCII punctuation that normalisation produces (a dash
    /// from `–`) is escaped, so it can never change the pattern's syntax.
    public static func expand(_ pattern: String) -> String {
        var p = pattern
        if p.utf8.contains(UInt8(ascii: "{")) {
            // One pass: at each "{", a macro name is replaced by its body.
            var out = ""
            var rest = Substring(p)
            while let brace = rest.firstIndex(of: "{") {
                out += rest[..<brace]
                rest = rest[brace...]
                if let (name, body) = macros.first(where: { rest.hasPrefix($0.0) }) {
                    out += body
                    rest = rest.dropFirst(name.count)
                } else {
                    out.append("{")
                    rest = rest.dropFirst()
                }
            }
            p = out + rest
        }
        if p.utf8.allSatisfy({ $0 < 0x80 }) { return p }   // nothing to normalise
        var out = ""
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            for scalar in String(decoding: TextNormalizer.normalize(run), as: UTF8.self).unicodeScalars {
                if scalar.isASCII, !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == " ") {
                    out.append("\\")
                }
                out.unicodeScalars.append(scalar)
            }
            run = ""
        }
        for scalar in p.unicodeScalars {
            if scalar.isASCII { flush(); out.unicodeScalars.append(scalar) } else { run.unicodeScalars.append(scalar) }
        }
        flush()
        return out
    }

    /// Text is lower-cased before matching, so patterns are matched case-sensitively: ICU's
    /// case folding at every position would cost more than the rest of the match.
    public static func compile(_ pattern: String) throws -> ICURegex {
        try ICURegex(expand(pattern))
    }

    /// The offset of the first upper-case letter written as a literal (it could never match
    /// lower-cased text), skipping escapes such as `\D` and property names such as `\p{Lu}`.
    public static func upperCaseLiteral(_ pattern: String) -> Int? {
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" {
                if i + 1 < chars.count, "pPN".contains(chars[i + 1]), i + 2 < chars.count, chars[i + 2] == "{" {
                    i = (chars[(i + 2)...].firstIndex(of: "}") ?? chars.count - 1) + 1
                } else {
                    i += 2
                }
                continue
            }
            if chars[i] == "(", i + 2 < chars.count, chars[i + 1] == "?" { i += 2; continue }
            if chars[i].isUppercase { return i }
            i += 1
        }
        return nil
    }

    /// Why the pattern does not compile, if it does not, with the offset (from 0) in the pattern.
    public static func compileError(_ pattern: String) -> String? {
        do {
            _ = try compile(pattern)
            return nil
        } catch let error as ICURegex.CompileError {
            // A structural slip is located exactly; otherwise ICU's own offset is used when
            // the pattern was compiled as written (no macros or normalised letters in it).
            let offset = syntaxOffset(pattern) ?? (expand(pattern) == pattern ? error.offset : nil)
            if let offset {
                return "the pattern does not compile (\(error.name) near offset \(offset): '\(snippet(pattern, at: offset))')"
            }
            return "the pattern does not compile (\(error.name))"
        } catch {
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

    /// Splits a pattern at its top-level `|` (outside groups and classes).
    public static func topLevelBranches(_ pattern: String) -> [String] {
        var branches: [String] = []
        var current = ""
        var depth = 0
        var inClass = false
        var escaped = false
        for c in pattern.unicodeScalars {
            if escaped { current.unicodeScalars.append(c); escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "[" where !inClass: inClass = true
            case "]" where inClass: inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1
            case "|" where !inClass && depth == 0:
                branches.append(current); current = ""; continue
            default: break
            }
            current.unicodeScalars.append(c)
        }
        branches.append(current)
        return branches
    }

    /// Splits a branch that starts with a non-capturing group of alternatives into one branch
    /// per alternative: `(?:A|B)rest` becomes `(?:A)rest` and `(?:B)rest`. Each can then be
    /// anchored at its own prefix literals (or windowed around its own atoms) instead of the
    /// whole branch being searched for at every position where any alternative could start.
    /// Leading `\b` and lookbehinds stay in front of each part. Returns `[branch]` when the
    /// branch does not have that shape, or when the group is quantified.
    public static func distributeLeadingGroup(_ branch: String, maxParts: Int = 12) -> [String] {
        let chars = Array(branch.unicodeScalars)
        var i = 0
        // Zero-width prefix: \b, or a lookbehind group.
        while i < chars.count {
            if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "b" { i += 2; continue }
            if chars[i] == "(", i + 3 < chars.count, chars[i + 1] == "?", chars[i + 2] == "<", chars[i + 3] == "!" || chars[i + 3] == "=" {
                guard let close = closingParen(chars, from: i) else { return [branch] }
                i = close + 1
                continue
            }
            break
        }
        guard i + 2 < chars.count, chars[i] == "(", chars[i + 1] == "?", chars[i + 2] == ":",
              let close = closingParen(chars, from: i) else { return [branch] }
        if close + 1 < chars.count, "*+?{".unicodeScalars.contains(chars[close + 1]) { return [branch] }
        func text(_ r: Range<Int>) -> String { var s = ""; s.unicodeScalars.append(contentsOf: chars[r]); return s }
        let alternatives = topLevelBranches(text((i + 3)..<close))
        guard (2...maxParts).contains(alternatives.count) else { return [branch] }
        let lead = text(0..<i), rest = text((close + 1)..<chars.count)
        return alternatives.map { lead + "(?:" + $0 + ")" + rest }
    }

    /// A branch cut at its first top-level lazy gap, `X[\s\S]{0,N}?Y` or `X[^\n.]{0,N}?Y`.
    public struct GapSplit: Equatable {
        public var head: String
        public var tail: String
        /// The most characters the gap may span.
        public var maxChars: Int
        /// ASCII characters the gap may not contain (none for `[\s\S]`).
        public var forbidden: [UInt8]
    }

    /// Finds the first lazy gap at the top level of a branch: a class that matches any
    /// character, or any but a few ASCII ones, repeated `{0,N}?`. Such a regex can run as its
    /// head, then its tail searched for within N characters of the head's end, instead of ICU
    /// trying the tail at each of the N positions after every head match.
    public static func splitAtLazyGap(_ branch: String) -> GapSplit? {
        let chars = Array(branch.unicodeScalars)
        func text(_ r: Range<Int>) -> String { var s = ""; s.unicodeScalars.append(contentsOf: chars[r]); return s }
        var i = 0
        var depth = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if c == "(" { depth += 1; i += 1; continue }
            if c == ")" { depth -= 1; i += 1; continue }
            guard c == "[" else { i += 1; continue }
            guard let close = classEnd(chars, from: i) else { return nil }
            defer { i = close + 1 }
            guard depth == 0, i > 0 else { continue }
            let body = text((i + 1)..<close)
            var forbidden: [UInt8]
            if body == "\\s\\S" || body == "\\S\\s" {
                forbidden = []
            } else if body.hasPrefix("^") {
                // Members must be plain ASCII characters or \n, so the gap check can work on bytes.
                forbidden = []
                var members = Array(body.unicodeScalars.dropFirst())[...]
                while let m = members.first {
                    if m == "\\" {
                        guard members.count >= 2, members[members.startIndex + 1] == "n" else { forbidden = []; break }
                        forbidden.append(0x0A)
                        members = members.dropFirst(2)
                    } else {
                        guard m.isASCII, m != "-", m != "[", m != "^" else { forbidden = []; break }
                        forbidden.append(UInt8(m.value))
                        members = members.dropFirst()
                    }
                }
                if forbidden.isEmpty { continue }
            } else {
                continue
            }
            // A lazy {0,N}? must follow, and something must come after it.
            var j = close + 1
            guard j < chars.count, chars[j] == "{" else { continue }
            guard let brace = chars[j...].firstIndex(of: "}"), brace + 1 < chars.count, chars[brace + 1] == "?" else { continue }
            let bounds = text((j + 1)..<brace).split(separator: ",", omittingEmptySubsequences: false)
            guard bounds.count == 2, bounds[0] == "0", let maxChars = Int(bounds[1]) else { continue }
            j = brace + 2
            guard j < chars.count else { continue }
            let head = text(0..<i), tail = text(j..<chars.count)
            // Tail alternatives must not reach back into the head: only split when the tail is a
            // single group or has no top-level '|'.
            guard topLevelBranches(tail).count == 1, topLevelBranches(head).count == 1 else { return nil }
            return GapSplit(head: head, tail: tail, maxChars: maxChars, forbidden: forbidden.sorted())
        }
        return nil
    }

    /// The index of the `]` closing the class opened at `open`.
    static func classEnd(_ chars: [Unicode.Scalar], from open: Int) -> Int? {
        var i = open + 1
        if i < chars.count, chars[i] == "^" { i += 1 }
        if i < chars.count, chars[i] == "]" { i += 1 }
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "]" { return i }
            i += 1
        }
        return nil
    }

    /// The index of the `)` closing the group opened at `open`, skipping classes and escapes.
    static func closingParen(_ chars: [Unicode.Scalar], from open: Int) -> Int? {
        var depth = 0
        var inClass = false
        var i = open
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
                if i + 1 < chars.count, chars[i + 1] == "]" { i += 1 }   // a leading ] is literal
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
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
