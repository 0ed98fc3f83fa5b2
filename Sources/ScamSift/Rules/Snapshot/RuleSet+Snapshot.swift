// The compiled rule set in the snapshot's binary form (see `SnapshotCodable`). Types with
// private storage (the automaton, regex charsets, the concept table) write themselves in their
// own files.

extension RuleSet {
    // A snapshot holds two parts, read on two threads at once: the automata (most of the bytes)
    // and everything else.

    func writeAutomata(to w: inout SnapshotWriter) {
        w.write(automaton)
        w.write(sideAutomaton)
        w.write(languageDetector)
        // Built now if no page has needed it yet: a run from the snapshot does not build it.
        w.write(offerVocabulary.built)
    }

    static func readAutomata(from r: inout SnapshotReader) throws -> Automata {
        Automata(rules: try r.read(), side: try r.read(), language: try r.read(), offers: try r.read())
    }

    /// The automata part of a snapshot.
    struct Automata {
        var rules: AhoCorasick
        var side: AhoCorasick
        var language: LanguageDetector
        var offers: OfferVocabulary.Built
    }

    func writeRules(to w: inout SnapshotWriter) {
        w.array(rules)
        w.write(cutoffs)
        w.optional(cutoffsSource)
        w.int(textModelWeight ?? -1)
        w.optional(textModelWeightSource)
        w.optional(Optional(version))
        w.array(warnings)
        w.array(pageTests)
        w.array(xpaths)
        w.write(concepts)
        w.int(scanned.count)
        for ((target, uses), onSide) in zip(scanned, scannedOnSide) {
            w.write(target)
            w.write(uses)
            w.bool(onSide)
        }
        w.int(offerPatternBase)
        w.array(slotBase)
        w.int(slotCount)
        w.integers(negationSlots)
        w.array(evaluationOrder)
        w.integers(gateStart)
        w.integers(gateSlots)
    }

    /// The rules half of a snapshot, read while another thread reads the automata: it holds
    /// empty automata until `init(_:automata:)` joins the halves. (The stand-in vocabulary is
    /// made empty: built from an empty concept table, it still read every currency marker into
    /// an automaton at each start, only to be thrown away.)
    init(rulesFrom r: inout SnapshotReader) throws {
        try self.init(rulesFrom: &r, automaton: AhoCorasick(patterns: []), languageDetector: LanguageDetector(table: ConceptTable()),
                      offerVocabulary: OfferVocabulary(concepts: ConceptTable(), built: .empty), check: false)
    }

    /// The two halves of a snapshot joined, and checked to fit together.
    init(_ rest: RuleSet, automata: Automata) throws {
        rules = rest.rules
        ruleIDs = rest.ruleIDs
        cutoffs = rest.cutoffs
        cutoffsSource = rest.cutoffsSource
        textModelWeight = rest.textModelWeight
        textModelWeightSource = rest.textModelWeightSource
        version = rest.version
        warnings = rest.warnings
        pageTests = rest.pageTests
        xpaths = rest.xpaths
        concepts = rest.concepts
        languageDetector = automata.language
        automaton = automata.rules
        sideAutomaton = automata.side
        offerPatternBase = rest.offerPatternBase
        stopwordPatternBase = rest.offerPatternBase + automata.offers.automaton.patternCount
        offerVocabulary = OfferVocabulary(concepts: rest.concepts, built: automata.offers)
        scanned = rest.scanned
        scannedTargets = rest.scannedTargets
        scannedOnSide = rest.scannedOnSide
        slotBase = rest.slotBase
        slotCount = rest.slotCount
        negationSlots = rest.negationSlots
        evaluationOrder = rest.evaluationOrder
        gateStart = rest.gateStart
        gateSlots = rest.gateSlots
        index = rest.index
        keepsSpans = rest.keepsSpans
        helperReaders = rest.helperReaders
        try checkConsistency()
    }

