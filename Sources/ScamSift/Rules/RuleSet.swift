import Foundation

/// Rules compiled for matching: built once per process, shared read-only by every thread.
public struct RuleSet: Sendable {
    public let rules: [CompiledRule]
    /// Each rule's id, by index.
    let ruleIDs: [String]
    public let cutoffs: VerdictCutoffs
    /// Where the cut-offs came from (nil: the standard ones).
    public let cutoffsSource: String?
    /// The text model's weight (`text_model:` of the last file that sets it); nil: the text
    /// model adds nothing, and is not run.
    public let textModelWeight: Int?
    public let textModelWeightSource: String?
    /// Warnings from loading and cross-checking (errors are thrown instead).
    public let warnings: [RuleFileError]
    /// Page-level tests carried by the files, with the folder of the file that carries each.
    public let pageTests: [PageTestSpec]
    /// Distinct XPath expressions the parser must evaluate for these rules.
    public let xpaths: [String]
    /// The concepts of the loaded lexicons and rules files, by language.
    public let concepts: ConceptTable
    /// Tells a page's language from the lexicons' stopwords.
    public let languageDetector: LanguageDetector
    /// The words the offer extractor reads, from `concepts`; built when first needed.
    let offerVocabulary: OfferVocabulary

    /// Every rule's patterns, then (from `offerPatternBase` on) the offer vocabulary's, so that
    /// the one pass over the visible and hidden text also finds the words the offer extractor
    /// reads (its own pass over the same bytes was a twentieth of all time).
    let automaton: AhoCorasick
    /// Pattern `offerPatternBase + p` is the offer vocabulary's pattern p.
    let offerPatternBase: Int
    /// Pattern `stopwordPatternBase + k` is the language detector's stopword
    /// `scannedPatterns[k]`: the rules' pass over the visible text finds them for it (its own
    /// pass was a twentieth of all time). Its plain words it looks up itself.
    let stopwordPatternBase: Int
    /// The patterns of the targets that wait for few of them (`sideTargets`: for the built-in
    /// rules links, forms and scripts, with a twelfth of the patterns but a third of the bytes a
    /// page scans), reporting their ids in `automaton`. Walked through the large automaton,
    /// those bytes cost its cache misses for matches that no rule there reads.
    let sideAutomaton: AhoCorasick
    /// For each target any pattern waits for (in a fixed order): who waits for each pattern id.
    let scanned: [(target: RuleTarget, uses: PatternUseTable)]
    /// Whether `scanned[k]` is walked by `sideAutomaton` rather than `automaton`.
    let scannedOnSide: [Bool]
    /// Where each rule's hits from the automaton go: `slotBase[rule] + role.slot(part:)`.
    let slotBase: [Int]
    let slotCount: Int
    /// Where rule i's hits of negation role k (`PatternUse.Role.negations`) are: `negationSlots[i * PatternUse.Role.negations.count + k]`,
    /// a slot shared by every rule with the same list on the same targets (-1: none).
    let negationSlots: [Int32]
    /// The targets of `scanned`, in its order (a hit's target is an index into it).
    let scannedTargets: [RuleTarget]
    /// Rules in an order where every rule comes after those it reads.
    let evaluationOrder: [Int]
    /// Slots of which a rule needs at least one to have a hit before it can fire
    /// (`gateSlots[gateStart[i]..<gateStart[i+1]]`; an empty range: the rule is always run).
    /// Most rules find nothing on most pages; this lets the evaluator pass them over without
    /// touching the rule itself.
    let gateStart: [Int32]
    let gateSlots: [Int32]
    let index: [String: Int]
    /// The rules whose hit spans the evaluator keeps: the parts an `n_of` rule counts, and
    /// through `any` and `all` theirs (`RuleEvaluator`, case `.nOf`).
    let keepsSpans: [Bool]
    /// Who reads each helper, to pass over one whose outcome nothing can read (`HelperReaders`).
    let helperReaders: HelperReaders

