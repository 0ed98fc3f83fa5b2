import Foundation

/// Finds every offer on a page: rates in sentences, and plans whose name, rate, period and
/// limits sit in different cells, list items or headings (joined through `Page.Structure`).
///
/// 1. Each block of the visible and the hidden text is read on its own (`OfferScanner`).
///    Blocks without a digit are read only when short (labels, headings, table headers).
/// 2. Tables: a cell is read with its column's header and its row's first cell as labels, so a
///    bare "3.00" under "Daily profit (%)" is a rate paid daily, "$50" under "Minimum" a minimum.
/// 3. Every other rate's plan is the largest element around it that holds no other rate (and
///    at most `maxPlanBlocks` blocks); in a list of headings and items (a `<dl>`, a card of
///    `<h3>` and `<p>`), the run from one heading to the next. What that plan says besides the
///    rate (period, term, limits, principal, name) completes the offer.
/// 4. The figures are worked out (`OfferMath`); offers outside the sane range are dropped and
///    counted.
///
/// Every step looks a bounded distance around what it found, so the cost grows with the page.
struct OfferExtractor {
    let vocabulary: OfferVocabulary.Built
    let page: Page

    /// Most blocks one plan may span (a card is a name, a rate and a few limits).
    static let maxPlanBlocks = 12
    /// How far up the tree a plan is looked for.
    static let maxClimb = 8
    /// Blocks longer than this (in bytes) without a digit are not read.
    static let labelBytes = 160
    /// A rate this short may take its period from another block of its plan ("3%" in a cell).
    static let shortBytes = 48

    struct Result {
        var offers: [Offer] = []
        /// Offers dropped as outside the sane range, with the evidence of the first few.
        var dropped: [(reason: String, match: String)] = []
    }

    /// One block of the page's text, in either stream.
    struct Block {
        var target: RuleTarget
        var range: Range<Int>
        var node: Int32
        /// What the scanner found, boxed: `BlockFacts` is about 300 bytes and most blocks of a
        /// long page are never read, so inline facts made the block list of a 5 MB page tens of
        /// megabytes (issue 16).
        private var box: FactsBox?
        /// The facts' box, read in place (`block.factsBox.facts.rates`): the plan assembler reads
        /// blocks' facts over and over, and a returned copy of the facts retained and released
        /// each of their arrays every time, while a `_read` accessor yielding them was a malloc
        /// and a free per read (its frame, holding the 300-byte value, did not fit the caller's
        /// buffer: about 190 a page on `Samples/`).
        var factsBox: FactsBox { box ?? FactsBox.empty }
        mutating func setFacts(_ facts: BlockFacts) { box = FactsBox(facts: facts) }

        init(target: RuleTarget, range: Range<Int>, node: Int32) {
            self.target = target
            self.range = range
            self.node = node
        }
    }

    final class FactsBox: Sendable {
        static let empty = FactsBox(facts: BlockFacts())
        let facts: BlockFacts
        init(facts: BlockFacts) { self.facts = facts }
    }

    /// - Parameter words: the vocabulary's matches in each text, in the order the automaton
    ///   gives them (by end offset), when the rules' pass found them; nil: look for them here.
    func extract(text: NormalizedText, hidden: NormalizedText,
                 words: (text: [OfferWordMatch]?, hidden: [OfferWordMatch]?) = (nil, nil)) -> Result {
        var blocks: [Block] = []
        collect(text, target: .text, owners: page.structure.textBlockNodes, sources: page.textBlocks, into: &blocks)
        collect(hidden, target: .hidden, owners: page.structure.hiddenBlockNodes, sources: page.hiddenBlocks, into: &blocks)
        // Document order: by node, then as collected (stable).
        blocks = blocks.indices.sorted { (blocks[$0].node, $0) < (blocks[$1].node, $1) }.map { blocks[$0] }
        if blocks.isEmpty { return Result() }

        // 1. Read the blocks.
        text.bytes.withUnsafeBufferPointer { t in
        hidden.bytes.withUnsafeBufferPointer { h in
            // One scanner per text: making one copies the vocabulary's twenty-odd tables.
            let scanners = (text: OfferScanner(vocabulary: vocabulary, bytes: t), hidden: OfferScanner(vocabulary: vocabulary, bytes: h))
            for k in blocks.indices {
                let isText = blocks[k].target == .text
                let scanner = isText ? scanners.text : scanners.hidden
                let r = blocks[k].range
                let hasDigit = scanner.bytes[r].contains { $0 >= 0x30 && $0 <= 0x39 }
                if !hasDigit && r.count > Self.labelBytes { continue }
                if let found = isText ? words.text : words.hidden {
                    blocks[k].setFacts(found.withUnsafeBufferPointer { scanner.scan(r, words: OfferWordMatch.inside(r, of: $0)) })
                } else {
                    blocks[k].setFacts(scanner.scan(r))
                }
            }
        }}
        var assembler = PlanAssembler(page: page, blocks: blocks, text: text, hidden: hidden)
        return assembler.run()
    }

