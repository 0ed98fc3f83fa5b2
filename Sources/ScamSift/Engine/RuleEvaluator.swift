import Foundation

/// What the automaton reports for a slot: compact, since a page yields hundreds.
struct AutomatonHit {
    var slot: Int32
    var target: UInt8   // index into RuleSet.scanned
    var start: Int32
    var end: Int32
}

/// Automaton hits grouped by slot with a counting sort.
struct SlottedHits {
    private let start: [Int32]
    private let hits: [AutomatonHit]

    init(_ found: [AutomatonHit], slotCount: Int) {
        var start = [Int32](repeating: 0, count: slotCount + 1)
        for h in found { start[Int(h.slot) + 1] += 1 }
        for k in 0..<slotCount { start[k + 1] += start[k] }
        var next = start
        var hits = found
        for h in found {
            hits[Int(next[Int(h.slot)])] = h
            next[Int(h.slot)] += 1
        }
        self.start = start
        self.hits = hits
    }

    func slot(_ k: Int) -> ArraySlice<AutomatonHit> { hits[Int(start[k])..<Int(start[k + 1])] }
    func isEmpty(_ k: Int) -> Bool { start[k] == start[k + 1] }
}

/// A match inside one target's normalised text.
struct Span {
    var target: RuleTarget
    var start: Int
    var end: Int
}

/// Runs a compiled rule set over one page. One automaton pass per target text,
/// then every rule in dependency order.
struct RuleEvaluator {
    let rules: RuleSet
    let page: Page
    /// Wall-clock budget for one regex rule on one page; past it the rule is reported as an error.
    let regexBudget: TimeInterval
    /// The token model that judges the page's words, if any.
    var textModel: CompiledTextModel? = nil
    /// Keep the page's token hashes in the outcome (for `fit` and `learn`).
    var keepTokens = false
    /// Pass over helpers whose outcome no rule can read (`HelperReaders`). Off when a
    /// helper's own outcome is wanted: its examples are tests of it.
    var skipsUnreadHelpers = true

    struct Outcome {
        var fired: [Bool]
        var count: [Int]
        var evidence: [[Evidence]]
        var errors: [RuleRuntimeError]
        /// Time spent in each regex rule, by rule index (regexes are the only costly matchers).
        var regexNanos: [UInt64] = []
        /// Time spent normalising texts, and in the automaton's pass over them.
        var normalizeNanos: UInt64 = 0
        var automatonNanos: UInt64 = 0
        /// Time spent reading offers, telling the language, and in the token model (each
        /// without the normalising it asked for).
        var offerNanos: UInt64 = 0
        var languageNanos: UInt64 = 0
        var textModelNanos: UInt64 = 0
        /// The page's language, told from its visible text.
        var language: String?
        /// Every offer on the page, and those dropped as outside the sane range.
        var offers: [Offer] = []
        var droppedOffers: [(reason: String, match: String)] = []
        /// What the text model says about the page's words (nil: no usable model).
        var textJudgement: TextModel.Judgement?
        /// The page's distinct token hashes, when asked for.
        var tokenHashes: [UInt64]?
    }