    /// A hash of the files it was built from (see `RuleSetSnapshot.version`); reports carry it as
    /// `rules_version`. Empty for a rule set built from parsed files directly.
    public internal(set) var version = ""
    /// What it was loaded from, for the report: "built-in", then each custom file in load order.
    public internal(set) var sources: [String] = []

    public func rule(_ id: String) -> CompiledRule? { index[id].map { rules[$0] } }

    /// The built-in rules, compiled from the copies embedded in the binary.
    public static let builtIn: RuleSet = {
        do {
            var rules = try RuleSet(files: builtInFiles())
            rules.version = RuleSetSnapshot.version(BuiltInRuleFiles.all.map { RuleText(name: $0.name, text: $0.text, builtIn: true) })
            rules.sources = ["built-in"]
            return rules
        } catch {
            fatalError("the built-in rules do not load:\n\(error)")
        }
    }()

    /// The embedded built-in rule files. `trusted` skips lint-only checks (the tests lint them in full).
    public static func builtInFiles(trusted: Bool = true) throws -> [RuleFile] {
        try RuleSources.parse(BuiltInRuleFiles.all.map { RuleText(name: $0.name, text: $0.text, builtIn: trusted) })
    }

    /// The built-in files, less those being checked from the source tree (`rules lint Rules/`),
    /// so a file is not loaded twice and reported as duplicating itself.
    static func builtInFiles(except paths: [String]) -> [RuleFile] {
        let checked = paths.map { ($0 as NSString).standardizingPath }
        return ((try? builtInFiles(trusted: true)) ?? []).filter { file in !checked.contains { $0 == file.path || $0.hasSuffix("/" + file.path) } }
    }

    /// Loads rule files and folders (a folder means its `*.yaml` and `*.yml`, sorted, then those of
    /// its `lexicon/` folder) after the built-ins.
    public static func load(paths: [String], includeBuiltIn: Bool = true) throws -> RuleSet {
        try RuleSources(includeBuiltIn: includeBuiltIn, commandLine: paths, environment: [:]).load()
    }

    /// `separateSmallTargets: false` walks every target with the one automaton (tests compare
    /// the two ways). `stateLimit`: the most automaton states allowed (tests set a small one).
    public init(files: [RuleFile], separateSmallTargets: Bool = true) throws {
        try self.init(files: files, separateSmallTargets: separateSmallTargets, stateLimit: AhoCorasick.Record.maxStates)
    }