    private init(rulesFrom r: inout SnapshotReader, automaton: AhoCorasick, languageDetector: LanguageDetector,
                 offerVocabulary: OfferVocabulary, check: Bool) throws {
        rules = try r.array()
        ruleIDs = rules.map(\.id)
        cutoffs = try r.read()
        cutoffsSource = try r.optional()
        let weight = try r.int()
        textModelWeight = weight >= 0 ? weight : nil
        textModelWeightSource = try r.optional()
        version = try r.optional() ?? ""
        warnings = try r.array()
        pageTests = try r.array()
        xpaths = try r.array()
        concepts = try r.read()
        self.languageDetector = languageDetector
        self.automaton = automaton
        sideAutomaton = AhoCorasick(patterns: [])
        self.offerVocabulary = offerVocabulary
        var scanned: [(target: RuleTarget, uses: PatternUseTable)] = [], onSide: [Bool] = []
        for _ in 0..<(try r.int()) {
            scanned.append((try r.read(), try r.read()))
            onSide.append(try r.bool())
        }
        self.scanned = scanned
        scannedOnSide = onSide
        scannedTargets = scanned.map(\.target)
        offerPatternBase = try r.int()
        stopwordPatternBase = offerPatternBase + offerVocabulary.built.automaton.patternCount
        slotBase = try r.array()
        slotCount = try r.int()
        negationSlots = try r.integers()
        evaluationOrder = try r.array()
        gateStart = try r.integers()
        gateSlots = try r.integers()
        var index: [String: Int] = [:]
        for (i, rule) in rules.enumerated() { index[rule.id] = i }
        self.index = index
        keepsSpans = Self.partsOfNOf(self.rules)
        helperReaders = HelperReaders(rules, order: evaluationOrder)
        if check { try checkConsistency() }
    }

    /// A snapshot that decodes but does not fit together (a bug, or bytes changed on disk) must
    /// be refused, not trusted: indexes into these tables are not bounds-checked when matching.
    private func checkConsistency() throws {
        let n = rules.count
        func check(_ ok: Bool) throws { if !ok { throw SnapshotReader.Malformed(offset: -1) } }
        try check(slotBase.count == n && gateStart.count == n + 1 && evaluationOrder.count == n)
        try check(negationSlots.count == n * PatternUse.Role.negations.count && negationSlots.allSatisfy { $0 >= -1 && Int($0) < slotCount })
        try check(offerPatternBase >= 0 && stopwordPatternBase - offerPatternBase == offerVocabulary.built.automaton.patternCount)
        try check(automaton.patternCount - stopwordPatternBase == languageDetector.scannedPatterns.count)
        // The side automaton reports rule patterns only, and never for the texts that read
        // offers and stopwords (their handling assumes the main automaton's ids).
        try check(scannedOnSide.count == scanned.count && sideAutomaton.idLimit <= offerPatternBase)
        try check(zip(scannedTargets, scannedOnSide).allSatisfy { !$1 || ($0 != .text && $0 != .hidden) })
        try check(Set(evaluationOrder) == Set(0..<n))
        try check(gateSlots.allSatisfy { $0 >= 0 && Int($0) < slotCount })
        try check(gateStart.first == 0 && gateStart.last == Int32(gateSlots.count) && zip(gateStart, gateStart.dropFirst()).allSatisfy { $0 <= $1 })
        for (_, table) in scanned {
            try check(table.starts.count == automaton.patternCount + 1 && table.starts.last == Int32(table.uses.count))
            try check(table.uses.allSatisfy { $0.slot >= 0 && Int($0.slot) < slotCount })
        }
        for rule in rules {
            switch rule.kind {
            case let .all(refs), let .any(refs), let .nOf(_, refs): try check(refs.allSatisfy { $0 >= 0 && $0 < n })
            case let .not(i): try check(i >= 0 && i < n)
            case let .xpath(i, _): try check(i >= 0 && i < xpaths.count)
            default: break
            }
            try check(rule.unless.allSatisfy { $0 >= 0 && $0 < n })
            try check(rule.outside.allSatisfy { $0 >= 0 && $0 < n })
        }
    }
}

extension CompiledRule: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.write(spec)
        w.write(kind)
        w.array(unless)
        w.array(outside)
        w.optional(overriddenBy)
        w.optional(disabledBy)
        // Sorted, so that the same rule set always makes the same bytes.
        let pairs = targetXPaths.sorted { RuleTarget.precedes($0.key, $1.key) }
        w.int(pairs.count)
        for (target, i) in pairs {
            w.write(target)
            w.int(i)
        }
        w.int(writtenWeight)
    }

    convenience init(from r: inout SnapshotReader) throws {
        let spec = try r.read(RuleSpec.self)
        let kind = try r.read(Kind.self)
        let unless = try r.array(Int.self)
        let outside = try r.array(Int.self)
        let overriddenBy = try r.optional(String.self)
        let disabledBy = try r.optional(String.self)
        var targetXPaths: [RuleTarget: Int] = [:]
        for _ in 0..<(try r.int()) { targetXPaths[try r.read()] = try r.int() }
        self.init(spec: spec, kind: kind, unless: unless, outside: outside, overriddenBy: overriddenBy, disabledBy: disabledBy, targetXPaths: targetXPaths,
                  writtenWeight: try r.int())
    }
}