    func run() -> Outcome {
        let n = rules.rules.count
        // What the nested functions and closures below read, as locals: one that reached
        // `rules` through `self` copied the whole evaluator each time it was formed (per rule,
        // per match), a retain and a release of every reference it holds.
        let slotBase = rules.slotBase, scannedTargets = rules.scannedTargets
        let gateStart = rules.gateStart, gateSlots = rules.gateSlots
        let xpaths = rules.xpaths, helperReaders = rules.helperReaders, negationSlots = rules.negationSlots
        func xpathIndex(_ target: RuleTarget) -> Int? { Self.xpathIndex(target, in: xpaths) }
        var texts = TargetTexts(page: page)
        var words = TargetMap<WordIndex>()
        // Each text in the form ICU reads, made the first time a regex needs it.
        var inputs = TargetMap<RegexInput>()
        // Hits from the automaton, by slot (a rule's phrases, near lists, negations, regex parts).
        // Collected in one list as they come, then grouped by slot (stably, so each slot keeps
        // scan order): one growing array instead of one per slot.
        var found: [AutomatonHit] = []
        found.reserveCapacity(256)
        // Hits per slot, counted only once a page has more than `hitsBeforeCapping` (a page of
        // ten million percent signs): then each slot keeps its first `maxHitsPerSlot`.
        var perSlot: [Int32] = []
        var capped = false

        // The offer vocabulary's words in the visible and hidden text, found in the same pass
        // (nil: that text was not scanned, and the offer extractor looks for them itself).
        var offerWords: (text: [OfferWordMatch]?, hidden: [OfferWordMatch]?) = (nil, nil)
        // The language detector's stopwords in the start of the visible text, found in the same
        // pass (nil: that text was not scanned, and the detector looks for them itself).
        var stopwords: [AhoCorasick.Match]?

        // 1. One pass of the automaton over each target that any phrase waits for.
        // The pass's closure reads locals only: one that read `rules` through `self` copied the
        // whole evaluator (a retain and a release of each of its references) at every match.
        let scanStarted = now()
        let automaton = rules.automaton, sideAutomaton = rules.sideAutomaton
        let offerEnd = rules.stopwordPatternBase, stopwordEnd = LanguageDetector.maxBytes
        let stopwordIDs = rules.languageDetector.scannedPatterns
        let offerLetterStart = rules.offerVocabulary.built.letterStart, offerLetterEnd = rules.offerVocabulary.built.letterEnd
        // Patterns from here on are offer words and stopwords, which no rule waits for.
        let ruleEnd = rules.offerPatternBase
        let slotCount = rules.slotCount
        let hitsBeforeCapping = Self.hitsBeforeCapping, maxHitsPerSlot = Self.maxHitsPerSlot
        for (t, scanned) in rules.scanned.enumerated() {
            let text = texts.text(scanned.target, xpathIndex: xpathIndex(scanned.target))
            if text.bytes.isEmpty { continue }
            let target = UInt8(t)
            let readsOffers = scanned.target == .text || scanned.target == .hidden
            let offerBase = readsOffers ? rules.offerPatternBase : Int.max
            let stopwordBase = scanned.target == .text ? rules.stopwordPatternBase : Int.max
            var offerHits: [OfferWordMatch] = []
            var stopwordHits: [AhoCorasick.Match] = []
            text.bytes.withUnsafeBufferPointer { buffer in
            stopwordIDs.withUnsafeBufferPointer { stopwordIDs in
            offerLetterStart.withUnsafeBufferPointer { letterStart in
            offerLetterEnd.withUnsafeBufferPointer { letterEnd in
            scanned.uses.starts.withUnsafeBufferPointer { starts in
            scanned.uses.uses.withUnsafeBufferPointer { uses in
                (rules.scannedOnSide[t] ? sideAutomaton : automaton).scan(buffer) { m in
                    if m.pattern >= ruleEnd {
                        // A stopword or an offer word (told apart before reading the uses table,
                        // whose row for them is empty: most matches are of these).
                        if m.pattern >= stopwordBase {
                            if m.end <= stopwordEnd {
                                stopwordHits.append(AhoCorasick.Match(pattern: Int(stopwordIDs[m.pattern - stopwordBase]), start: m.start, end: m.end))
                            }
                        } else if m.pattern >= offerBase && m.pattern < offerEnd {
                            let p = m.pattern - offerBase
                            // Most offer words found are short words inside longer ones, which
                            // the reader would drop: they are not kept.
                            if OfferScanner.touchesASCIILetter(p, m.start, m.end, in: buffer, letterStart: letterStart, letterEnd: letterEnd) { return }
                            offerHits.append(OfferWordMatch(pattern: Int32(p), start: Int32(m.start), end: Int32(m.end)))
                        }
                        return
                    }
                    let lo = Int(starts[m.pattern]), hi = Int(starts[m.pattern + 1])
                    // No rule waits for it on this target.
                    if lo == hi { return }
                    let before = WordChars.wordBefore(buffer, m.start) && !WordChars.afterArabicProclitics(buffer, m.start)
                    let after = WordChars.wordAt(buffer, m.end)
                    for k in lo..<hi {
                        let use = uses[k]
                        if use.checkStart && before { continue }
                        if use.checkEnd && after { continue }
                        if found.count >= hitsBeforeCapping {
                            if perSlot.isEmpty {
                                perSlot = [Int32](repeating: 0, count: slotCount)
                                for h in found { perSlot[Int(h.slot)] += 1 }
                            }
                            if perSlot[Int(use.slot)] >= maxHitsPerSlot { capped = true; continue }
                            perSlot[Int(use.slot)] += 1
                        }
                        found.append(AutomatonHit(slot: use.slot, target: target, start: Int32(m.start), end: Int32(m.end)))
                    }
                }
            }}}}}}
            if scanned.target == .text { offerWords.text = offerHits; stopwords = stopwordHits }
            if scanned.target == .hidden { offerWords.hidden = offerHits }
        }
        let hits = SlottedHits(found, slotCount: rules.slotCount)
        /// A slot's hits as spans.
        func slotSpans(_ rule: Int, _ role: PatternUse.Role, part: Int = 0) -> [Span] {
            hits.slot(slotBase[rule] + role.slot(part: part)).map { Span(target: scannedTargets[Int($0.target)], start: Int($0.start), end: Int($0.end)) }
        }

        // A negation list's hits as spans, made once per page: rules with the same list share them.
        var negationSpans: [Int32: [Span]] = [:]
        func negations(_ rule: Int, _ k: Int) -> [Span] {
            let slot = negationSlots[rule * PatternUse.Role.negations.count + k]
            if slot < 0 || hits.isEmpty(Int(slot)) { return [] }
            if let made = negationSpans[slot] { return made }
            let made = hits.slot(Int(slot)).map { Span(target: scannedTargets[Int($0.target)], start: Int($0.start), end: Int($0.end)) }
            negationSpans[slot] = made
            return made
        }

        var outcome = Outcome(fired: .init(repeating: false, count: n), count: .init(repeating: 0, count: n),
                              evidence: .init(repeating: [], count: n), errors: [], regexNanos: .init(repeating: 0, count: n))
        // The hits of the parts an `n_of` rule counts (`RuleSet.keepsSpans`).
        var keptSpans = [[Span]](repeating: [], count: n)
        outcome.automatonNanos = now() - scanStarted - texts.buildNanos

        // Offers, read from the visible and hidden text (every report lists them).
        let offersStarted = now(), builtBeforeOffers = texts.buildNanos
        let extracted = OfferExtractor(vocabulary: rules.offerVocabulary.built, page: page)
            .extract(text: texts.text(.text, xpathIndex: nil), hidden: texts.text(.hidden, xpathIndex: nil), words: offerWords)
        outcome.offers = extracted.offers
        outcome.droppedOffers = extracted.dropped
        outcome.offerNanos = now() - offersStarted - (texts.buildNanos - builtBeforeOffers)
        if !extracted.dropped.isEmpty {
            let shown = extracted.dropped.prefix(3).map { "«\($0.match)» (\($0.reason))" }.joined(separator: ", ")
            outcome.errors.append(RuleRuntimeError(rule: "offers", message: "\(extracted.dropped.count) offer(s) outside the sane range dropped: \(shown)"))
        }

        // A text with a script written without spaces is split into words block by block, for
        // the blocks a near rule reads (`BlockWords`); any other is indexed whole, once.
        var blockWords = TargetMap<BlockWords>()
        func wordIndex(_ target: RuleTarget) -> NearWords {
            if let w = words[target] { return .whole(w) }
            if let w = blockWords[target] { return .blocks(w) }
            let bytes = texts.text(target, xpathIndex: xpathIndex(target)).bytes
            if DictionaryWords.mayHoldDictionaryScript(bytes) {
                let w = BlockWords(bytes)
                blockWords.insert(w, for: target)
                return .blocks(w)
            }
            let w = WordIndex(bytes)
            words.insert(w, for: target)
            return .whole(w)
        }
        // Negations count every character of Thai, Lao, Khmer, Myanmar, Han and kana as a word,
        // as everywhere before ICU split them: a negation there stands right beside what it
        // denies, and in words it reached the next noun ("กำไรทุกเดือนไม่มีขาดทุน", a profit
        // every month, no loss: the "no" is the loss's). The same index when the text has none.
        var characterWords = TargetMap<WordIndex>()
        func negationIndex(_ target: RuleTarget) -> WordIndex {
            if let made = characterWords[target] { return made }
            if let w = words[target], !w.splitByDictionary { return w }
            let bytes = texts.text(target, xpathIndex: xpathIndex(target)).bytes
            let made = WordIndex(bytes, dictionary: false)
            // Without such letters it is the word index too (no need to ask ICU, or to look
            // for them again).
            if DictionaryWords.mayHoldDictionaryScript(bytes) { characterWords.insert(made, for: target) } else { words.insert(made, for: target) }
            return made
        }

        var stopMaps = TargetMap<SentenceStops>()
        func sentenceStops(_ target: RuleTarget) -> SentenceStops {
            if let made = stopMaps[target] { return made }
            let made = SentenceStops(texts.text(target, xpathIndex: xpathIndex(target)).bytes)
            stopMaps.insert(made, for: target)
            return made
        }

        // Warning sections (see `SectionOutline`): each the text below a heading or a question
        // that a rule with `opens_section` found, with that rule. Outlines are made only for a
        // target where such a rule has a hit.
        var outlines = TargetMap<SectionOutline>()
        var warningSections: [(rule: Int, text: Span)] = []
        func outline(_ target: RuleTarget) -> SectionOutline? {
            if let made = outlines[target] { return made }
            let owners: [Int32]
            switch target {
            case .text: owners = page.structure.textBlockNodes
            case .hidden: owners = page.structure.hiddenBlockNodes
            default: return nil
            }
            let made = SectionOutline(text: texts.text(target, xpathIndex: nil), owners: owners, structure: page.structure)
            outlines.insert(made, for: target)
            return made
        }

        // 2. Rules, each after the rules it reads.
        for i in rules.evaluationOrder {
            // A rule none of whose gate slots got a hit cannot fire: pass it over.
            let gate = Int(gateStart[i])..<Int(gateStart[i + 1])
            if !gate.isEmpty, !gate.contains(where: { !hits.isEmpty(Int(gateSlots[$0])) }) { continue }
            // A helper that nothing can read any more on this page (see `HelperReaders`).
            if skipsUnreadHelpers, helperReaders.isUnread(i, fired: outcome.fired) { continue }
            let rule = rules.rules[i]
            if rule.isDisabled { continue }
            // A rule silenced by an `unless` rule that already fired cannot count: skip its matching.
            if rule.unless.contains(where: { outcome.fired[$0] }) { continue }
            var spans: [Span] = []
            var count = 0
            var evidence: [Evidence] = []
            /// Hits with a negation word close before or after them in the same block taken out.
            func withoutNegated(_ spans: [Span]) -> [Span] {
                guard let negation = rule.spec.negation else { return spans }
                let negateBefore = negations(i, 0), negateAfter = negations(i, 1)
                let inSentence = negations(i, 2), earlierInSentence = negations(i, 3)
                let quotedIn = negations(i, 4)
                if negateBefore.isEmpty && negateAfter.isEmpty && inSentence.isEmpty && earlierInSentence.isEmpty && quotedIn.isEmpty { return spans }
                // Only the nearest negation on each side needs the sentence check and the word
                // count: both can only grow with the distance. (Making them for every negation
                // grew with the lexicons' many short negations.) The sentence check comes first:
                // it is cheap (the distance, then at most 400 bytes), and a negation in another
                // sentence is settled without asking the word index. A negation ending the
                // sentence before ("No hidden costs. Pay the registration fee", Portuguese "no",
                // "in the", in "liga no mesmo dia. Pague a taxa") denies nothing.
                var state: [Negated] = spans.map { span in
                    let text = texts.text(span.target, xpathIndex: xpathIndex(span.target))
                    let stops = sentenceStops(span.target)
                    if let end = Self.nearestEnd(negateBefore, atMost: span.start, in: span.target), !text.crossesSentence(end, span.start, stops: stops),
                       negationIndex(span.target).wordsBetween(end, span.start) <= negation.within { return .before }
                    if let start = Self.nearestStart(negateAfter, atLeast: span.end, in: span.target), !text.crossesSentence(span.end, start, stops: stops),
                       negationIndex(span.target).wordsBetween(span.end, start) <= negation.within { return .after }
                    if !inSentence.isEmpty || !earlierInSentence.isEmpty || !quotedIn.isEmpty {
                        let sentence = text.sentence(around: span.start..<span.end, stops: stops)
                        if inSentence.contains(where: { $0.target == span.target && $0.start >= sentence.lowerBound && $0.end <= sentence.upperBound }) { return .sentence }
                        if earlierInSentence.contains(where: { $0.target == span.target && $0.start >= sentence.lowerBound && $0.end <= span.start }) { return .sentence }
                        // Quoted, as the offer reader reads a quoted rate: quote marks on both
                        // sides within the sentence, and a denial or a warning in it (not inside the
                        // hit: "senza rischi" holds its own "senza").
                        if quotedIn.contains(where: { $0.target == span.target && $0.start >= sentence.lowerBound && $0.end <= sentence.upperBound
                                                      && ($0.end <= span.start || $0.start >= span.end) }),
                           text.hasQuote(sentence.lowerBound..<span.start), text.hasQuote(span.end..<sentence.upperBound) { return .sentence }
                    }
                    // A question answered "no" asks; it claims nothing: "Is there a registration
                    // fee? No, …", a FAQ's "Apakah ada biaya pendaftaran?" whose answer, the next
                    // block, starts "Tidak ada." A scam's "Is there a fee? Yes, ৳500" keeps its hit.
                    if !negateBefore.isEmpty, let answer = text.answerStart(afterQuestionAround: span.start..<span.end, stops: stops),
                       let start = Self.nearestStart(negateBefore, atLeast: answer, in: span.target), start <= answer + 1 { return .sentence }
                    return .no
                }
                // A list shares its negation: in "入会金・登録料は一切かかりません" or "no deposit,
                // activation fee" only one item stands next to the negation word. Items joined by
                // list marks alone (no word between) take the negation of their neighbour.
                if spans.count > 1, spans.count <= 200, state.contains(where: { $0 == .before || $0 == .after }) {
                    var changed = true
                    while changed {
                        changed = false
                        for a in spans.indices where state[a] == .no {
                            let text = texts.text(spans[a].target, xpathIndex: xpathIndex(spans[a].target))
                            for b in spans.indices where spans[b].target == spans[a].target {
                                if state[b] == .after, spans[b].start >= spans[a].end, text.isListGap(spans[a].end..<spans[b].start) {
                                    state[a] = .after; changed = true; break
                                }
                                if state[b] == .before, spans[a].start >= spans[b].end, text.isListGap(spans[b].end..<spans[a].start) {
                                    state[a] = .before; changed = true; break
                                }
                            }
                        }
                    }
                }
                return spans.indices.filter { state[$0] == .no }.map { spans[$0] }
            }
            /// Hits that stand in no warning section of the rules named in `outside:`.
            func outsideWarnings(_ spans: [Span]) -> [Span] {
                guard !rule.outside.isEmpty, !warningSections.isEmpty else { return spans }
                return spans.filter { span in
                    !warningSections.contains { rule.outside.contains($0.rule) && $0.text.target == span.target
                                                && $0.text.start <= span.start && span.end <= $0.text.end }
                }
            }
            switch rule.kind {
            case .phrases:
                spans = Self.withoutOverlaps(outsideWarnings(withoutNegated(slotSpans(i, .phrase))))
                if let openers = rule.spec.opensSection {
                    // Only a heading's or a question's words open a section.
                    var opening: [Span] = []
                    var opened = Set<Int>()
                    for span in spans {
                        guard let outline = outline(span.target) else { continue }
                        let block = outline.block(at: span.start)
                        guard outline.isOpener(block, headingsOnly: openers == .headings) else { continue }
                        opening.append(span)
                        // One section per opener, however many of the rule's words it holds.
                        if opened.insert(block * 2 + (span.target == .hidden ? 1 : 0)).inserted, let section = outline.section(openedBy: block) {
                            warningSections.append((i, Span(target: span.target, start: section.lowerBound, end: section.upperBound)))
                        }
                    }
                    spans = opening
                }
                count = spans.count
            case let .near(within, inSentence):
                // A negation next to either phrase cancels it ("sin comisiones", "без … комиссий"),
                // as does one next to the pair as a whole (checked below).
                let a = withoutNegated(slotSpans(i, .nearA)), b = withoutNegated(slotSpans(i, .nearB))
                for x in a.prefix(1000) {
                    // How far from x a partner may lie, as offsets, found once for x: the search
                    // through b then compares offsets instead of counting the words of each gap.
                    let w = wordIndex(x.target)
                    let latestStart = w.reach(after: x.end, words: within), earliestEnd = w.reach(before: x.start, words: within)
                    // With `sentence`, the partner must also stand in x's sentence: the word count
                    // passes over punctuation and block ends ("Delivery guaranteed. Returns are
                    // free." is no guaranteed return).
                    let sentence = inSentence ? texts.text(x.target, xpathIndex: xpathIndex(x.target)).sentence(around: x.start..<x.end, stops: sentenceStops(x.target)) : Int.min..<Int.max
                    let partner = b.prefix(1000).first { y in
                        guard y.target == x.target, y.start >= sentence.lowerBound, y.end <= sentence.upperBound else { return false }
                        if y.start >= x.end { return y.start <= latestStart }
                        return x.start >= y.end && y.end >= earliestEnd
                    }
                    if let y = partner {
                        spans.append(Span(target: x.target, start: min(x.start, y.start), end: max(x.end, y.end)))
                    }
                }
                spans = Self.withoutOverlaps(outsideWarnings(withoutNegated(spans)))
                count = spans.count
            case let .regex(parts):
                let started = Date()
                let startedNanos = now()
                defer { outcome.regexNanos[i] += now() - startedNanos }
                search: for target in rule.spec.targets {
                    let scannedIndex = rules.scannedTargets.firstIndex(of: target).map(UInt8.init)
                    var text: NormalizedText?   // fetched when a part first needs it
                    /// A slot's hits on this target, in scan order, each made into a `T`.
                    func onTarget<T>(_ slot: Int, _ make: (AutomatonHit) -> T) -> [T] {
                        var out: [T] = []
                        for h in hits.slot(slot) where h.target == scannedIndex { out.append(make(h)) }
                        return out
                    }
                    for (p, part) in parts.enumerated() {
                        var regions: [Range<Int>]?
                        var starts: [Int]?
                        if part.filtered {
                            // This part's atoms on this target, in scan order (by end offset).
                            let atomSlot = rules.slotBase[i] + PatternUse.Role.regexAtom.slot(part: p)
                            if hits.isEmpty(atomSlot) { continue }
                            if part.anchored {
                                var list = onTarget(atomSlot) { Int($0.start) }
                                if list.isEmpty { continue }
                                Self.sortUnique(&list)
                                starts = list
                            } else {
                                var windows = onTarget(atomSlot) { Int($0.start)..<Int($0.end) }
                                if windows.isEmpty { continue }
                                let current = text ?? texts.text(target, xpathIndex: xpathIndex(target))
                                text = current
                                Self.widen(&windows, in: current.bytes, before: part.before, after: part.after, charset: part.charset)
                                // A window holds every match through its atoms; one shorter than
                                // the shortest match holds none ("-" in "e-mail" for a postcode).
                                if part.minChars > 1 {
                                    windows.removeAll { $0.count < part.minChars }
                                    if windows.isEmpty { continue }
                                }
                                regions = windows
                            }
                        } else if let charset = part.charset, part.minChars >= Self.runSearchMinimum {
                            // No atoms: search only the runs of characters it can consume that
                            // are long enough to hold a match (a crypto address needs 26 letters
                            // and digits in a row, which most pages never have).
                            let current = text ?? texts.text(target, xpathIndex: xpathIndex(target))
                            text = current
                            let runs = current.bytes.withUnsafeBufferPointer { charset.runs(in: $0, atLeast: part.minChars) }
                            if runs.isEmpty { continue }
                            regions = runs
                        }
                        // A joined part's tail needs one of its own atoms after the head: none on this target, no match.
                        var tailStarts: [Int]?
                        if part.tailFiltered {
                            var list: [Int]
                            if let tailCharset = part.tailCharset, part.tailMinChars > 1 {
                                // Only atoms inside a run long enough to hold a tail ("t" of a
                                // crypto address needs 33 letters and digits around it).
                                let current = text ?? texts.text(target, xpathIndex: xpathIndex(target))
                                text = current
                                let atoms = onTarget(rules.slotBase[i] + PatternUse.Role.regexTailAtom.slot(part: p)) { Int($0.start)..<Int($0.end) }
                                list = Self.starts(of: atoms, inRunsOf: tailCharset, atLeast: part.tailMinChars, in: current.bytes)
                            } else {
                                list = onTarget(rules.slotBase[i] + PatternUse.Role.regexTailAtom.slot(part: p)) { Int($0.start) }
                            }
                            if list.isEmpty { continue }
                            list.sort()
                            tailStarts = list
                        }
                        let text = text ?? texts.text(target, xpathIndex: xpathIndex(target))
                        // A joined part runs as its head and tail; the whole pattern is compiled only when run whole.
                        let regex: ICURegex?
                        var joined: JoinedRun?
                        if let j = part.joined, let head = try? j.head.get(), let tail = try? j.tail.get() {
                            joined = JoinedRun(head: head, tail: tail, gap: j.gap, tailStarts: tailStarts)
                            regex = head
                        } else {
                            regex = try? part.regex.get()
                        }
                        guard let regex else {
                            outcome.errors.append(RuleRuntimeError(rule: rule.id, message: "regex does not compile: \(part.regex.pattern)"))
                            spans = []
                            break search
                        }
                        let input: RegexInput
                        if let made = inputs[target] { input = made } else { input = RegexInput(text.bytes); inputs.insert(input, for: target) }
                        let (found, timedOut) = Self.regexMatches(regex, in: text, input: input, regions: regions, starts: starts,
                                                                  joined: joined, target: target, started: started, budget: regexBudget)
                        spans += found
                        if timedOut {
                            outcome.errors.append(RuleRuntimeError(rule: rule.id, message: "regex stopped after \(Int(regexBudget * 1000)) ms on this page (too slow); the rule was not scored"))
                            spans = []
                            break search
                        }
                    }
                }
                spans = Self.withoutOverlaps(outsideWarnings(spans))
                count = spans.count
            case let .xpath(index, minCount):
                let result = page.xpathResults[index]
                if result.count >= minCount {
                    count = result.count
                    evidence = result.paths.map { Evidence(target: "xpath", match: $0, context: "\(result.count) node(s) match \(result.expression)") }
                }
            case let .all(refs):
                if refs.allSatisfy({ outcome.fired[$0] }) { count = 1; evidence = Self.ruleEvidence(refs, outcome, rules) }
            case let .any(refs):
                let on = refs.filter { outcome.fired[$0] }
                // Its hits are its alternatives' hits, which may be the same words found two
                // ways: it counts as many as the alternative that hit most.
                if !on.isEmpty { count = max(1, on.map { outcome.count[$0] }.max() ?? 1); evidence = Self.ruleEvidence(on, outcome, rules) }
            case let .not(ref):
                if !outcome.fired[ref] { count = 1; evidence = [Evidence(target: "rule", match: "not \(rules.rules[ref].id)", context: "'\(rules.rules[ref].id)' did not fire")] }
            case let .nOf(need, refs):
                // Parts found on the same words are one sign, not two ("Cuidado com golpistas" is
                // a scam label and, by its "cuidado com", a red flag): a part counts when one of
                // its hits overlaps no hit of a part counted before it. A part without words of
                // its own (an XPath, an offer) always counts.
                var counted: [Span] = [], distinct: [Int] = []
                for r in refs where outcome.fired[r] {
                    let own = keptSpans[r]
                    if own.isEmpty || own.contains(where: { s in !counted.contains { $0.target == s.target && $0.start < s.end && s.start < $0.end } }) {
                        distinct.append(r)
                        counted += own
                    }
                }
                if distinct.count >= need { count = distinct.count; evidence = Self.ruleEvidence(distinct, outcome, rules) }
            case let .offer(condition):
                let matching = outcome.offers.filter(condition.matches)
                count = matching.count
                for offer in matching where evidence.count < 3 && !evidence.contains(offer.evidence) { evidence.append(offer.evidence) }
            }
            guard count > 0 else { continue }
            outcome.fired[i] = true
            outcome.count[i] = count
            if rules.keepsSpans[i] {
                switch rule.kind {
                case let .any(refs), let .all(refs):
                    // At most 256: enough to tell whether words were counted already.
                    for r in refs where outcome.fired[r] && keptSpans[i].count < 256 { keptSpans[i] += keptSpans[r].prefix(256 - keptSpans[i].count) }
                default: keptSpans[i] = Array(spans.prefix(256))
                }
            }
            if evidence.isEmpty {
                // Up to three pieces of evidence, skipping repeats (the same link five times says nothing new).
                for span in spans where evidence.count < 3 {
                    let e = texts.text(span.target, xpathIndex: xpathIndex(span.target)).evidence(span)
                    if !evidence.contains(e) { evidence.append(e) }
                }
            }
            outcome.evidence[i] = evidence
        }
        // A page whose words are all in a <template> or <noscript> (saved from an app's source)
        // is told by them (`Page.templateText`).
        let templateWords = page.templateText ? texts.text(.hidden, xpathIndex: nil).bytes : nil
        let languageStarted = now(), builtBeforeLanguage = texts.buildNanos
        outcome.language = rules.languageDetector.detect(texts.text(.text, xpathIndex: nil).bytes, declared: page.lang, found: stopwords,
                                                         fallback: templateWords)
        outcome.languageNanos = now() - languageStarted - (texts.buildNanos - builtBeforeLanguage)
        let modelStarted = now(), builtBeforeModel = texts.buildNanos
        if keepTokens || textModel?.isUsable == true {
            // The words a reader sees: the title, then the visible text (and a template's words,
            // which an app shows as its page).
            var words = texts.text(.title, xpathIndex: nil).bytes + [NormalizedText.blockSeparator] + texts.text(.text, xpathIndex: nil).bytes
            if let templateWords { words += [NormalizedText.blockSeparator] + templateWords }
            if let model = textModel { outcome.textJudgement = model.judge(words) }
            if keepTokens { outcome.tokenHashes = TextTokenizer.hashes(words) }
        }
        outcome.textModelNanos = now() - modelStarted - (texts.buildNanos - builtBeforeModel)
        outcome.normalizeNanos = texts.buildNanos
        // What of the page was left unread for its limits (see `Page.Limits`).
        for cut in page.cuts { outcome.errors.append(RuleRuntimeError(rule: "page", message: cut.message)) }
        if capped {
            outcome.errors.append(RuleRuntimeError(rule: "page", message: "a phrase or regex atom occurs more than \(Self.maxHitsPerSlot) times; only its first \(Self.maxHitsPerSlot) were read"))
        }
        for target in texts.cutTargets {
            outcome.errors.append(RuleRuntimeError(rule: "page", message: "the text of target `\(target)` is longer than \(Page.Limits.maxTextBytes) bytes; only that much was matched"))
        }
        return outcome
    }