    init(files: [RuleFile], separateSmallTargets: Bool, stateLimit: Int) throws {
        let linkage = RuleLinkage(files: files)
        if linkage.hasErrors { throw RuleLoadError(problems: linkage.problems) }
        let specs = linkage.specs, index = linkage.index, order = linkage.order, concepts = linkage.concepts
        let writtenWeights = linkage.writtenWeights, overriddenBy = linkage.overriddenBy, disabledBy = linkage.disabledBy
        let cutoffs = linkage.cutoffs, cutoffsSource = linkage.cutoffsSource
        let textModelWeight = linkage.textModelWeight, textModelWeightSource = linkage.textModelWeightSource

        // 4. Compile matchers: all phrases into one automaton. Normalising phrases and planning
        //    regexes are independent per rule and the bulk of start-up, so they run on all cores first.
        let prepared = ResultSlots<PreparedMatchers>(count: specs.count)
        let frozenSpecs = specs
        DispatchQueue.concurrentPerform(iterations: frozenSpecs.count) { i in prepared[i] = PreparedMatchers(frozenSpecs[i]) }
        var builder = PatternTableBuilder()
        let regexes = LazyRegex.Pool()
        var compiled: [CompiledRule] = []
        var xpaths: [String] = []
        // For each rule and negation role (`PatternUse.Role.negations`), the rule whose slot
        // holds that list's hits (-1: the rule has none), and the first rule with each list.
        let roles = PatternUse.Role.negations.count
        var negationSource = [Int](repeating: -1, count: specs.count * roles)
        var negationOwners: [String: Int] = [:]
        func xpathIndex(_ e: String) -> Int {
            if let i = xpaths.firstIndex(of: e) { return i }
            xpaths.append(e)
            return xpaths.count - 1
        }
        for (i, spec) in specs.enumerated() {
            var kind: CompiledRule.Kind
            builder.normalized = prepared[i]?.normalized ?? [:]
            builder.normalizedAtoms = prepared[i]?.normalizedAtoms ?? [:]
            switch spec.matcher {
            case let .phrases(list):
                kind = .phrases
                for p in list { builder.add(p.text, rule: i, role: .phrase, targets: spec.targets) }
            case let .near(a, b, within, sentence):
                kind = .near(within: within, sentence: sentence)
                for p in a { builder.add(p.text, rule: i, role: .nearA, targets: spec.targets) }
                for p in b { builder.add(p.text, rule: i, role: .nearB, targets: spec.targets) }
            case let .regex(pattern, _):
                // Each top-level alternative runs on its own, and only near its own atoms:
                // the one automaton pass tells where each could possibly match. The loader has
                // checked that the pattern compiles; ICU compiles each part on first use.
                var parts: [RegexPart] = []
                for part in (prepared[i]?.plan ?? RegexPlan(pattern)).parts {
                    for atom in part.atoms ?? [] {
                        builder.add(atom, rule: i, role: .regexAtom, targets: spec.targets, boundaries: false, part: parts.count)
                    }
                    let tailAtoms = part.split == nil ? nil : part.tailAtoms
                    for atom in tailAtoms ?? [] {
                        builder.add(atom, rule: i, role: .regexTailAtom, targets: spec.targets, boundaries: false, part: parts.count)
                    }
                    parts.append(RegexPart(regex: regexes.regex(part.pattern), atoms: part.atoms, anchored: part.anchored, before: part.before, after: part.after,
                                           charset: part.charset, minChars: part.minChars, tailAtoms: tailAtoms,
                                           tailCharset: part.tailCharset, tailMinChars: part.tailMinChars, joined: part.split.map { RegexPart.Joined(head: regexes.regex($0.head), tail: regexes.regex($0.tail),
                                                                                       gap: ICURegex.Gap(maxChars: $0.maxChars, forbidden: $0.forbidden, tailReach: part.tailReach)) }))
                }
                kind = .regex(parts)
            case let .xpath(expr, minCount, _):
                kind = .xpath(index: xpathIndex(expr), minCount: minCount)
            case let .all(refs): kind = .all(refs.compactMap { index[$0.name] })
            case let .any(refs): kind = .any(refs.compactMap { index[$0.name] })
            case let .not(ref): kind = .not(index[ref.name]!)
            case let .nOf(n, refs): kind = .nOf(n, refs.compactMap { index[$0.name] })
            case let .offer(condition, _): kind = .offer(condition)
            }
            if let negation = spec.negation {
                let lists = [negation.before, negation.after, negation.sentence, negation.sentenceBefore, negation.quoted]
                for (k, list) in lists.enumerated() where !list.isEmpty {
                    // Most rules deny with the same concepts on the same targets: one slot holds
                    // a list's hits for all of them, so a denial word found is one hit, not one
                    // per rule (a French "ne" was 33 hits, and negation words most of all hits).
                    let key = "\(k)\u{1}\(spec.targets)\u{1}" + list.map(\.text).joined(separator: "\u{1}")
                    if let owner = negationOwners[key] { negationSource[i * roles + k] = owner; continue }
                    negationOwners[key] = i
                    negationSource[i * roles + k] = i
                    for p in list { builder.add(p.text, rule: i, role: PatternUse.Role.negations[k], targets: spec.targets) }
                }
            }
            var targetXPaths: [RuleTarget: Int] = [:]
            for case let .xpath(e) in spec.targets { targetXPaths[.xpath(e)] = xpathIndex(e) }
            compiled.append(CompiledRule(spec: spec, kind: kind, unless: spec.unless.compactMap { index[$0.name] },
                                         outside: spec.outside.compactMap { index[$0.name] },
                                         overriddenBy: overriddenBy[i], disabledBy: disabledBy[i], targetXPaths: targetXPaths,
                                         writtenWeight: writtenWeights[i]))
        }
        self.rules = compiled
        self.concepts = concepts
        let offerWords = OfferVocabulary.words(concepts)
        // Every automaton below holds some of these patterns, so none of them can outgrow the
        // limit when all of them together do not (past it, building one stops the program).
        // Only millions of distinct phrase bytes, far past any word list written by hand, get here.
        let stopwords = LanguageDetector.stopwords(concepts)
        guard AhoCorasick.fitsStateLimit([builder.patterns, offerWords.patterns, stopwords.patterns].joined(), limit: stateLimit) else {
            throw RuleLoadError(problems: [RuleFileError(file: files.last?.path ?? "rules", line: 1, column: 1,
                message: "the rule set's phrases need more than \(stateLimit) automaton states; split the word lists or use fewer phrases")])
        }
        self.languageDetector = LanguageDetector(stopwords: stopwords)
        self.offerVocabulary = OfferVocabulary(concepts: concepts, built: OfferVocabulary.build(offerWords))
        self.ruleIDs = compiled.map(\.id)
        self.cutoffs = cutoffs
        self.cutoffsSource = cutoffsSource
        self.textModelWeight = textModelWeight
        self.textModelWeightSource = textModelWeightSource
        self.warnings = linkage.problems
        self.pageTests = files.flatMap(\.tests)
        self.xpaths = xpaths
        let detector = self.languageDetector
        self.automaton = AhoCorasick(patterns: builder.patterns + offerWords.patterns + detector.scannedPatterns.map { detector.pattern(Int($0)) })
        self.offerPatternBase = builder.patterns.count
        self.stopwordPatternBase = builder.patterns.count + offerWords.patterns.count
        var base: [Int] = []
        var slots = 0
        for rule in compiled {
            base.append(slots)
            if case let .regex(parts) = rule.kind { slots += PatternUse.Role.slotCount(parts: parts.count) } else { slots += PatternUse.Role.firstAtomSlot }
        }
        self.slotBase = base
        self.slotCount = slots
        self.negationSlots = negationSource.indices.map { k in
            negationSource[k] < 0 ? -1 : Int32(base[negationSource[k]] + PatternUse.Role.negations[k % roles].slot(part: 0))
        }
        var gateStart: [Int32] = [0], gateSlots: [Int32] = []
        for (i, rule) in compiled.enumerated() {
            switch rule.kind {
            case .phrases:
                gateSlots.append(Int32(base[i] + PatternUse.Role.phrase.slot(part: 0)))
            case .near:
                gateSlots.append(Int32(base[i] + PatternUse.Role.nearA.slot(part: 0)))
            case let .regex(parts) where parts.allSatisfy(\.filtered):
                for p in parts.indices { gateSlots.append(Int32(base[i] + PatternUse.Role.regexAtom.slot(part: p))) }
            default:
                break
            }
            gateStart.append(Int32(gateSlots.count))
        }
        self.gateStart = gateStart
        self.gateSlots = gateSlots
        let patternCount = automaton.patternCount
        self.scanned = builder.uses.keys.sorted { $0.description < $1.description }.map { target in
            (target, PatternUseTable(builder.uses[target] ?? [:], patternCount: patternCount, slotBase: base))
        }
        self.scannedTargets = scanned.map(\.target)
        let side = separateSmallTargets ? Self.sideTargets(builder.uses, rulePatterns: builder.patterns.count) : []
        self.scannedOnSide = scannedTargets.map(side.contains)
        let sideIDs = Set(side.flatMap { Array(builder.uses[$0, default: [:]].keys) }).sorted()
        self.sideAutomaton = AhoCorasick(patterns: sideIDs.map { builder.patterns[$0] }, ids: sideIDs.map { Int32($0) })
        self.evaluationOrder = order
        self.index = index
        self.keepsSpans = Self.partsOfNOf(self.rules)
        self.helperReaders = HelperReaders(self.rules, order: order)
    }

