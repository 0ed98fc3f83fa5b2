/// How a rule's regex is run, decided once when rules are compiled and used again by lint, so
/// the slow-pattern warning judges exactly what scanning will do.
///
/// The pattern is cut into parts: one per top-level alternative, and one per alternative of a
/// group the pattern starts with. Each part waits for its atoms (literals found in the
/// automaton's pass) and is tried only at them when every match starts with one
/// (`anchored`), or searched only in windows around them otherwise.
struct RegexPlan {
    struct Part {
        /// The part's pattern, macros expanded.
        let pattern: String
        /// Literals the part cannot match without (nil: none known; it runs everywhere).
        let atoms: [String]?
        let anchored: Bool
        /// How far a match can reach before an atom's start and after its end, in bytes, capped
        /// at `RuleEvaluator.atomReach`: the windows searched around atoms.
        let before: Int
        let after: Int
        /// The part cut at a lazy gap (`X[\s\S]{0,N}?Y`), run as head then tail; nil: run whole.
        let split: RegexCheck.GapSplit?
        /// The most bytes a tail match can span (capped like the windows).
        let tailReach: Int
        /// Literals every tail match contains (nil: none known): a head is followed by a tail
        /// search only when one of them occurs within the gap and the tail's reach after it.
        let tailAtoms: [String]?
        /// What a tail match can consume, and the fewest characters it spans (nil, 0: not
        /// known): a tail atom whose run of such characters is shorter is in no tail match.
        let tailCharset: RegexCharset?
        let tailMinChars: Int
        /// What the searched pattern (the head, when split) can consume: windows stop at the
        /// first character outside it. Nil: anything, so windows keep their full reach.
        let charset: RegexCharset?
        /// The fewest characters a match of the searched pattern (the head, when split) spans
        /// (0: unknown). A window shorter than this holds no match; a part that runs everywhere
        /// (no atoms) is searched only in runs of its charset at least this long.
        let minChars: Int

        /// Whether this part makes scanning slow: no atoms, or atoms common enough to occur
        /// almost everywhere.
        var isSlow: Bool { atoms.map { RegexAtoms.Node.cost($0) > RegexAtoms.slowCost } ?? true }
    }

    let parts: [Part]

    init(_ pattern: String) {
        var parts: [Part] = []
        for branch in RegexCheck.topLevelBranches(RegexCheck.expand(pattern)).flatMap({ RegexCheck.distributeLeadingGroup($0) }) {
            // Atoms are looked for in normalised text, so only literals normalisation leaves alone
            // qualify. Normalisation drops spaces at the ends of a string, so those are cut first:
            // a required literal's middle is required too, and a prefix's start stays its start.
            // Returns the literals and the most bytes cut from any of them.
            func usable(_ list: [String]?, trimStart: Bool) -> (atoms: [String], trimmed: Int)? {
                guard let list else { return nil }
                var out: [String] = []
                var trimmed = 0
                for literal in list {
                    var s = Substring(literal)
                    while s.last == " " { s = s.dropLast() }
                    while trimStart, s.first == " " { s = s.dropFirst() }
                    guard !s.isEmpty, TextNormalizer.normalize(String(s)) == Array(s.utf8) else { return nil }
                    trimmed = max(trimmed, literal.utf8.count - s.utf8.count)
                    out.append(String(s))
                }
                return (Array(Set(out)).sorted(), trimmed)
            }
            // A part with a lazy gap runs as head then tail, and only the head is looked for
            // near atoms: so atoms and windows come from the head, when it has usable atoms.
            var split = RegexCheck.splitAtLazyGap(branch)
            var analysis = RegexAtoms.analyze(branch)
            if let s = split {
                let head = RegexAtoms.analyze(s.head)
                if let atoms = usable(head.required, trimStart: true)?.atoms, RegexAtoms.Node.cost(atoms) <= RegexAtoms.slowCost { analysis = head } else { split = nil }
            }
            // Prefer literals the match must start with, when they are about as rare as the
            // best required ones: then the regex is tried only at those exact offsets.
            let required = usable(analysis.required, trimStart: true)
            let prefixes = usable(analysis.prefixes, trimStart: false)
            let anchored = prefixes.map { p in RegexAtoms.Node.cost(p.atoms) <= max(0.002, 4 * (required.map { RegexAtoms.Node.cost($0.atoms) } ?? 1)) } ?? false
            let chosen = anchored ? prefixes : required
            // A match spans at most maxBytes, and reaches at most before/after from its atom;
            // trimmed spaces move the atom inwards by as much.
            let trimmed = chosen?.trimmed ?? 0
            func cap(_ side: Int?) -> Int {
                min(RuleEvaluator.atomReach, (side.map { $0 + trimmed }) ?? RuleEvaluator.atomReach, analysis.maxBytes ?? RuleEvaluator.atomReach)
            }
            let tail = split.map { RegexAtoms.analyze($0.tail) }
            let tailReach = tail.map { min(RuleEvaluator.atomReach, $0.maxBytes ?? RuleEvaluator.atomReach) } ?? 0
            let tailAtoms = usable(tail?.required, trimStart: true)?.atoms
            let tailCharset = split.map { RegexCharset(pattern: $0.tail) }.flatMap { $0.allowsEverything ? nil : $0 }
            // Windows (not anchored starts) stop where the searched pattern cannot match.
            var charset: RegexCharset?
            if !anchored {
                let consumed = RegexCharset(pattern: split?.head ?? branch)
                if !consumed.allowsEverything { charset = consumed }
            }
            parts.append(Part(pattern: branch, atoms: chosen?.atoms, anchored: anchored,
                              before: cap(analysis.before), after: cap(analysis.after), split: split, tailReach: tailReach, tailAtoms: tailAtoms,
                              tailCharset: tailCharset, tailMinChars: tail?.minChars ?? 0, charset: charset,
                              minChars: analysis.minChars))
        }
        self.parts = parts
    }
}