    static func xpathIndex(_ target: RuleTarget, in xpaths: [String]) -> Int? {
        if case let .xpath(e) = target { return xpaths.firstIndex(of: e) }
        return nil
    }

    /// The evidence of the children that decided a combining rule, up to three. A child that
    /// combines others passes its own children's evidence up, so a rule built on
    /// `all: [_ref_word, _pct_triple]` quotes the percentages too, not only the first child's words.
    static func ruleEvidence(_ refs: [Int], _ outcome: Outcome, _ rules: RuleSet) -> [Evidence] {
        var out: [Evidence] = []
        for j in refs where outcome.fired[j] && out.count < 3 {
            let own = outcome.evidence[j]
            if !own.isEmpty && own.allSatisfy({ $0.target == "rule" && !$0.match.hasPrefix("not ") }) {
                for e in own where out.count < 3 && !out.contains(e) { out.append(e) }
            } else {
                let e = Evidence(target: "rule", match: rules.rules[j].id, context: own.first?.context ?? rules.rules[j].spec.description)
                // Two helpers that found the same words (a rule's word list and its concept
                // pair) would quote the same text twice.
                if !out.contains(where: { $0.target == "rule" && $0.context == e.context }) { out.append(e) }
            }
        }
        return out
    }

    /// Keeps the first of overlapping spans, so "minimum deposit" and "deposit" count once.
    static func withoutOverlaps(_ spans: [Span]) -> [Span] {
        let sorted = spans.sorted { a, b in
            if a.target != b.target { return RuleTarget.precedes(a.target, b.target) }
            return (a.start, -a.end) < (b.start, -b.end)
        }
        var kept: [Span] = []
        for s in sorted {
            if let last = kept.last, last.target == s.target, s.start < last.end { continue }
            kept.append(s)
        }
        return kept
    }