    /// Which rules an `n_of` rule counts, directly or through `any` and `all`: the evaluator
    /// keeps their hits so that two parts found on the same words count once.
    static func partsOfNOf(_ rules: [CompiledRule]) -> [Bool] {
        var marked = [Bool](repeating: false, count: rules.count)
        var toMark: [Int] = []
        for rule in rules { if case let .nOf(_, refs) = rule.kind { toMark += refs } }
        while let r = toMark.popLast() {
            guard !marked[r] else { continue }
            marked[r] = true
            switch rules[r].kind {
            case let .any(refs), let .all(refs): toMark += refs
            default: break
            }
        }
        return marked
    }

    /// Targets that wait for few of the rules' patterns, and read neither offers nor stopwords
    /// (which only the visible and hidden text's pass finds): smallest first, as long as the
    /// side automaton holds at most a `sideShare`-th of the patterns (each target's own count
    /// could fit while their union did not, as it stopped doing when two lexicons came in).
    static func sideTargets(_ uses: [RuleTarget: [Int: [PatternUse]]], rulePatterns: Int) -> Set<RuleTarget> {
        let candidates = uses.filter { target, _ in target != .text && target != .hidden }
            .sorted { a, b in a.value.count != b.value.count ? a.value.count < b.value.count : RuleTarget.precedes(a.key, b.key) }
        var side: Set<RuleTarget> = []
        var patterns: Set<Int> = []
        for (target, byPattern) in candidates {
            let union = patterns.union(byPattern.keys)
            guard union.count * sideShare <= rulePatterns else { continue }
            side.insert(target)
            patterns = union
        }
        return side
    }

