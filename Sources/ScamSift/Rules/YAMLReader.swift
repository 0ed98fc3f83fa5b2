import Foundation
import Yams

/// Reads a composed YAML tree with positions, collecting every problem instead of stopping
/// at the first, and refusing trees that aliases blow up ("billion laughs").
struct YAMLReader {
    let file: String
    /// Skips the checks that only lint needs (regex and XPath compilation, slow-pattern and
    /// phrase-length warnings). Used for the built-in rules, which the test suite lints in full,
    /// so start-up does not pay for them.
    var trusted = false
    private(set) var problems: [RuleFileError] = []
    private var nodesVisited = 0
    private(set) var exhausted = false

    /// More nodes than any honest rules file has; aliases that expand past it are refused.
    static let nodeBudget = 200_000

    init(file: String) { self.file = file }

    func location(_ node: Node?) -> SourceLocation {
        let mark = node?.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func error(_ node: Node?, _ message: String) {
        problems.append(RuleFileError(location(node), message))
    }

    mutating func warning(_ node: Node?, _ message: String) {
        problems.append(RuleFileError(location(node), message, severity: .warning))
    }

    /// Counts a visit; false once the budget is spent (reported once).
    mutating func visit(_ node: Node) -> Bool {
        nodesVisited += 1
        if nodesVisited > Self.nodeBudget {
            if !exhausted {
                exhausted = true
                error(node, "the YAML expands to more than \(Self.nodeBudget) nodes (aliases nested too deep?); refusing it")
            }
            return false
        }
        return true
    }

    /// Walks the whole tree once, aliases expanded, and refuses it past the node budget.
    /// Aliases share storage in Yams, so a "billion laughs" file is small in memory until
    /// something walks it; this walk stops as soon as the budget is spent.
    mutating func checkExpansion(_ root: Node) -> Bool {
        var stack: [Node] = [root]
        var count = 0
        while let node = stack.popLast() {
            count += 1
            if count > Self.nodeBudget {
                error(node, "the YAML expands to more than \(Self.nodeBudget) nodes (aliases nested too deep?); refusing it")
                return false
            }
            switch node {
            case let .mapping(m): for (k, v) in m { stack.append(k); stack.append(v) }
            case let .sequence(s): stack.append(contentsOf: s)
            default: break
            }
        }
        return true
    }

    /// The entries of a mapping, with unknown keys reported (with a suggestion) and skipped.
    mutating func mapping(_ node: Node, what: String, known: [String]) -> [(key: String, keyNode: Node, value: Node)]? {
        guard visit(node) else { return nil }
        guard case let .mapping(map) = node else {
            error(node, "\(what) must be a mapping (key: value), not \(describe(node))")
            return nil
        }
        var entries: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (k, v) in map {
            guard visit(k) else { return nil }
            guard let key = k.scalar?.string else {
                error(k, "\(what) has a key that is not a plain name")
                continue
            }
            if !known.contains(key) {
                error(k, "unknown key '\(key)' in \(what)" + Suggest.didYouMean(key, among: known))
                continue
            }
            if !seen.insert(key).inserted {
                error(k, "duplicate key '\(key)' in \(what)")
                continue
            }
            entries.append((key, k, v))
        }
        return entries
    }

    mutating func string(_ node: Node, what: String) -> String? {
        guard visit(node) else { return nil }
        guard let scalar = node.scalar, !Self.isNull(node) else {
            error(node, "\(what) must be text, not \(describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node, what: String) -> Int? {
        guard visit(node) else { return nil }
        guard let scalar = node.scalar, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            error(node, "\(what) must be a whole number, not \(describe(node))")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, what: String) -> Bool? {
        guard visit(node) else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error(node, "\(what) must be true or false, not \(describe(node))")
            return nil
        }
    }

    /// A list of texts; a single text is taken as a list of one.
    mutating func strings(_ node: Node, what: String) -> [(String, Node)]? {
        guard visit(node) else { return nil }
        switch node {
        case .scalar:
            return string(node, what: what).map { [($0, node)] }
        case let .sequence(seq):
            var out: [(String, Node)] = []
            for item in seq {
                if let s = string(item, what: "each entry of \(what)") { out.append((s, item)) }
                if exhausted { return nil }
            }
            return out
        default:
            error(node, "\(what) must be a list of texts, not \(describe(node))")
            return nil
        }
    }

    mutating func sequence(_ node: Node, what: String) -> [Node]? {
        guard visit(node) else { return nil }
        guard case let .sequence(seq) = node else {
            error(node, "\(what) must be a list, not \(describe(node))")
            return nil
        }
        return Array(seq)
    }

    /// YAML's null, read without a tag resolver: an empty, `~` or `null` plain scalar.
    static func isNull(_ node: Node) -> Bool {
        guard case let .scalar(s) = node else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(s):
            if Self.isNull(node) { return "nothing" }
            let shown = s.string.count > 30 ? String(s.string.prefix(30)) + "…" : s.string
            return "'\(shown)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// "did you mean" suggestions for misspelt keys and ids.
enum Suggest {
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        guard let best = closest(word, among: candidates) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    static func closest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= max(2, $0.0.count / 3) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return scored.first?.0
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = previous
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