    /// Automaton hits kept on a page before each slot is limited to `maxHitsPerSlot` (no
    /// sample or corpus page comes near: rules count at most a few hits, `near` reads 1,000).
    static let hitsBeforeCapping = 100_000
    static let maxHitsPerSlot: Int32 = 10_000

    /// How far from one of its atoms a regex match may reach at most. Every match contains an
    /// atom, so searching these windows finds the same matches as searching the whole text,
    /// unless a single match runs longer than this on one side of its atom. A part whose
    /// matches reach less far (`RegexPlan.Part.before`, `.after`) gets narrower windows.
    static let atomReach = 320

    /// A part without atoms whose matches span at least this many characters is searched only
    /// in runs that long of the characters it can consume; a shorter bound would cut little.
    static let runSearchMinimum = 4

    /// Atoms become their merged windows, in order: `before` and `after` bytes around each, cut
    /// short at the first character on either side that the part cannot consume (see `RegexCharset`).
    static func widen(_ windows: inout [Range<Int>], in bytes: [UInt8], before: Int, after: Int, charset: RegexCharset?) {
        bytes.withUnsafeBufferPointer { b in
            for k in windows.indices {
                let a = windows[k]
                windows[k] = charset.map { $0.start(before: a.lowerBound, limit: before, in: b)..<$0.end(after: a.upperBound, limit: after, in: b) }
                    ?? max(0, a.lowerBound - before)..<min(b.count, a.upperBound + after)
            }
        }
        merge(&windows)
    }