    static let sideShare = 4

    /// Orders rules so each follows those it reads; reports each cycle once.
    static func topologicalOrder(_ specs: [RuleSpec], index: [String: Int], report: (SourceLocation, String) -> Void) -> [Int] {
        var state = [UInt8](repeating: 0, count: specs.count) // 0 new, 1 on the path, 2 done
        var order: [Int] = []
        var reported = Set<Int>()
        // Whether a rule runs a regex, itself or through the rules it reads.
        var regexBelow: [Int: Bool] = [:]
        func runsRegex(_ ref: Reference) -> Bool {
            guard let j = index[ref.name] else { return false }
            return runsRegex(j, depth: 0)
        }
        func runsRegex(_ j: Int, depth: Int) -> Bool {
            if let known = regexBelow[j] { return known }
            var found = false
            if case .regex = specs[j].matcher { found = true }
            // A cycle is reported by the visit below; the depth only keeps this from looping on one.
            else if depth < 64 { found = specs[j].matcher.references.contains { index[$0.name].map { runsRegex($0, depth: depth + 1) } ?? false } }
            regexBelow[j] = found
            return found
        }
        func visit(_ i: Int, path: [Int]) {
            if state[i] == 2 { return }
            if state[i] == 1 {
                let cycle = path[path.firstIndex(of: i)!...] + [i]
                let first = cycle.min()!
                if reported.insert(first).inserted {
                    report(specs[i].location, "rules refer to each other in a cycle: " + cycle.map { specs[$0].id }.joined(separator: " → "))
                }
                return
            }
            state[i] = 1
            var refs = specs[i].references
            // An `all` rule's parts without a regex below them come first: when one of them does
            // not fire, the evaluator can pass over a costly helper that only the `all` reads
            // (`HelperReaders`). Stable, so equal parts keep their written order.
            if case .all = specs[i].matcher {
                refs = refs.enumerated().sorted { a, b in
                    let ca = runsRegex(a.element), cb = runsRegex(b.element)
                    return ca != cb ? !ca : a.offset < b.offset
                }.map(\.element)
            }
            for ref in refs { if let j = index[ref.name] { visit(j, path: path + [i]) } }
            state[i] = 2
            order.append(i)
        }
        // Reported rules lead, each bringing the helpers it reads in the order above; helpers
        // are visited on their own only when no reported rule reads them.
        for i in specs.indices where !specs[i].isHelper { visit(i, path: []) }
        for i in specs.indices { visit(i, path: []) }
        return order
    }
}