    /// Cuts a target's normalised text at its block separators, and finds each piece's node.
    func collect(_ text: NormalizedText, target: RuleTarget, owners: [Int32], sources: [String], into blocks: inout [Block]) {
        guard !text.bytes.isEmpty else { return }
        // Where each source block starts in `text.original` (blocks are joined by one separator).
        var starts: [Int] = []
        starts.reserveCapacity(sources.count)
        var offset = 0
        for s in sources {
            starts.append(offset)
            offset += s.utf8.count + 1
        }
        func owner(_ normalized: Int) -> Int32 {
            let o = text.originalOffset(normalized)
            var a = 0, b = starts.count
            while a < b { let m = (a + b) / 2; if starts[m] <= o { a = m + 1 } else { b = m } }
            let index = max(0, a - 1)
            return index < owners.count ? owners[index] : 0
        }
        var start = 0
        let n = text.bytes.count
        for i in 0...n where i == n || text.bytes[i] == NormalizedText.blockSeparator {
            if i > start { blocks.append(Block(target: target, range: start..<i, node: owner(start))) }
            start = i + 1
        }
    }
}

/// Joins what the blocks say into offers, plan by plan.
struct PlanAssembler {
    let page: Page
    var blocks: [OfferExtractor.Block]
    let text: NormalizedText
    let hidden: NormalizedText
    var nodes: [Page.Structure.Node] { page.structure.nodes }

    init(page: Page, blocks: [OfferExtractor.Block], text: NormalizedText, hidden: NormalizedText) {
        self.page = page
        self.blocks = blocks
        self.text = text
        self.hidden = hidden
    }

    /// Labels a table cell is read with: its column's header cell and its row's first cell.
    struct CellPlace {
        var table: Int32
        var row: Int32
        var column: Int16
    }