    /// The starts of the atoms that lie inside a run of `charset` characters at least
    /// `minChars` bytes long; the others are in no match of a pattern that consumes only such
    /// characters and spans at least that many.
    static func starts(of atoms: [Range<Int>], inRunsOf charset: RegexCharset, atLeast minChars: Int, in bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { b in
            atoms.filter { charset.end(after: $0.upperBound, limit: minChars, in: b) - charset.start(before: $0.lowerBound, limit: minChars, in: b) >= minChars }
                .map(\.lowerBound)
        }
    }

    /// Sorts and drops repeats, in place.
    static func sortUnique(_ list: inout [Int]) {
        list.sort()
        var kept = 0
        for k in list.indices where kept == 0 || list[k] != list[kept - 1] {
            list[kept] = list[k]
            kept += 1
        }
        list.removeLast(list.count - kept)
    }

    /// Overlapping or touching windows joined, in order, in place.
    static func merge(_ windows: inout [Range<Int>]) {
        windows.sort { $0.lowerBound < $1.lowerBound }
        var kept = 0
        for k in windows.indices {
            if kept > 0, windows[k].lowerBound <= windows[kept - 1].upperBound {
                windows[kept - 1] = windows[kept - 1].lowerBound..<max(windows[kept - 1].upperBound, windows[k].upperBound)
            } else {
                windows[kept] = windows[k]
                kept += 1
            }
        }
        windows.removeLast(windows.count - kept)
    }