/// One rule, ready to run. A class, though immutable: the evaluator reads every rule on every
/// page, and copying a struct this size meant retaining each of its strings and arrays.
public final class CompiledRule: Sendable {
    public let spec: RuleSpec
    let kind: Kind
    let unless: [Int]
    /// Rules that open warning sections this rule's hits do not count in.
    let outside: [Int]
    /// The file whose `override:` last changed this rule.
    public let overriddenBy: String?
    /// The file whose `disable:` turned this rule off.
    public let disabledBy: String?
    let targetXPaths: [RuleTarget: Int]
    /// The weight the file that defines the rule gives it, before any `override:` (a fit keeps
    /// its sign, and keeps it for rules its pages never fire).
    public let writtenWeight: Int

    init(spec: RuleSpec, kind: Kind, unless: [Int], outside: [Int] = [], overriddenBy: String?, disabledBy: String?, targetXPaths: [RuleTarget: Int],
         writtenWeight: Int) {
        self.spec = spec
        self.kind = kind
        self.unless = unless
        self.outside = outside
        self.overriddenBy = overriddenBy
        self.disabledBy = disabledBy
        self.targetXPaths = targetXPaths
        self.writtenWeight = writtenWeight
    }

    public var id: String { spec.id }
    public var isDisabled: Bool { disabledBy != nil }
    /// `spec.isHelper`, asked of the spec's id alone: a property computed on `spec` copied the
    /// whole spec first (a retain and a release of every phrase list and string it holds), and
    /// the report asks it of every rule that fired.
    public var isHelper: Bool { RuleSpec.isHelper(id: spec.id) }

    enum Kind: Sendable {
        case phrases
        case near(within: Int, sentence: Bool)
        case regex([RegexPart])
        case xpath(index: Int, minCount: Int)
        case all([Int])
        case any([Int])
        case not(Int)
        case nOf(Int, [Int])
        case offer(OfferCondition)
    }
}

/// One top-level alternative of a rule's regex. `filtered`: it runs only near one of its atoms.
/// (A class, though immutable: the evaluator walks every part of every regex rule on every
/// page, and copying a struct of this many references retained each of them.)
final class RegexPart: Sendable {
    let regex: LazyRegex
    /// The literals found by the automaton that this part waits for (nil: it runs everywhere).
    let atoms: [String]?
    var filtered: Bool { atoms != nil }
    /// Every match starts at one of the atoms: try the regex only there.
    let anchored: Bool
    /// Bytes searched before and after an atom when not anchored.
    let before: Int
    let after: Int
    /// What the part can consume: windows stop at the first character outside it (nil: anything).
    let charset: RegexCharset?
    /// The fewest characters a match spans (the head's, when joined): shorter windows are
    /// not searched, and a part without atoms is searched only in runs of `charset` at least
    /// this long (see `RegexPlan.Part.minChars`).
    let minChars: Int
    /// A joined part's tail runs only where one of these, its own atoms, follows the head.
    let tailAtoms: [String]?
    var tailFiltered: Bool { tailAtoms != nil }
    /// A tail atom counts only inside a run of `tailCharset` characters at least
    /// `tailMinChars` long (see `RegexPlan.Part.tailCharset`).
    let tailCharset: RegexCharset?
    let tailMinChars: Int
    /// The same part as a head and a tail joined by a lazy gap, run in two steps (see
    /// `ICURegex.forEachJoinedMatch`); nil: the part runs as one regex.
    let joined: Joined?

