/// `scamsift rules show`: one rule in full, as a person reads it.
public enum RuleDescriber {
    public static func describe(_ rule: CompiledRule) -> String {
        let s = rule.spec
        var lines: [String] = []
        lines.append("id:          \(s.id)\(s.isHelper ? "  (helper: never scored)" : "")")
        lines.append("category:    \(s.category)")
        // English first, then every other language it is written in.
        let languages = s.descriptions.languages.filter { $0 == "en" } + s.descriptions.languages.filter { $0 != "en" }
        for (i, code) in languages.enumerated() {
            lines.append((i == 0 ? "description: " : "             ") + "\(code): \(s.descriptions.text(for: code))")
        }
        lines.append("weight:      \(s.weight)" + (rule.overriddenBy.map { "  (overridden by \($0))" } ?? ""))
        if let p = s.perHit { lines.append("per_hit:     \(p) (up to \(s.maxHits ?? 3) hits)") }
        lines.append("defined in:  \(s.location)")
        if let d = rule.disabledBy { lines.append("disabled by: \(d)") }
        lines.append("target:      \(s.targets.map(\.description).joined(separator: ", "))")
        switch s.matcher {
        case let .phrases(list): lines.append("phrases:     " + list.map(\.text).joined(separator: " | "))
        case let .regex(p, _):
            lines.append("regex:       \(p)")
            // How it runs: each part waits for literals the automaton finds, and is tried
            // only at them (anchored) or near them; a part without any runs on every page.
            if case let .regex(parts) = rule.kind {
                for (n, part) in parts.enumerated() {
                    let how: String
                    if let atoms = part.atoms {
                        let list = atoms.map { "'\($0)'" }.joined(separator: " | ")
                        how = part.anchored ? "tried at " + list : "searched near " + list
                    } else if part.charset != nil, part.minChars >= RuleEvaluator.runSearchMinimum {
                        how = "searched in runs of \(part.minChars) or more characters it can match, on every page"
                    } else {
                        how = "searched everywhere, on every page (slow)"
                    }
                    var joined = part.joined.map { "; head, then tail within \($0.gap.maxChars) characters" } ?? ""
                    if let tail = part.tailAtoms { joined += " where " + tail.map { "'\($0)'" }.joined(separator: " | ") + " follows" }
                    let cut = part.charset == nil || part.anchored || !part.filtered ? "" : "; windows end at characters it cannot match"
                    lines.append((n == 0 ? "runs as:     " : "             ") + "part \(n + 1) of \(parts.count): " + how + cut + joined)
                }
            }
        case let .near(a, b, within, sentence):
            lines.append("near:        within \(within) words" + (sentence ? ", in one sentence" : ""))
            lines.append("  a:         " + a.map(\.text).joined(separator: " | "))
            lines.append("  b:         " + b.map(\.text).joined(separator: " | "))
        case let .xpath(e, n, _): lines.append("xpath:       \(e)  (at least \(n) nodes)")
        case let .all(r): lines.append("all of:      " + r.map(\.name).joined(separator: ", "))
        case let .any(r): lines.append("any of:      " + r.map(\.name).joined(separator: ", "))
        case let .not(r): lines.append("not:         \(r.name)")
        case let .nOf(n, r): lines.append("\(n) of:        " + r.map(\.name).joined(separator: ", "))
        case let .offer(c, _): lines.append("offer:       " + c.summary)
        }
        if let n = s.negation {
            lines.append("negated by:  within \(n.within) words")
            if !n.before.isEmpty { lines.append("  before:    " + n.before.map(\.text).joined(separator: " | ")) }
            if !n.after.isEmpty { lines.append("  after:     " + n.after.map(\.text).joined(separator: " | ")) }
            if !n.sentence.isEmpty { lines.append("  sentence:  " + n.sentence.map(\.text).joined(separator: " | ")) }
            if !n.sentenceBefore.isEmpty { lines.append("  sentence_before: " + n.sentenceBefore.map(\.text).joined(separator: " | ")) }
            if !n.quoted.isEmpty { lines.append("  quoted:    " + n.quoted.map(\.text).joined(separator: " | ")) }
        }
        if !s.unless.isEmpty { lines.append("unless:      " + s.unless.map(\.name).joined(separator: ", ")) }
        if !s.outside.isEmpty { lines.append("outside:     " + s.outside.map(\.name).joined(separator: ", ") + " (hits in their warning sections do not count)") }
        switch s.opensSection {
        case .headingsAndQuestions: lines.append("opens:       a warning section (hits count only in a heading or a question)")
        case .headings: lines.append("opens:       a warning section (hits count only in a heading that asks nothing)")
        case nil: break
        }
        lines.append("examples:")
        for h in s.examples.hit { lines.append("  hit:  \(h)") }
        for m in s.examples.miss { lines.append("  miss: \(m)") }
        return lines.map(TerminalSafe.clean).joined(separator: "\n") + "\n"
    }
}