    mutating func run() -> OfferExtractor.Result {
        var result = OfferExtractor.Result()
        let structure = page.structure
        // Blocks by node, for "the blocks inside node n" (blocks are sorted by node).
        let blockNodes = blocks.map(\.node)
        func blocksIn(_ n: Int32) -> Range<Int> {
            let end = nodes[Int(n)].end
            var a = 0, b = blockNodes.count
            while a < b { let m = (a + b) / 2; if blockNodes[m] < n { a = m + 1 } else { b = m } }
            var e = a
            var c = blockNodes.count
            while e < c { let m = (e + c) / 2; if blockNodes[m] < end { e = m + 1 } else { c = m } }
            return a..<e
        }
        func ancestor(_ n: Int32, kind: Page.Structure.Kind, stopAt stop: Page.Structure.Kind? = nil) -> Int32? {
            var k = n
            for _ in 0..<OfferExtractor.maxClimb {
                if nodes[Int(k)].kind == kind { return k }
                if let stop, nodes[Int(k)].kind == stop { return nil }
                let p = nodes[Int(k)].parent
                if p < 0 { return nil }
                k = p
            }
            return nil
        }

        // 1. Tables: place every cell block, then read cells with their labels.
        var place: [Int: CellPlace] = [:]
        var tableRows: [Int32: [Int32]] = [:]
        var rowCells: [Int32: [(column: Int16, node: Int32)]] = [:]
        for k in blocks.indices {
            let node = blocks[k].node
            guard let cell = ancestor(node, kind: .cell) ?? ancestor(node, kind: .headerCell),
                  let row = ancestor(cell, kind: .row, stopAt: .table), let table = ancestor(row, kind: .table) else { continue }
            place[k] = CellPlace(table: table, row: row, column: nodes[Int(cell)].column)
            if rowCells[row] == nil { tableRows[table, default: []].append(row) }
            if !(rowCells[row]?.contains { $0.node == cell } ?? false) { rowCells[row, default: []].append((nodes[Int(cell)].column, cell)) }
        }
        /// Facts of a cell (all its blocks merged for label purposes).
        func cellBlocks(_ row: Int32, _ column: Int16) -> Range<Int>? {
            guard let cell = rowCells[row]?.first(where: { $0.column == column }) else { return nil }
            return blocksIn(cell.node)
        }
        var headerRow: [Int32: Int32] = [:]     // table → its header row
        var byColumns = Set<Int32>()            // tables whose plans are columns
        for (table, rows) in tableRows {
            guard rows.count >= 2 else { continue }
            let first = rows[0]
            let firstBlocks = rowCells[first]?.flatMap { Array(blocksIn($0.node)) } ?? []
            let isHeader = firstBlocks.allSatisfy { blocks[$0].factsBox.facts.rates.isEmpty } || firstBlocks.contains { nodes[Int(blocks[$0].node)].kind == .headerCell }
            if isHeader { headerRow[table] = first }
            for row in rows.dropFirst() {
                let rated = (rowCells[row] ?? []).filter { cell in blocksIn(cell.node).contains { !blocks[$0].factsBox.facts.rates.isEmpty } }
                if rated.count >= 2 { byColumns.insert(table) }
            }
        }
        // A heading or a paragraph just above a table that says its rates are yearly ("Profit
        // rates (annual)", "Zinssätze p. a.", "Ставки в процентах годовых для вкладов…") is the
        // period of every rate the cells leave without one. Banks write the payout schedule in
        // a column of its own ("Profit paid: monthly"), which would otherwise be read as the
        // rates' period.
        var yearlyTitle: [Int32: [(days: Double, isYear: Bool)]] = [:]   // table → its heading's periods
        for table in headerRow.keys {
            let first = blocksIn(table).lowerBound
            guard first > 0 else { continue }
            let title = blocks[first - 1].factsBox.facts
            let kind = nodes[Int(blocks[first - 1].node)].kind
            if kind == .heading || kind == .paragraph, title.rates.isEmpty,
               !title.periods.isEmpty, title.periods.allSatisfy(\.isYear) {
                yearlyTitle[table] = title.periods
            }
        }
        // Read each data cell with its labels.
        for (k, p) in place {
            guard let header = headerRow[p.table], p.row != header else { continue }
            var labelRanges: [Range<Int>] = []
            if let r = cellBlocks(header, p.column) { labelRanges.append(r) }
            if p.column > 0, let r = cellBlocks(p.row, 0) { labelRanges.append(r) }
            var labels = labelFacts(labelRanges)
            if labels.periods.isEmpty, let periods = yearlyTitle[p.table] { labels.periods = periods }
            apply(labels: labels, to: k)
        }
        // A row's price and its income per period, in two columns and no percent ("Price ৳1,000
        // | Daily income ৳45"): the one over the other is the rate, as in a sentence.
        for (table, header) in headerRow where !byColumns.contains(table) {
            let columns = (rowCells[header] ?? []).map(\.column)
            let facts = columns.map { labelFacts(cellBlocks(header, $0).map { [$0] } ?? []) }
            // One column of what is put in, one of what is paid out per period; no percent.
            guard let put = columns.indices.first(where: { facts[$0].amountWords.contains(.stake) && facts[$0].periods.isEmpty && !facts[$0].hasPercentSign }),
                  let paid = columns.indices.first(where: { $0 != put && facts[$0].amountWords.contains(.payout) && !facts[$0].periods.isEmpty && !facts[$0].hasPercentSign })
            else { continue }
            for row in tableRows[table] ?? [] where row != header {
                /// A cell's first amount, with the block it is in.
                func amount(_ column: Int16) -> (block: Int, money: Offer.Money)? {
                    for j in cellBlocks(row, column) ?? 0..<0 {
                        let f = blocks[j].factsBox.facts
                        guard f.rates.isEmpty else { return nil }
                        if let m = f.firstMoney ?? f.bareNumber.flatMap({ b in b.value.map { Offer.Money(amount: $0, currency: nil) } }) { return (j, m) }
                    }
                    return nil
                }
                guard let (_, price) = amount(columns[put]), let (k, income) = amount(columns[paid]), price.amount > 0, income.amount > 0,
                      income.amount <= price.amount * 20, price.currency == nil || income.currency == nil || price.currency == income.currency
                else { continue }
                var f = blocks[k].factsBox.facts
                let period = facts[paid].periods[0]
                var rate = RateFact(low: nil, high: income.amount / price.amount * 100, start: blocks[k].range.lowerBound, end: blocks[k].range.upperBound,
                                    spanStart: blocks[k].range.lowerBound, spanEnd: blocks[k].range.upperBound)
                rate.periodDays = period.days
                rate.periodIsYear = period.isYear
                f.rates.append(rate)
                if f.minimum == nil { f.minimum = price }
                blocks[k].setFacts(f)
            }
        }

        // 2. Rates counted per node (a bounded way up), to find each rate's plan.
        var rateCount: [Int32: Int] = [:]
        for k in blocks.indices where !blocks[k].factsBox.facts.rates.isEmpty {
            var n = blocks[k].node
            let rates = blocks[k].factsBox.facts.rates.count
            for _ in 0..<OfferExtractor.maxClimb {
                rateCount[n, default: 0] += rates
                let p = nodes[Int(n)].parent
                if p < 0 { break }
                n = p
            }
        }

        // 3. Each rate, with its plan.
        var offers: [Offer] = []
        for k in blocks.indices {
            for r in blocks[k].factsBox.facts.rates.indices {
                let rate = blocks[k].factsBox.facts.rates[r]
                var plan: [Int] = [k]
                var name: String?
                // A table's header row labels the rows below; a percent there ("-5%" badges) is no offer.
                if let p = place[k], headerRow[p.table] == p.row { continue }
                if let p = place[k], let header = headerRow[p.table] {
                    if byColumns.contains(p.table) {
                        // A plan per column: every row's cell in this column.
                        for row in tableRows[p.table] ?? [] where row != header {
                            if let range = cellBlocks(row, p.column) { plan += range.filter { $0 != k } }
                        }
                        if let range = cellBlocks(header, p.column) { name = planName(range, excluding: k) }
                    } else {
                        for cell in rowCells[p.row] ?? [] { plan += blocksIn(cell.node).filter { $0 != k } }
                        if p.column != 0, let range = cellBlocks(p.row, 0) { name = planName(range, excluding: k) }
                    }
                } else if blocks[k].factsBox.facts.rates.count == 1 {
                    plan = planBlocks(for: k, rateCount: rateCount, blocksIn: blocksIn)
                    name = planName(plan, excluding: k, headingsOnly: true)
                }
                if name == nil, let prefix = blocks[k].factsBox.facts.namePrefix { name = original(k, prefix) }
                if name == nil, plan.count > 1 { name = planName(plan, excluding: k) }
                if let offer = makeOffer(rate, block: k, plan: plan.filter { $0 != k }, name: name, result: &result) {
                    offers.append(offer)
                }
            }
        }

        // 4. Referral ladders written one level per block ("Level 1: 10%", "Level 2: 5%") are one ladder.
        var merged: [Offer] = []
        for offer in offers {
            if offer.kind == .referral, offer.levels.count == 1, let last = merged.last, last.kind == .referral,
               last.evidence.target == offer.evidence.target, last.plan == offer.plan, last.levels.count < 10, ladderContinues(last, offer) {
                merged[merged.count - 1].levels += offer.levels
                OfferMath.derive(&merged[merged.count - 1])
                continue
            }
            merged.append(offer)
        }
        OfferMath.yearlyRatesPaidOutMonthly(&merged)
        // The same offer written twice (a banner and the table) is listed once.
        var seen = Set<SameOffer>()
        for offer in merged where seen.insert(SameOffer(offer)).inserted { result.offers.append(offer) }
        _ = structure
        return result
    }