    struct Joined: Sendable {
        let head: LazyRegex
        let tail: LazyRegex
        let gap: ICURegex.Gap
    }

    init(regex: LazyRegex, atoms: [String]?, anchored: Bool, before: Int, after: Int, charset: RegexCharset?, minChars: Int = 0,
         tailAtoms: [String]? = nil, tailCharset: RegexCharset? = nil, tailMinChars: Int = 0, joined: Joined?) {
        self.regex = regex
        self.atoms = atoms
        self.anchored = anchored
        self.before = before
        self.after = after
        self.charset = charset
        self.minChars = minChars
        self.tailAtoms = tailAtoms
        self.tailCharset = tailCharset
        self.tailMinChars = tailMinChars
        self.joined = joined
    }
}

/// The uses of every pattern on one target, flat: uses[starts[p]..<starts[p+1]] for pattern p.
struct PatternUseTable: Sendable {
    let starts: [Int32]
    let uses: [ScanUse]

    /// What the automaton's pass reads of a `PatternUse`: 8 bytes instead of 32, as the pass
    /// reads them at random, a pattern's at a time.
    struct ScanUse: Sendable {
        let slot: Int32
        let checkStart: Bool
        let checkEnd: Bool
    }

    init(starts: [Int32], uses: [ScanUse]) {
        self.starts = starts
        self.uses = uses
    }

    init(_ byPattern: [Int: [PatternUse]], patternCount: Int, slotBase: [Int]) {
        var starts = [Int32](repeating: 0, count: patternCount + 1), uses: [ScanUse] = []
        var next = 0
        for p in byPattern.keys.sorted() {
            for k in next...p { starts[k] = Int32(uses.count) }
            for use in byPattern[p]! {
                let slot = Int32(slotBase[use.rule] + use.role.slot(part: use.part))
                uses.append(ScanUse(slot: slot, checkStart: use.checkStart, checkEnd: use.checkEnd))
            }
            next = p + 1
        }
        for k in next...patternCount { starts[k] = Int32(uses.count) }
        self.init(starts: starts, uses: uses)
    }
}

/// Why a pattern is in the automaton: which rule wants it, and what for.
struct PatternUse: Sendable {
    enum Role: Sendable {
        case phrase, nearA, nearB, negateBefore, negateAfter, negateSentence, negateSentenceBefore, negateQuoted, regexAtom, regexTailAtom

        static let firstAtomSlot = 8
        /// The negation roles, in the order of `RuleSet.negationSlots`.
        static let negations: [Role] = [.negateBefore, .negateAfter, .negateSentence, .negateSentenceBefore, .negateQuoted]
        /// Slots a rule needs: the eight fixed ones, then two per regex part.
        static func slotCount(parts: Int) -> Int { firstAtomSlot + 2 * parts }
        /// Where hits for this role go among the rule's slots (regex atoms and a joined part's
        /// tail atoms: one slot each per part).
        func slot(part: Int) -> Int {
            switch self {
            case .phrase: 0
            case .nearA: 1
            case .nearB: 2
            case .negateBefore: 3
            case .negateAfter: 4
            case .negateSentence: 5
            case .negateSentenceBefore: 6
            case .negateQuoted: 7
            case .regexAtom: Self.firstAtomSlot + 2 * part
            case .regexTailAtom: Self.firstAtomSlot + 2 * part + 1
            }
        }
    }
    var rule: Int
    var role: Role
    /// For regex atoms: which alternative of the rule's regex the atom belongs to.
    var part: Int = 0
    /// Word boundaries are checked only where the pattern's own edge is a word character (and
    /// the phrase does not lift the boundary with `*`).
    var checkStart: Bool
    var checkEnd: Bool
}

