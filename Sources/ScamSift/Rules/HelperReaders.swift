/// When a helper's outcome cannot matter on a page. A helper is never reported: only the rules
/// that read it see what it found. When each of them is an `all` with a part that has already
/// run and not fired, or a helper whose own readers cannot read it either, nothing the helper
/// finds can change the page's outcome, and the evaluator passes it over: a costly regex such
/// as `_level_pct_pairs` on a page without a referral word, or `_deposit_amount` under an
/// `any` that only a failed `all` reads. A reader that needs the outcome on every page
/// (`not`, `n_of`, `unless`, `outside`) keeps the helper running, as does being reported.
struct HelperReaders: Sendable {
    /// Per rule: the rules that read it through `all` or `any`; nil when it always runs.
    private let readers: [[Int32]?]
    /// Per rule: its place in the evaluation order.
    private let position: [Int32]
    /// Per rule: the parts of an `all` (empty for any other kind).
    private let allParts: [[Int32]]

    init(_ rules: [CompiledRule], order: [Int]) {
        var position = [Int32](repeating: 0, count: rules.count)
        for (p, i) in order.enumerated() { position[i] = Int32(p) }
        var readers = [[Int32]](repeating: [], count: rules.count)
        var pinned = rules.map { !$0.isHelper }
        var allParts = [[Int32]](repeating: [], count: rules.count)
        for (c, rule) in rules.enumerated() {
            switch rule.kind {
            case let .all(refs):
                allParts[c] = refs.map(Int32.init)
                for r in Set(refs) { readers[r].append(Int32(c)) }
            case let .any(refs):
                for r in Set(refs) { readers[r].append(Int32(c)) }
            case let .nOf(_, refs): for r in refs { pinned[r] = true }
            case let .not(r): pinned[r] = true
            default: break
            }
            for r in rule.unless + rule.outside { pinned[r] = true }
        }
        self.readers = rules.indices.map { pinned[$0] ? nil : readers[$0] }
        self.position = position
        self.allParts = allParts
    }

    /// Whether nothing can read rule `x`'s outcome, at its turn in the order, given which of
    /// the rules run before it fired.
    func isUnread(_ x: Int, fired: [Bool]) -> Bool {
        isUnread(x, now: position[x], fired: fired, depth: 0)
    }

    private func isUnread(_ x: Int, now: Int32, fired: [Bool], depth: Int) -> Bool {
        // Rules refer to each other without cycles (a cycle is a load error); the depth only
        // bounds the walk should that ever change.
        guard depth < 32, let readers = readers[x] else { return false }
        for r in readers {
            let reader = Int(r)
            // An `all` with a part that ran before now and did not fire cannot fire.
            if allParts[reader].contains(where: { Int($0) != x && position[Int($0)] < now && !fired[Int($0)] }) { continue }
            if isUnread(reader, now: now, fired: fired, depth: depth + 1) { continue }
            return false
        }
        return true
    }
}