    /// What makes two offers the same one written twice: kind, plan, rate, period, term,
    /// limits and levels (figures compared bit for bit; a key string built per offer was a
    /// tenth of the assembler's time).
    struct SameOffer: Hashable {
        var kind: Offer.Kind
        var plan: String
        var figures: [UInt64]

        init(_ offer: Offer) {
            kind = offer.kind
            plan = offer.plan ?? ""
            figures = ([offer.ratePercent, offer.periodDays, offer.termDays, offer.minDeposit?.amount, offer.maxDeposit?.amount]
                .map { ($0 ?? -1).bitPattern }) + offer.levels.map(\.bitPattern)
        }
    }

    func ladderContinues(_ a: Offer, _ b: Offer) -> Bool {
        // Consecutive level blocks only: the evidence contexts differ, the levels do not grow much.
        guard let last = a.levels.last, let next = b.levels.first else { return false }
        return next <= last * 2
    }

    /// What the blocks of a header cell (and a row's first cell) say, as one cell's labels.
    func labelFacts(_ ranges: [Range<Int>]) -> BlockFacts {
        var labels = BlockFacts()
        for j in ranges.joined() {
            let f = blocks[j].factsBox.facts
            labels.words.formUnion(f.words)
            labels.amountWords.formUnion(f.amountWords)
            labels.hasPercentSign = labels.hasPercentSign || f.hasPercentSign
            labels.periods += f.periods
        }
        return labels
    }