    /// A part run as head and tail (see `ICURegex.forEachJoinedMatch`); `tailStarts`: sorted
    /// offsets of the tail's atoms, when known.
    struct JoinedRun {
        var head: ICURegex
        var tail: ICURegex
        var gap: ICURegex.Gap
        var tailStarts: [Int]? = nil
    }

    /// Why a hit does not count: a negation before it, after it, or in its sentence.
    enum Negated { case no, before, after, sentence }

    /// The largest end, at most `limit`, among the spans in `target`; nil: none.
    static func nearestEnd(_ spans: [Span], atMost limit: Int, in target: RuleTarget) -> Int? {
        var best: Int?
        for s in spans where s.end <= limit && s.end > (best ?? Int.min) && s.target == target { best = s.end }
        return best
    }

    /// The smallest start, at least `limit`, among the spans in `target`; nil: none.
    static func nearestStart(_ spans: [Span], atLeast limit: Int, in target: RuleTarget) -> Int? {
        var best: Int?
        for s in spans where s.start >= limit && s.start < (best ?? Int.max) && s.target == target { best = s.start }
        return best
    }

    /// Runs a regex over one target text, stopping at 100 matches or when the rule's time is up.
    static func regexMatches(_ regex: ICURegex, in text: NormalizedText, input: RegexInput? = nil, regions: [Range<Int>]? = nil,
                             starts: [Int]? = nil, joined: JoinedRun? = nil,
                             target: RuleTarget, started: Date, budget: TimeInterval) -> ([Span], Bool) {
        var spans: [Span] = []
        var timedOut = false
        // ICU's step limit bounds each match attempt; the clock bounds the rule as a whole.
        let steps = Int32(max(1, min(10_000, budget * 1000)))
        let input = input ?? RegexInput(text.bytes)
        let deadline = now() &+ UInt64(max(0, budget - Date().timeIntervalSince(started)) * 1e9)
        let collect = { (range: Range<Int>) -> Bool in
            spans.append(Span(target: target, start: range.lowerBound, end: range.upperBound))
            if now() > deadline { timedOut = true; return false }
            return spans.count < 100
        }
        let outcome: ICURegex.Outcome
        if let joined {
            outcome = ICURegex.forEachJoinedMatch(head: joined.head, tail: joined.tail, gap: joined.gap, in: input,
                                                  starts: starts, regions: regions, tailStarts: joined.tailStarts, stepLimit: steps, collect)
        } else {
            outcome = starts.map { regex.forEachMatch(in: input, startingAt: $0, stepLimit: steps, collect) }
                ?? regex.forEachMatch(in: input, regions: regions, stepLimit: steps, collect)
        }
        if outcome == .timedOut { timedOut = true }
        return (spans, timedOut)
    }
}

/// Where sentences stop in a normalised text: every block separator and every sentence-ending
/// mark (`OfferScanner.sentenceEnd`, read up to the text's end), in order. Made once per text:
/// the negation checks asked for the sentence around each hit of each rule, and walking up to
/// 400 bytes each time was about a hundredth of all time.
struct SentenceStops {
    private let offsets: [Int32]

    init(_ bytes: [UInt8]) {
        var found: [Int32] = []
        Self.mayStop.withUnsafeBufferPointer { mayStop in
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<b.count where mayStop[Int(b[i])]
                && (b[i] == NormalizedText.blockSeparator || OfferScanner.sentenceEnd(b, i, upTo: b.count) > 0) {
                found.append(Int32(i))
            }
        }}
        offsets = found
    }

    /// The bytes a stop can start with: the separator, and the first bytes of the marks
    /// `OfferScanner.sentenceEnd` reads (most bytes of a text are none of them).
    private static let mayStop: [Bool] = (0..<256).map { [0x0A, 0x21, 0x2E, 0x3B, 0x3F, 0xD8, 0xDB, 0xE3, 0xEF].contains($0) }

    /// The index of the first stop at or after `offset`.
    private func first(atOrAfter offset: Int) -> Int {
        var a = 0, b = offsets.count
        while a < b { let m = (a + b) / 2; if Int(offsets[m]) < offset { a = m + 1 } else { b = m } }
        return a
    }

    /// The last stop before `offset`; nil when there is none.
    func previous(before offset: Int) -> Int? {
        let k = first(atOrAfter: offset)
        return k > 0 ? Int(offsets[k - 1]) : nil
    }

    /// The first stop at or after `offset`; Int.max when there is none.
    func next(atOrAfter offset: Int) -> Int {
        let k = first(atOrAfter: offset)
        return k < offsets.count ? Int(offsets[k]) : Int.max
    }
}