extension CompiledRule.Kind: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        switch self {
        case .phrases: w.raw(UInt8(0))
        case let .near(within, sentence): w.raw(UInt8(1)); w.int(within); w.raw(UInt8(sentence ? 1 : 0))
        case let .regex(parts): w.raw(UInt8(2)); w.array(parts)
        case let .xpath(index, minCount): w.raw(UInt8(3)); w.int(index); w.int(minCount)
        case let .all(refs): w.raw(UInt8(4)); w.array(refs)
        case let .any(refs): w.raw(UInt8(5)); w.array(refs)
        case let .not(ref): w.raw(UInt8(6)); w.int(ref)
        case let .nOf(n, refs): w.raw(UInt8(7)); w.int(n); w.array(refs)
        case let .offer(condition): w.raw(UInt8(8)); w.write(condition)
        }
    }

    init(from r: inout SnapshotReader) throws {
        switch try r.tag(below: 9) {
        case 0: self = .phrases
        case 1: self = .near(within: try r.int(), sentence: try r.tag(below: 2) == 1)
        case 2: self = .regex(try r.array())
        case 3: self = .xpath(index: try r.int(), minCount: try r.int())
        case 4: self = .all(try r.array())
        case 5: self = .any(try r.array())
        case 6: self = .not(try r.int())
        case 7: self = .nOf(try r.int(), try r.array())
        default: self = .offer(try r.read())
        }
    }
}

extension RegexPart: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.string(regex.pattern)
        w.optional(atoms)
        w.bool(anchored)
        w.int(before)
        w.int(after)
        w.optional(charset)
        w.int(minChars)
        w.optional(tailAtoms)
        w.optional(tailCharset)
        w.int(tailMinChars)
        w.bool(joined != nil)
        if let joined {
            w.string(joined.head.pattern)
            w.string(joined.tail.pattern)
            w.int(joined.gap.maxChars)
            w.integers(joined.gap.forbidden)
            w.int(joined.gap.tailReach)
        }
    }

    // Regexes stay uncompiled until a page needs them, as when built from YAML.
    convenience init(from r: inout SnapshotReader) throws {
        let regex = try r.lazyRegex()
        let atoms = try r.optional([String].self)
        let anchored = try r.bool()
        let before = try r.int(), after = try r.int()
        let charset = try r.optional(RegexCharset.self)
        let minChars = try r.int()
        let tailAtoms = try r.optional([String].self)
        let tailCharset = try r.optional(RegexCharset.self)
        let tailMinChars = try r.int()
        var joined: Joined?
        if try r.bool() {
            let head = try r.lazyRegex(), tail = try r.lazyRegex()
            joined = Joined(head: head, tail: tail,
                            gap: ICURegex.Gap(maxChars: try r.int(), forbidden: try r.integers(), tailReach: try r.int()))
        }
        self.init(regex: regex, atoms: atoms, anchored: anchored, before: before, after: after,
                  charset: charset, minChars: minChars, tailAtoms: tailAtoms, tailCharset: tailCharset, tailMinChars: tailMinChars, joined: joined)
    }
}

extension PatternUseTable: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.integers(starts)
        w.array(uses)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(starts: try r.integers(), uses: try r.array())
    }
}

extension PatternUseTable.ScanUse: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.raw(slot)
        // Two flags in one byte: there are as many uses as phrases.
        w.raw(UInt8((checkStart ? 1 : 0) | (checkEnd ? 2 : 0)))
    }

    init(from r: inout SnapshotReader) throws {
        let slot = try r.raw(Int32.self)
        let flags = try r.raw(UInt8.self)
        self.init(slot: slot, checkStart: flags & 1 != 0, checkEnd: flags & 2 != 0)
    }
}
