/// Literal strings a regex cannot match without (YARA calls them atoms). The automaton looks
/// for them in its one pass; a regex whose atoms are all absent from a text is not run on it.
///
/// The analysis is deliberately simple and errs on the safe side: anything it does not
/// understand counts as "could be anything", which only makes the filter weaker, never wrong.
enum RegexAtoms {
    /// Atom sets more likely than this to occur at a position make a regex "slow" for lint.
    static let slowCost = 0.05

    /// A set of literals of which any match must contain at least one; nil when no such set is known.
    static func required(_ pattern: String) -> [String]? {
        analyze(pattern).required
    }

    /// The analyses from one parse of the pattern. `maxBytes`: the most UTF-8 bytes a match
    /// can span (see `Node.maxBytes`), nil when unbounded.
    static func analyze(_ pattern: String) -> (required: [String]?, prefixes: [String]?, maxBytes: Int?) {
        var parser = Parser(chars: Array(pattern.unicodeScalars))
        let tree = parser.alternation()
        guard parser.i == parser.chars.count else { return (nil, nil, nil) }
        func clean(_ set: [String]?) -> [String]? {
            guard let set, !set.isEmpty, set.allSatisfy({ !$0.isEmpty }) else { return nil }
            return set.sorted()
        }
        return (clean(tree.required), clean(tree.prefixes), tree.maxBytes)
    }

    /// Literals that every match must *start* with, when the pattern begins with them (after
    /// zero-width assertions only). Such a regex need only be tried at their occurrences.
    static func prefixes(_ pattern: String) -> [String]? {
        analyze(pattern).prefixes
    }