/// Where a near rule's "within N words" reaches: from a whole text's `WordIndex`, or from a
/// `BlockWords` that splits only the blocks it is asked about.
enum NearWords {
    case whole(WordIndex)
    case blocks(BlockWords)

    func reach(after from: Int, words n: Int) -> Int {
        switch self {
        case let .whole(w): w.reach(after: from, words: n)
        case let .blocks(w): w.reach(after: from, words: n)
        }
    }

    func reach(before to: Int, words n: Int) -> Int {
        switch self {
        case let .whole(w): w.reach(before: to, words: n)
        case let .blocks(w): w.reach(before: to, words: n)
        }
    }
}

/// The words of a text with Thai, Lao, Khmer, Myanmar, Han or kana, found a block at a time
/// when first asked for, each block as `WordIndex` finds the words of the whole text: a block
/// separator ends a word, and ICU's word breaks never join across a line feed. ICU's
/// dictionaries split such text slowly, and a near rule reads only the blocks around its hits
/// (splitting every block of every such page was a thirtieth of all time on `Samples/`).
/// A class: the blocks split so far are kept for the rest of the page (one thread reads it).
final class BlockWords {
    private let bytes: [UInt8]
    /// Where each block starts; a block ends at the next block's separator (or the text's end).
    private let blockStarts: [Int]
    private var split: [Int: [Int32]] = [:]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == NormalizedText.blockSeparator { starts.append(i + 1) }
        blockStarts = starts
    }

    /// The block holding `offset` (a separator belongs to the block it ends).
    private func block(holding offset: Int) -> Int {
        var a = 0, b = blockStarts.count
        while a < b { let m = (a + b) / 2; if blockStarts[m] <= offset { a = m + 1 } else { b = m } }
        return max(0, a - 1)
    }

    /// Block k's word starts, as offsets in the whole text.
    private func starts(_ k: Int) -> [Int32] {
        if let made = split[k] { return made }
        let lo = blockStarts[k], hi = k + 1 < blockStarts.count ? blockStarts[k + 1] - 1 : bytes.count
        let base = Int32(lo)
        let made = WordIndex(Array(bytes[lo..<hi])).wordStarts.map { $0 + base }
        split[k] = made
        return made
    }

    /// As `WordIndex.reach(after:words:)`: the (n+1)th word start at or after `from`.
    func reach(after from: Int, words n: Int) -> Int {
        guard n >= 0 else { return Int.min }
        var left = n
        var k = block(holding: from)
        while k < blockStarts.count {
            for s in starts(k) where Int(s) >= from {
                if left == 0 { return Int(s) }
                left -= 1
            }
            k += 1
        }
        return Int.max
    }

    /// As `WordIndex.reach(before:words:)`: one past the (n+1)th word start before `to`.
    func reach(before to: Int, words n: Int) -> Int {
        guard n >= 0 else { return Int.max }
        var left = n
        var k = block(holding: to)
        while k >= 0 {
            for s in starts(k).reversed() where Int(s) < to {
                if left == 0 { return Int(s) + 1 }
                left -= 1
            }
            k -= 1
        }
        return Int.min
    }
}

/// Word positions in a normalised text, for "within N words".
struct WordIndex {
    private let starts: [Int32]
    /// Whether text of a script written without spaces was split into words by ICU (else each
    /// of its characters counted as a word, or the text had none).
    let splitByDictionary: Bool

    /// With `dictionary` false, every character of a script written without spaces counts as a word.
    init(_ bytes: [UInt8], dictionary: Bool = true) {
        // Thai, Lao, Khmer, Myanmar, Han and kana: the words ICU's dictionaries find.
        let dictionaryStarts = dictionary ? DictionaryWords.starts(in: bytes) ?? [] : []
        splitByDictionary = !dictionaryStarts.isEmpty
        // A word start needs a non-word byte before it, or is a character of three or more bytes
        // from a script written without spaces, so there are at most half as many as bytes.
        starts = [Int32](unsafeUninitializedCapacity: bytes.count / 2 + 1) { out, found in
            var count = 0
            var next = 0   // the first of `dictionaryStarts` not yet passed
            WordChars.asciiWordTable.withUnsafeBufferPointer { wordByte in
            bytes.withUnsafeBufferPointer { b in
                var i = 0
                var inWord = false
                while i < b.count {
                    let c = b[i]
                    var length = 1
                    let isWord: Bool
                    if c < 0x80 {
                        isWord = wordByte[Int(c)]
                    } else if let (value, n) = WordChars.decode(b, i) {
                        length = n
                        if WordChars.isSpaceless(value) {
                            if !dictionaryStarts.isEmpty && WordChars.isSpaceless(value) {
                                // A word starts here only where ICU starts one.
                                while next < dictionaryStarts.count && Int(dictionaryStarts[next]) < i { next += 1 }
                                if next < dictionaryStarts.count && Int(dictionaryStarts[next]) == i {
                                    out[count] = Int32(i)
                                    count += 1
                                }
                            } else {
                                // ICU found no words (it failed): each character counts as a word.
                                out[count] = Int32(i)
                                count += 1
                            }
                            inWord = false
                            i += n
                            continue
                        }
                        isWord = Unicode.Scalar(value).map(WordChars.isWord) ?? false
                    } else {
                        isWord = false   // not valid UTF-8: one byte, not part of a word
                    }
                    if isWord && !inWord {
                        out[count] = Int32(i)
                        count += 1
                    }
                    inWord = isWord
                    i += length
                }
            }}
            found = count
        }
    }

    /// Where words start, in order.
    var wordStarts: [Int32] { starts }

    /// Number of word starts before `offset`.
    func rank(_ offset: Int) -> Int {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(starts[mid]) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whole words lying between two offsets.
    func wordsBetween(_ from: Int, _ to: Int) -> Int { max(0, rank(to) - rank(from)) }

    /// How far after `from` a gap of at most n words reaches: the largest `to` (at least
    /// `from`) with `wordsBetween(from, to) <= n`. Int.max when fewer than n + 1 words start
    /// at or after `from`; below `from` when n is negative.
    func reach(after from: Int, words n: Int) -> Int {
        guard n >= 0 else { return Int.min }
        let k = rank(from) + n
        return k < starts.count ? Int(starts[k]) : Int.max
    }

    /// How far before `to` a gap of at most n words reaches: the smallest `from` (at most
    /// `to`) with `wordsBetween(from, to) <= n`. Int.min when at most n words start before
    /// `to`; above `to` when n is negative.
    func reach(before to: Int, words n: Int) -> Int {
        guard n >= 0 else { return Int.max }
        let k = rank(to) - n
        return k <= 0 ? Int.min : Int(starts[k - 1]) + 1
    }
}

extension NormalizedText {
    /// The sentence a span stands in, as the offer reader finds it (`OfferScanner.sentence`),
    /// from this text's `stops`.
    func sentence(around span: Range<Int>, stops: SentenceStops) -> Range<Int> {
        let lo = max(0, span.lowerBound - OfferScanner.sentenceReach)
        let hi = min(bytes.count, span.upperBound + OfferScanner.sentenceReach)
        let start = stops.previous(before: span.lowerBound).map { max(lo, $0 + 1) } ?? lo
        return start..<max(span.upperBound, min(hi, stops.next(atOrAfter: span.upperBound)))
    }

