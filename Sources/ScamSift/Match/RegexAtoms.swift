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
    static func analyze(_ pattern: String) -> Analysis {
        var parser = Parser(chars: Array(pattern.unicodeScalars))
        let tree = parser.alternation()
        guard parser.i == parser.chars.count else { return Analysis() }
        func clean(_ set: [String]?) -> [String]? {
            guard let set, !set.isEmpty, set.allSatisfy({ !$0.isEmpty }) else { return nil }
            return Array(Set(set)).sorted()
        }
        let required = tree.requiredReach
        return Analysis(required: clean(required?.atoms), before: required?.before, after: required?.after,
                        prefixes: clean(tree.prefixes), maxBytes: tree.maxBytes,
                        minChars: parser.uncountable ? 0 : tree.minChars)
    }

    struct Analysis {
        var required: [String]?
        /// How far a match can extend before and after an occurrence of a required literal (nil: unbounded).
        var before: Int?
        var after: Int?
        var prefixes: [String]?
        /// The most bytes a match can span (nil: unbounded).
        var maxBytes: Int?
        /// The fewest characters a match can span (0 when not understood).
        var minChars = 0
    }

    /// Literals that every match must *start* with, when the pattern begins with them (after
    /// zero-width assertions only). Such a regex need only be tried at their occurrences.
    static func prefixes(_ pattern: String) -> [String]? {
        analyze(pattern).prefixes
    }

    indirect enum Node {
        case literal(Unicode.Scalar)
        case other            // a class, a dot, an escape class: one unknown character
        case asciiChar        // \d, \s, [a-z0-9]: one byte, since normalised text has only ASCII digits and spaces
        case zeroWidth        // anchors, \b, lookarounds
        case group([[Node]], size: Int?)  // alternation of concatenations; size: its maxBytes, computed once
        case repeated(Node, min: Int, max: Int?, size: Int?)

        static func group(_ branches: [[Node]]) -> Node {
            var most: Int? = 0
            for branch in branches {
                most = maxOf(most, span(branch[...]))
            }
            return .group(branches, size: most)
        }

        static func repeated(_ node: Node, min: Int, max: Int?) -> Node {
            var size: Int?
            if let each = node.maxBytes {
                // Unbounded: a run of one character counts as runCap characters, a repeated
                // group (the ",000" of a number) as two rounds, and at least 64 bytes.
                size = max.map { each * $0 } ?? (node.isOneCharacter ? each * Node.runCap : Swift.max(64, 2 * each))
            }
            return .repeated(node, min: min, max: max, size: size)
        }

        /// Literals of which any match must contain one (nil: unknown).
        var required: [String]? { requiredReach.map { Array(Set($0.atoms)) } }

        /// Required literals, with how far a match can extend before an occurrence of one
        /// (`before`, bytes from the match start to the literal's start) and after it (`after`,
        /// bytes from the literal's end to the match end); nil distances are unbounded.
        struct Required {
            var atoms: [String]
            var before: Int?
            var after: Int?
        }

        var requiredReach: Required? {
            switch self {
            case let .literal(c): return Required(atoms: [String(c)], before: 0, after: 0)
            case .other, .asciiChar, .zeroWidth: return nil
            case let .repeated(node, min, _, _):
                guard min >= 1, let r = node.requiredReach else { return nil }
                // The occurrence found may lie in any repetition; the others can come before or after it.
                // The other repetitions span at most what the whole repeat can, less this one.
                let others = self.maxBytes.flatMap { whole in node.maxBytes.map { Swift.max(0, whole - $0) } }
                return Required(atoms: r.atoms, before: Node.add(r.before, others), after: Node.add(r.after, others))
            case let .group(branches, _):
                var union = Required(atoms: [], before: 0, after: 0)
                for branch in branches {
                    guard let r = Node.concatRequired(branch) else { return nil }
                    union.atoms += r.atoms
                    union.before = Node.maxOf(union.before, r.before)
                    union.after = Node.maxOf(union.after, r.after)
                }
                return union
            }
        }

        var isOneCharacter: Bool {
            switch self {
            case .literal, .other, .asciiChar: return true
            default: return false
            }
        }

        static func add(_ a: Int?, _ b: Int?) -> Int? { a.flatMap { x in b.map { x + $0 } } }
        static func maxOf(_ a: Int?, _ b: Int?) -> Int? { a.flatMap { x in b.map { Swift.max(x, $0) } } }

        /// The most bytes a run of items can span, nil when unbounded.
        static func span(_ items: ArraySlice<Node>) -> Int? {
            var sum = 0
            for item in items {
                guard let m = item.maxBytes else { return nil }
                sum += m
            }
            return sum
        }

        /// Literals every match of this node starts with (nil: unknown).
        var prefixes: [String]? {
            switch self {
            case let .literal(c): return [String(c)]
            case .other, .asciiChar, .zeroWidth: return nil
            case let .repeated(node, min, _, _): return min >= 1 ? node.prefixes : nil
            case let .group(branches, _):
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
        /// characters, and of a group as two rounds: that only sizes the windows searched
        /// around atoms, like `atomReach`.
        var maxBytes: Int? {
            switch self {
            case let .literal(c): return String(c).utf8.count
            case .other: return 4
            case .asciiChar: return 1
            case .zeroWidth: return 0
            case let .group(_, size): return size
            case let .repeated(_, _, _, size): return size
            }
        }

        static let runCap = 32

        /// The fewest characters a match of this node spans: every character of the text is at
        /// least one byte, so it is also a lower bound in bytes, whatever case folding does.
        var minChars: Int {
            switch self {
            case .literal, .other, .asciiChar: return 1
            case .zeroWidth: return 0
            case let .group(branches, _):
                return branches.map { $0.reduce(0) { $0 + $1.minChars } }.min() ?? 0
            case let .repeated(node, min, _, _): return min * node.minChars
            }
        }

        /// Most literals a run may be extended into by the group after it (see `extended`).
        static let extensionCap = 256

        /// A run of literals followed directly by a group whose every match starts with one of
        /// a few literals, as those literals with the run before each: every match of the two
        /// starts with one of them. A concept's phrases reach a regex as a prefix tree
        /// (`pa(?:y|yout)`), which splits words at every fork; joined again, the atoms are
        /// whole words ("payout") instead of the pieces after a fork ("out", "ong"), which
        /// occur inside half the words of a page.
        static func extended(_ run: String, by next: Node?) -> [String]? {
            guard !run.isEmpty, let next, case .group = next, let tails = next.prefixes, tails.count <= extensionCap else { return nil }
            let joined = tails.map { run + $0 }
            // Atoms are looked for in normalised text: a join that normalisation would change
            // (a vowel sign that composes with the letter before the fork) is not made.
            guard joined.allSatisfy({ TextNormalizer.normalize($0) == Array($0.utf8) }) else { return nil }
            return joined
        }

        static func concatPrefixes(_ items: [Node]) -> [String]? {
            var rest = items[...]
            while let first = rest.first, case .zeroWidth = first { rest = rest.dropFirst() }
            guard let first = rest.first else { return nil }
            if case .literal = first {
                var run = ""
                var after: Node?
                for item in rest {
                    guard case let .literal(c) = item else { after = item; break }
                    run.unicodeScalars.append(c)
                }
                return extended(run, by: after) ?? [run]
            }
            return first.prefixes
        }

        /// The best candidate in a concatenation: a run of adjacent literals, or one required child.
        static func concatRequired(_ items: [Node]) -> Required? {
            var candidates: [Required] = []
            var run = ""
            var runStart = 0
            func closeRun(at end: Int) {
                guard !run.isEmpty else { return }
                candidates.append(Required(atoms: [run], before: span(items[..<runStart]), after: span(items[end...])))
                run = ""
            }
            for (k, item) in items.enumerated() {
                if case let .literal(c) = item {
                    if run.isEmpty { runStart = k }
                    run.unicodeScalars.append(c)
                    continue
                }
                // The run joined to the group after it: it ends inside that group, so the
                // whole group counts towards how far a match reaches after it.
                if let joined = extended(run, by: item) {
                    candidates.append(Required(atoms: joined, before: span(items[..<runStart]), after: span(items[k...])))
                }
                closeRun(at: k)
                if let r = item.requiredReach {
                    candidates.append(Required(atoms: r.atoms, before: add(span(items[..<k]), r.before),
                                               after: add(r.after, span(items[(k + 1)...]))))
                }
            }
            closeRun(at: items.count)
            // Prefer the candidate least likely to occur in ordinary text (first of equals).
            var best: (cost: Double, count: Int, found: Required)?
            for c in candidates {
                let key = (cost(c.atoms), c.atoms.count)
                if best.map({ key < ($0.cost, $0.count) }) ?? true { best = (key.0, key.1, c) }
            }
            return best?.found
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
                        else if "-.,:/()'\"".unicodeScalars.contains(c) { each = 0.02 }   // punctuation every text is full of
                        else { each = 0.003 }
                    }
                    else if c.properties.isAlphabetic { each = 0.1 }
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
        /// Set when `Node.minChars` cannot be counted on: back references (which may match
        /// nothing, or much), `\Q…\E` quoting, or a case-insensitive flag (full case folding can
        /// match two pattern characters to one of the text).
        var uncountable = false

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
                        let flags = i
                        while i < chars.count, chars[i] != ":", chars[i] != ")" , chars[i] != ">" { i += 1 }
                        if flags < i, chars[flags] != "<", chars[flags..<i].contains("i") { uncountable = true }
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
                // A class of ASCII characters and digit/space escapes matches one byte of normalised text.
                var asciiOnly = !negated && depth == 0
                var k = body.startIndex
                while asciiOnly, k < body.endIndex {
                    if body[k] == "\\", k + 1 < body.endIndex {
                        asciiOnly = "dsnt-.\\/$^[]".unicodeScalars.contains(body[k + 1])
                        k += 2
                        continue
                    }
                    asciiOnly = body[k].isASCII
                    k += 1
                }
                return asciiOnly ? .asciiChar : .other
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
                // One character written as a code (\x41, \x{41}, \u0041, \U00000041, \cA, \0101):
                // the code is part of the escape, not literals after it.
                func skip(_ most: Int, _ allowed: (Unicode.Scalar) -> Bool) {
                    var n = 0
                    while n < most, i < chars.count, allowed(chars[i]) { i += 1; n += 1 }
                }
                let hex: (Unicode.Scalar) -> Bool = { $0.properties.isASCIIHexDigit }
                switch e {
                case "x":
                    if i < chars.count, chars[i] == "{" {
                        while i < chars.count, chars[i] != "}" { i += 1 }
                        i += 1
                    } else {
                        skip(2, hex)
                    }
                    return .other
                case "u": skip(4, hex); return .other
                case "U": skip(8, hex); return .other
                case "c": skip(1) { _ in true }; return .other
                case "0": skip(3) { ("0"..."7").contains($0) }; return .other
                case "1"..."9", "k", "Q": uncountable = true
                default: break
                }
                if e == "d" || e == "s" { return .asciiChar }
                if e.properties.isAlphabetic || e.properties.numericType != nil { return .other }   // \w \S \n \x… and back references
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