    indirect enum Node {
        case literal(Unicode.Scalar)
        case other            // a class, a dot, an escape class: one unknown character
        case digit            // \d: after normalisation every decimal digit is one ASCII byte
        case zeroWidth        // anchors, \b, lookarounds
        case group([[Node]])  // alternation of concatenations
        case repeated(Node, min: Int, max: Int?)

        /// Literals of which any match must contain one (nil: unknown).
        var required: [String]? {
            switch self {
            case let .literal(c): return [String(c)]
            case .other, .digit, .zeroWidth: return nil
            case let .repeated(node, min, _): return min >= 1 ? node.required : nil
            case let .group(branches):
                var union: [String] = []
                for branch in branches {
                    guard let r = Node.concatRequired(branch) else { return nil }
                    union += r
                }
                return Array(Set(union))
            }
        }

        /// Literals every match of this node starts with (nil: unknown).
        var prefixes: [String]? {
            switch self {
            case let .literal(c): return [String(c)]
            case .other, .digit, .zeroWidth: return nil
            case let .repeated(node, min, _): return min >= 1 ? node.prefixes : nil
            case let .group(branches):
                var union: [String] = []
                for branch in branches {
                    guard let p = Node.concatPrefixes(branch) else { return nil }
                    union += p
                }
                return Array(Set(union))
            }
        }

        /// The most UTF-8 bytes a match of this node can span, nil when unbounded. An unbounded
        /// repeat of one character (`\d+`, `\w*`, `[a-z]+`) counts as at most `runCap`
        /// characters: that only sizes the windows searched around atoms, like `atomReach`.
        var maxBytes: Int? {
            switch self {
            case let .literal(c): return String(c).utf8.count
            case .other: return 4
            case .digit: return 1
            case .zeroWidth: return 0
            case let .group(branches):
                var most = 0
                for branch in branches {
                    var sum = 0
                    for item in branch {
                        guard let m = item.maxBytes else { return nil }
                        sum += m
                    }
                    most = Swift.max(most, sum)
                }
                return most
            case let .repeated(node, _, max):
                guard let each = node.maxBytes else { return nil }
                if let max { return each * max }
                switch node {
                case .literal, .other, .digit: return each * Node.runCap
                default: return nil
                }
            }
        }

        static let runCap = 32

        static func concatPrefixes(_ items: [Node]) -> [String]? {
            var rest = items[...]
            while let first = rest.first, case .zeroWidth = first { rest = rest.dropFirst() }
            guard let first = rest.first else { return nil }
            if case .literal = first {
                var run = ""
                for item in rest {
                    guard case let .literal(c) = item else { break }
                    run.unicodeScalars.append(c)
                }
                return [run]
            }
            return first.prefixes
        }

        /// The best candidate in a concatenation: a run of adjacent literals, or one required child.
        static func concatRequired(_ items: [Node]) -> [String]? {
            var candidates: [[String]] = []
            var run = ""
            for item in items {
                if case let .literal(c) = item { run.unicodeScalars.append(c); continue }
                if !run.isEmpty { candidates.append([run]); run = "" }
                if let r = item.required { candidates.append(r) }
            }
            if !run.isEmpty { candidates.append([run]) }
            // Prefer the candidate least likely to occur in ordinary text (first of equals).
            var best: (cost: Double, count: Int, set: [String])?
            for c in candidates {
                let key = (cost(c), c.count)
                if best.map({ key < ($0.cost, $0.count) }) ?? true { best = (key.0, key.1, c) }
            }
            return best?.set
        }

        /// A rough chance that one of the literals occurs at a given position of page text:
        /// letters are common, spaces more so, hyphens and full stops fairly common, `%` or `@` rare.
        static func cost(_ literals: [String]) -> Double {
            literals.reduce(0) { total, literal in
                total + literal.unicodeScalars.reduce(1.0) { p, c in
                    let each: Double
                    if c.isASCII {
                        if c == " " { each = 0.15 }
                        else if c.properties.isAlphabetic { each = 0.07 }
                        else if ("0"..."9").contains(c) { each = 0.05 }
                        else if "-.,:/()'\"".unicodeScalars.contains(c) { each = 0.02 }
                        else { each = 0.003 }
                    }
                    else if c == " " { each = 0.15 }
                    else if c.properties.isAlphabetic { each = c.isASCII ? 0.07 : 0.1 }
                    else if ("0"..."9").contains(c) { each = 0.05 }
                    else if "-.,:/()'\"".unicodeScalars.contains(c) { each = 0.02 }   // punctuation every text is full of
                    else if c.properties.generalCategory == .nonspacingMark || c.properties.generalCategory == .spacingMark { each = 0.3 }
                    else { each = 0.003 }
                    return p * each
                }
            }
        }
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0

        mutating func alternation() -> Node {
            var branches: [[Node]] = [concatenation()]
            while i < chars.count, chars[i] == "|" {
                i += 1
                branches.append(concatenation())
            }
            return .group(branches)
        }

        mutating func concatenation() -> [Node] {
            var items: [Node] = []
            while i < chars.count, chars[i] != "|", chars[i] != ")" {
                var node = atom()
                if let (min, max) = quantifier() { node = .repeated(node, min: min, max: max) }
                items.append(node)
            }
            return items
        }

        mutating func atom() -> Node {
            let c = chars[i]
            i += 1
            switch c {
            case "(":
                var lookaround = false
                if i < chars.count, chars[i] == "?" {
                    i += 1
                    if i < chars.count, chars[i] == "<", i + 1 < chars.count, "=!".unicodeScalars.contains(chars[i + 1]) { lookaround = true; i += 2 }
                    else if i < chars.count, "=!".unicodeScalars.contains(chars[i]) { lookaround = true; i += 1 }
                    else {
                        // (?: (?i) (?flags:...) (?<name>...)
                        while i < chars.count, chars[i] != ":", chars[i] != ")" , chars[i] != ">" { i += 1 }
                        if i < chars.count, chars[i] == ")" { i += 1; return .zeroWidth }
                        if i < chars.count { i += 1 }
                    }
                }
                let inner = alternation()
                if i < chars.count, chars[i] == ")" { i += 1 }
                return lookaround ? .zeroWidth : inner
            case "[":
                let start = i
                let negated = i < chars.count && chars[i] == "^"
                if negated { i += 1 }
                if i < chars.count, chars[i] == "]" { i += 1 }
                var depth = 1
                while i < chars.count, depth > 0 {
                    if chars[i] == "\\" { i += 2; continue }
                    if chars[i] == "[" { depth += 1 }
                    if chars[i] == "]" { depth -= 1 }
                    i += 1
                }
                // A short list of plain characters ([$৳₹]) is an alternation of one-character literals.
                let body = chars[start..<max(start, i - 1)]
                if !negated, depth == 0, (1...8).contains(body.count), !body.contains(where: { "\\-[]^&".unicodeScalars.contains($0) }) {
                    return .group(body.map { [.literal($0)] })
                }
                return .other
            case ".": return .other
            case "^", "$": return .zeroWidth
            case "\\":
                guard i < chars.count else { return .other }
                let e = chars[i]
                i += 1
                if "pPN".unicodeScalars.contains(e), i < chars.count, chars[i] == "{" {
                    while i < chars.count, chars[i] != "}" { i += 1 }
                    i += 1
                    return .other
                }
                if "bBAzZG".unicodeScalars.contains(e) { return .zeroWidth }
                if e == "d" { return .digit }
                if e.properties.isAlphabetic || e.properties.numericType != nil { return .other }   // \w \s \n \x… and back references
                return .literal(e)
            default:
                return .literal(c)
            }
        }

        /// Parses a quantifier after an atom; returns its minimum and maximum counts (nil: no maximum).
        mutating func quantifier() -> (Int, Int?)? {
            guard i < chars.count else { return nil }
            var min: Int
            var max: Int?
            switch chars[i] {
            case "*": min = 0; i += 1
            case "+": min = 1; i += 1
            case "?": min = 0; max = 1; i += 1
            case "{":
                guard let close = chars[i...].firstIndex(of: "}") else { return nil }
                var body = ""
                body.unicodeScalars.append(contentsOf: chars[(i + 1)..<close])
                let bounds = body.split(separator: ",", omittingEmptySubsequences: false)
                guard let first = bounds.first, let n = Int(first) else { return nil }
                min = n
                max = bounds.count == 1 ? n : Int(bounds[1])
                i = close + 1
            default: return nil
            }
            if i < chars.count, chars[i] == "?" || chars[i] == "+" { i += 1 }
            return (min, max)
        }
    }
}