    /// Where the answer starts when `span` stands in a question (a sentence ending in "?" or
    /// "؟"): the first character after the mark and the spaces, in the same block or the next
    /// (a FAQ's answer is often a block of its own). Nil when the sentence asks nothing.
    func answerStart(afterQuestionAround span: Range<Int>, stops: SentenceStops) -> Int? {
        bytes.withUnsafeBufferPointer { b -> Int? in
            // Only the sentence's end is needed, as `OfferScanner.sentence` finds it.
            let hi = min(b.count, span.upperBound + OfferScanner.sentenceReach)
            var i = max(span.upperBound, min(hi, stops.next(atOrAfter: span.upperBound)))
            guard i < b.count, case let mark = Self.questionMarkLength(b, at: i), mark > 0 else { return nil }
            i += mark
            var separators = 0
            while i < b.count, b[i] == 0x20 || b[i] == NormalizedText.blockSeparator {
                if b[i] == NormalizedText.blockSeparator { separators += 1; if separators > 1 { return nil } }
                i += 1
            }
            return i < b.count ? i : nil
        }
    }

    /// Whether a quote mark lies in `r` (the offer reader's marks).
    func hasQuote(_ r: Range<Int>) -> Bool {
        guard !r.isEmpty else { return false }
        return bytes.withUnsafeBufferPointer { OfferScanner.hasQuote($0, r) }
    }

    /// Whether only list marks join two items: spaces and at least one of , / 、 ・ (at most 12
    /// bytes, no word; normalisation has made "，" a ",").
    func isListGap(_ gap: Range<Int>) -> Bool {
        guard !gap.isEmpty, gap.count <= 12 else { return false }
        var marks = 0
        var i = gap.lowerBound
        while i < gap.upperBound {
            switch bytes[i] {
            case 0x20: i += 1
            case 0x2C, 0x2F: marks += 1; i += 1
            case 0xE3 where i + 2 < gap.upperBound && ((bytes[i + 1] == 0x80 && bytes[i + 2] == 0x81) || (bytes[i + 1] == 0x83 && bytes[i + 2] == 0xBB)):
                marks += 1; i += 3   // 、 ・
            default: return false
            }
        }
        return marks > 0
    }

    func crossesBlock(_ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        if to - from > 400 { return true }
        return bytes[from..<to].contains(NormalizedText.blockSeparator)
    }

    /// Whether a block's end or a sentence's lies between two offsets (the offer reader's
    /// sentence marks; more than 400 bytes apart counts as one).
    func crossesSentence(_ from: Int, _ to: Int, stops: SentenceStops) -> Bool {
        guard from < to else { return false }
        if to - from > 400 { return true }
        return stops.next(atOrAfter: from) < to
    }

    /// The length of the question mark ("?", or Arabic "؟") at `i`; 0 when there is none
    /// (a full-width "？" is "?" once normalised).
    static func questionMarkLength<B: RandomAccessCollection<UInt8>>(_ b: B, at i: B.Index) -> Int where B.Index == Int {
        if b[i] == 0x3F { return 1 }
        return b[i] == 0xD8 && i + 1 < b.endIndex && b[i + 1] == 0x9F ? 2 : 0
    }

    /// The span as the page wrote it, with about 40 characters of context inside its block.
    func evidence(_ span: Span) -> Evidence {
        let os = originalOffset(span.start)
        // A space that ends a match maps to the character after it: leave it out.
        var end = span.end
        while end > span.start + 1, bytes[end - 1] == 0x20 { end -= 1 }
        var k = end
        let last = end > 0 ? originalOffset(end - 1) : 0
        while k < bytes.count, Int(origin[k]) == last { k += 1 }
        let oe = max(os, originalOffset(k))
        let match = Self.clean(original[os..<oe])
        var lo = os, hi = oe
        var chars = 0
        while lo > 0, original[lo - 1] != NormalizedText.blockSeparator, chars < 40 {
            lo -= 1
            if original[lo] & 0xC0 != 0x80 { chars += 1 }
        }
        chars = 0
        while hi < original.count, original[hi] != NormalizedText.blockSeparator, chars < 40 {
            hi += 1
            while hi < original.count, original[hi] & 0xC0 == 0x80 { hi += 1 }
            chars += 1
        }
        var context = Self.clean(original[lo..<hi])
        if lo > 0, original[lo - 1] != NormalizedText.blockSeparator { context = "…" + context }
        if hi < original.count, original[hi] != NormalizedText.blockSeparator { context += "…" }
        return Evidence(target: span.target.description, match: match, context: context)
    }

    /// The bytes as a string without white space (Unicode's White_Space) at either end.
    static func clean(_ bytes: ArraySlice<UInt8>) -> String {
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi, let n = whiteSpaceLength(bytes, at: lo) { lo += n }
        while hi > lo {
            // The last character's start: step back over continuation bytes.
            var start = hi - 1
            while start > lo, bytes[start] & 0xC0 == 0x80, hi - start < 4 { start -= 1 }
            guard whiteSpaceLength(bytes, at: start) == hi - start else { break }
            hi = start
        }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// The length of the White_Space character starting at `i`, or nil: the ASCII ones and
    /// U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000, read on
    /// bytes (evidence is cleaned for every rule that fires, often at Bengali text).
    static func whiteSpaceLength(_ b: ArraySlice<UInt8>, at i: Int) -> Int? {
        let c = b[i]
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) ? 1 : nil }
        func at(_ k: Int) -> UInt8 { i + k < b.endIndex ? b[i + k] : 0 }
        switch c {
        case 0xC2: return at(1) == 0x85 || at(1) == 0xA0 ? 2 : nil
        case 0xE1: return at(1) == 0x9A && at(2) == 0x80 ? 3 : nil
        case 0xE2:
            if at(1) == 0x80, (0x80...0x8A).contains(at(2)) || [0xA8, 0xA9, 0xAF].contains(at(2)) { return 3 }
            return at(1) == 0x81 && at(2) == 0x9F ? 3 : nil
        case 0xE3: return at(1) == 0x80 && at(2) == 0x80 ? 3 : nil
        default: return nil
        }
    }
}