    /// A table cell's labels turn its bare figures into a rate, a limit, a term or a principal.
    mutating func apply(labels: BlockFacts, to k: Int) {
        var f = blocks[k].factsBox.facts
        let w = labels.words
        let isMin = !w.isDisjoint(with: [.minimum, .minDeposit]), isMax = !w.isDisjoint(with: [.maximum, .maxDeposit])
        if isMin && isMax, let range = f.moneyRange {
            f.minimum = f.minimum ?? range.0
            f.maximum = f.maximum ?? range.1
        } else if isMin, !isMax, f.minimum == nil {
            f.minimum = f.firstMoney ?? f.bareNumber.flatMap { b in b.value.map { Offer.Money(amount: $0, currency: nil) } }
        } else if isMax, !isMin, f.maximum == nil {
            f.maximum = f.firstMoney ?? f.bareNumber.flatMap { b in b.value.map { Offer.Money(amount: $0, currency: nil) } }
        }
        if !w.isDisjoint(with: [.principal, .principalBack]), f.principal == nil, f.byteCount > 0 {
            f.principal = !f.words.contains(.no)
        }
        // A bare number under a percent header is the rate.
        if f.rates.isEmpty, labels.hasPercentSign, !isMin, !isMax, let bare = f.bareNumber {
            var rate = RateFact(low: nil, high: bare.value, start: bare.start, end: bare.end, spanStart: bare.start, spanEnd: bare.end)
            if bare.value == nil { rate.unreadable = "an unreadable number" }
            if bare.negative { rate.unreadable = "a negative rate" }
            f.rates.append(rate)
            f.bareNumber = nil
        } else if f.rates.isEmpty, labels.periods.isEmpty, !isMin, !isMax, !labels.hasPercentSign,
                  let unit = labels.words.intersection(OfferWords.units).days, let bare = f.bareNumber, let v = bare.value {
            // "Term (days)": a bare number is the term.
            f.terms.append(v * unit)
            f.bareNumber = nil
        }
        // A rate under a "per cycle" header is paid after the plan's term (makeOffer).
        if labels.words.contains(.cycle) {
            for r in f.rates.indices { f.rates[r].perCycle = true }
        }
        // The header's period words are the period of the cell's rates ("Daily profit").
        if let period = labels.periods.first {
            for r in f.rates.indices where f.rates[r].periodDays == nil && f.rates[r].afterDays == nil && f.rates[r].levels == nil {
                f.rates[r].periodDays = period.days
                f.rates[r].periodIsYear = period.isYear
            }
        }
        blocks[k].setFacts(f)
    }