/// One rule's phrases already normalised and its regex already planned, made in parallel
/// before the serial build of the pattern table.
struct PreparedMatchers {
    var normalized: [String: [UInt8]] = [:]
    var normalizedAtoms: [String: [UInt8]] = [:]
    var plan: RegexPlan?

    init(_ spec: RuleSpec) {
        var phrases: [PhraseSpec] = []
        switch spec.matcher {
        case let .phrases(list): phrases = list
        case let .near(a, b, _, _): phrases = a + b
        case let .regex(pattern, _): plan = RegexPlan(pattern)
        default: break
        }
        if let n = spec.negation { phrases += n.allPhrases }
        for p in phrases { normalized[p.text] = PatternTableBuilder.normalize(p.text, boundaries: true) }
        for atom in plan?.parts.flatMap({ ($0.atoms ?? []) + ($0.split == nil ? [] : $0.tailAtoms ?? []) }) ?? [] {
            normalizedAtoms[atom] = PatternTableBuilder.normalize(atom, boundaries: false)
        }
    }
}

struct PatternTableBuilder {
    var patterns: [[UInt8]] = []
    var ids: [[UInt8]: Int] = [:]
    var uses: [RuleTarget: [Int: [PatternUse]]] = [:]
    /// Normalised forms computed ahead of time, by phrase (or regex atom) as written.
    var normalized: [String: [UInt8]] = [:]
    var normalizedAtoms: [String: [UInt8]] = [:]

    static func normalize(_ phrase: String, boundaries: Bool) -> [UInt8] {
        TextNormalizer.normalize(boundaries ? PhraseSyntax.core(phrase) : phrase)
    }

    mutating func add(_ phrase: String, rule: Int, role: PatternUse.Role, targets: [RuleTarget], boundaries: Bool = true, part: Int = 0) {
        let bytes = (boundaries ? normalized[phrase] : normalizedAtoms[phrase]) ?? Self.normalize(phrase, boundaries: boundaries)
        guard !bytes.isEmpty else { return }
        let id: Int
        if let existing = ids[bytes] { id = existing } else {
            id = patterns.count
            patterns.append(bytes)
            ids[bytes] = id
        }
        let openStart = !boundaries || PhraseSyntax.openStart(phrase), openEnd = !boundaries || PhraseSyntax.openEnd(phrase)
        let use = PatternUse(rule: rule, role: role, part: part,
                             checkStart: !openStart && WordChars.firstIsWord(bytes),
                             checkEnd: !openEnd && WordChars.lastIsWord(bytes))
        for t in targets { uses[t, default: [:]][id, default: []].append(use) }
    }
}

/// Expands rule paths: a folder means its `*.yaml` / `*.yml` files, sorted by name (then its
/// `lexicon/` folder's); a path that does not exist, or a folder without one, is an error.
public enum RulePaths {
    public static func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw RuleLoadError(problems: [RuleFileError(file: path, line: 1, column: 1, message: "no such rules file or folder")])
            }
            if isDir.boolValue {
                let found = rulesFiles(in: path)
                // A folder given by name that holds no rules file is a mistake (a parent folder,
                // a typo'd subfolder): scoring on without its rules would hide it.
                guard !found.isEmpty else {
                    throw RuleLoadError(problems: [RuleFileError(file: path, line: 1, column: 1,
                                                                 message: "no rules file (*.yaml or *.yml) in this folder or its lexicon/ folder")])
                }
                out += found
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// A folder's rules files, then those of its `lexicon/` folder, if it has one; each sorted by name.
    public static func rulesFiles(in folder: String) -> [String] {
        var out: [String] = []
        for folder in [folder, (folder as NSString).appendingPathComponent("lexicon")] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            out += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (folder as NSString).appendingPathComponent($0) }
        }
        return out
    }
}