    /// The largest element around block k holding no other rate; in a run of headings and items
    /// (a `<dl>`, a card of `<h3>` and `<p>`), the run from this item's heading to the next.
    func planBlocks(for k: Int, rateCount: [Int32: Int], blocksIn: (Int32) -> Range<Int>) -> [Int] {
        var top = blocks[k].node
        var n = top
        for _ in 0..<OfferExtractor.maxClimb {
            let p = nodes[Int(n)].parent
            if p <= 0 { break }   // never the whole document
            if (rateCount[p] ?? 0) > 1 || blocksIn(p).count > OfferExtractor.maxPlanBlocks { break }
            n = p
            top = p
        }
        let inside = Array(blocksIn(top))
        let parent = nodes[Int(top)].parent
        guard parent > 0, (rateCount[parent] ?? 0) > 1 else { return inside }
        // Siblings under a parent with several rates: split them at headings (dt, h1–h6). A
        // plan is at most `maxPlanBlocks` blocks, so the heading before `k` and the one after
        // are looked for no further than that: a page of a million rates under one parent
        // costs a bounded walk per rate, not the whole list each time.
        let siblings = blocksIn(parent)
        guard siblings.contains(k) else { return inside }
        func isHeading(_ j: Int) -> Bool {
            let kind = nodes[Int(blocks[j].node)].kind
            return (kind == .heading || kind == .term) && nodes[Int(blocks[j].node)].parent == parent && blocks[j].factsBox.facts.rates.isEmpty
        }
        let reach = OfferExtractor.maxPlanBlocks
        var from = k
        while from > siblings.lowerBound, !isHeading(from), k - from < reach { from -= 1 }
        guard isHeading(from) else { return inside }
        var to = k + 1
        while to < siblings.upperBound, !isHeading(to), to - from <= reach { to += 1 }
        let run = Array(from..<to)
        let rates = run.reduce(0) { $0 + blocks[$1].factsBox.facts.rates.count }
        return rates == 1 && run.count <= OfferExtractor.maxPlanBlocks ? run : inside
    }

    /// A plan name: a heading (or, unless `headingsOnly`, a short block) without figures or offer words.
    func planName<S: Sequence>(_ candidates: S, excluding k: Int, headingsOnly: Bool = false) -> String? where S.Element == Int {
        let offerWords: OfferWords = OfferWords.periods.union([.minimum, .maximum, .minDeposit, .maxDeposit, .principal, .principalBack, .referralLevel, .notAReturn, .after, .within])
        for j in candidates where j != k {
            let b = blocks[j]
            let kind = nodes[Int(b.node)].kind
            if headingsOnly && !(kind == .heading || kind == .term || kind == .headerCell) { continue }
            guard b.range.count <= 60, b.factsBox.facts.rates.isEmpty, b.factsBox.facts.words.isDisjoint(with: offerWords),
                  b.factsBox.facts.firstMoney == nil, !b.factsBox.facts.hasPercentSign else { continue }
            return original(j, nil)
        }
        return nil
    }

    func normalized(_ target: RuleTarget) -> NormalizedText { target == .hidden ? hidden : text }

    /// The page's own words for a block (or part of it), trimmed.
    func original(_ k: Int, _ part: Range<Int>?) -> String? {
        let t = normalized(blocks[k].target)
        let r = part ?? blocks[k].range
        let lo = t.originalOffset(r.lowerBound)
        var hi = r.upperBound < t.bytes.count ? t.originalOffset(r.upperBound) : t.original.count
        if hi < lo { hi = lo }
        let s = Self.trimmingMarks(NormalizedText.clean(t.original[lo..<hi]))
        if s.isEmpty { return nil }
        return s.count > 60 ? String(s.prefix(60)) + "…" : s
    }

    /// What `original` trims from both ends of a name.
    static let trimmedMarks: Set<Unicode.Scalar> = [" ", ":", "-", "–", "—", "|", "·", "•", "*", "#"]

    /// `s` without `trimmedMarks` at either end. (Foundation's `trimmingCharacters(in:)` with a
    /// `CharacterSet` made per call was a hundredth of all time on a corpus.)
    static func trimmingMarks(_ s: String) -> String {
        let scalars = s.unicodeScalars
        var lo = scalars.startIndex, hi = scalars.endIndex
        while lo < hi, trimmedMarks.contains(scalars[lo]) { lo = scalars.index(after: lo) }
        while hi > lo, trimmedMarks.contains(scalars[scalars.index(before: hi)]) { hi = scalars.index(before: hi) }
        return String(scalars[lo..<hi])
    }

    /// An offer from a rate and what its plan says, or nil when it is no offer (no period, or
    /// said in a warning).
    func makeOffer(_ rate: RateFact, block k: Int, plan: [Int], name: String?, result: inout OfferExtractor.Result) -> Offer? {
        // A rate the page warns about is no offer it makes ("any site promising "3% daily" is a scam").
        if rate.warned { return nil }
        var rate = rate
        let facts = blocks[k].factsBox.facts
        // A figure that stands nearly alone in its block ("3%", "Profit: 3%", a cell), not one in a sentence.
        let short = facts.byteCount <= OfferExtractor.shortBytes && facts.byteCount - (rate.spanEnd - rate.spanStart) <= 24
        var minimum = facts.minimum, maximum = facts.maximum
        var principal = facts.principal
        var terms = facts.terms
        var lifetime = rate.lifetime || facts.lifetime
        if minimum == nil, maximum == nil, let range = facts.moneyRange { minimum = range.0; maximum = range.1 }
        // A period from another block only joins a plan that looks like one: with a deposit
        // limit, an amount or a term somewhere ("Battery: 100%" next to "Charging daily" is none).
        let looksLikePlan = ([k] + plan).contains { j in
            let f = blocks[j].factsBox.facts
            return f.minimum != nil || f.maximum != nil || f.moneyRange != nil || f.firstMoney != nil || !f.terms.isEmpty || f.lifetime
        }
        for j in plan {
            let f = blocks[j].factsBox.facts
            if rate.levels == nil, rate.periodDays == nil, rate.afterDays == nil, short, looksLikePlan {
                if let p = f.periods.first, f.byteCount <= OfferExtractor.labelBytes { rate.periodDays = p.days; rate.periodIsYear = p.isYear }
                else if let a = f.afters.first, f.byteCount <= OfferExtractor.labelBytes { rate.afterDays = a }
            }
            minimum = minimum ?? f.minimum
            maximum = maximum ?? f.maximum
            if minimum == nil, maximum == nil, let range = f.moneyRange { minimum = range.0; maximum = range.1 }
            principal = principal ?? f.principal
            terms += f.terms
            lifetime = lifetime || f.lifetime
        }
        // "8% per cycle" with a 30-day cycle: 8% after 30 days. Under a "per cycle" header the
        // cycle is the plan's term; in a sentence, only a term of the same block ("8% por ciclo
        // de 30 dias").
        if rate.levels == nil, rate.periodDays == nil, rate.afterDays == nil,
           let cycle = rate.perCycle ? (rate.termDays ?? terms.first) : (facts.words.contains(.cycle) ? (rate.termDays ?? facts.terms.first) : nil) {
            rate.afterDays = cycle
        }
        if rate.termDays == nil, rate.afterDays == nil { rate.termDays = terms.first }

        let kind: Offer.Kind
        if rate.levels != nil { kind = .referral }
        else if rate.periodDays != nil { kind = rate.periodIsYear ? .bankRate : .fixedReturn }
        else if rate.afterDays != nil { kind = .afterTerm }
        else { return nil }

        let t = normalized(blocks[k].target)
        let evidence = t.evidence(Span(target: blocks[k].target, start: rate.spanStart, end: rate.spanEnd))
        var offer = Offer(kind: kind, evidence: evidence)
        offer.plan = name
        offer.ratePercent = rate.high
        offer.rateLowPercent = rate.low
        offer.periodDays = kind == .afterTerm ? rate.afterDays : rate.periodDays
        offer.termDays = kind == .afterTerm ? rate.afterDays : rate.termDays
        offer.lifetime = offer.termDays == nil && lifetime
        offer.minDeposit = minimum
        offer.maxDeposit = maximum
        offer.principalReturned = principal ?? (rate.multiplier ? true : nil)
        if let levels = rate.levels {
            offer.levels = levels
            offer.periodDays = nil
            offer.termDays = nil
            offer.principalReturned = nil
        }
        if let why = rate.unreadable ?? OfferMath.insanity(offer) {
            result.dropped.append((why, evidence.match))
            return nil
        }
        // Figures from the exact period (an hour is 1/24 day), then everything rounded for output.
        OfferMath.derive(&offer)
        OfferMath.round(&offer)
        return offer
    }
}

extension OfferMath {
    /// Rounds an offer's own figures (a month is 30.4167 days, not 30.416666…).
    static func round(_ offer: inout Offer) {
        offer.ratePercent = rounded(offer.ratePercent)
        offer.rateLowPercent = rounded(offer.rateLowPercent)
        offer.periodDays = rounded(offer.periodDays)
        offer.termDays = rounded(offer.termDays)
        offer.levels = offer.levels.compactMap { rounded($0) }
    }
}
