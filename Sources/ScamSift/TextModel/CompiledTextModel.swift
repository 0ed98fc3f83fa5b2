/// A token model laid out for judging pages fast. Every token is kept in columns sorted by
/// hash (what a file holds, and what a learned database is added to); the tokens that can
/// count (at least `minDistance` from 0.5) are also in an open-addressing table, so a lookup
/// touches one or two slots. Judging a page costs one pass of the tokenizer and a lookup per
/// token, with no string made except for the few tokens the report shows; loading the built-in
/// model is a pass over its file, with no dictionary built (it is read at every start-up).
public struct CompiledTextModel: Sendable {
    public let scamPages: Int
    public let legitPages: Int
    /// Every token, sorted by hash, with the pages of each class holding it.
    let allHashes: [UInt64]
    let allCounts: [TextModel.TokenCount]
    /// The tokens that can count: their index in the columns, and their probability.
    let counting: [Int32]
    let probabilities: [Double]
    /// Slots hold the token's hash's top 32 bits, then its index into `counting` + 1 (0: an empty
    /// slot); at least half of them are empty. A probe compares the top bits in the slot itself
    /// and reads `countingHashes` only when they agree: most tokens of a page are not in the
    /// model, and following each slot to the hash columns was two more cache misses per probe.
    let slots: [UInt64]
    /// The hash of each counting token, by its index in `counting`.
    let countingHashes: [UInt64]
    let mask: Int

    /// The built-in model (`Rules/text-model.tsv`), compiled once.
    public static let builtIn: CompiledTextModel? = TextModelFile.builtInColumns.map(CompiledTextModel.init(columns:))

    public init(_ model: TextModel) {
        let sorted = model.counts.sorted { $0.key < $1.key }
        self.init(columns: TextModelFile.Columns(scamPages: model.scamPages, legitPages: model.legitPages,
                                                 hashes: sorted.map(\.key), counts: sorted.map(\.value)))
    }

    init(columns c: TextModelFile.Columns) {
        scamPages = c.scamPages
        legitPages = c.legitPages
        allHashes = c.hashes
        allCounts = c.counts
        var counting: [Int32] = [], probabilities: [Double] = []
        if TextModel.isUsable(scamPages: c.scamPages, legitPages: c.legitPages) {
            for k in c.counts.indices {
                let f = TextModel.tokenProbability(c.counts[k], scamPages: c.scamPages, legitPages: c.legitPages)
                if abs(f - 0.5) >= TextModel.minDistance {
                    counting.append(Int32(k))
                    probabilities.append(f)
                }
            }
        }
        self.counting = counting
        self.probabilities = probabilities
        var size = 16
        while size < 2 * counting.count { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        for (k, column) in counting.enumerated() {
            let h = c.hashes[Int(column)]
            var slot = Self.slot(h, size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = h & Self.topBits | UInt64(k + 1)
        }
        self.slots = slots
        countingHashes = counting.map { c.hashes[Int($0)] }
        mask = size - 1
    }

    /// The model as counts (to add a learned database to it).
    public var model: TextModel {
        TextModel(scamPages: scamPages, legitPages: legitPages,
                  counts: Dictionary(uniqueKeysWithValues: zip(allHashes, allCounts)))
    }

    public var isUsable: Bool { TextModel.isUsable(scamPages: scamPages, legitPages: legitPages) }

    @inline(__always)
    static func slot(_ h: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: h ^ (h >> 29)) & mask }

    func hash(_ k: Int) -> UInt64 { allHashes[Int(counting[k])] }

    /// The counting token with this hash (an index into `counting`), if any.
    @inline(__always)
    func index(of h: UInt64) -> Int? {
        var slot = Self.slot(h, mask)
        let top = h & Self.topBits
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & Self.topBits == top {
                let k = Int(entry & ~Self.topBits) - 1
                if countingHashes[k] == h { return k }
            }
            slot = (slot + 1) & mask
        }
    }

    static let topBits: UInt64 = 0xFFFF_FFFF_0000_0000

    func counts(_ h: UInt64) -> TextModel.TokenCount? {
        var a = 0, b = allHashes.count
        while a < b { let m = (a + b) >> 1; if allHashes[m] < h { a = m + 1 } else { b = m } }
        return a < allHashes.count && allHashes[a] == h ? allCounts[a] : nil
    }

    /// The first `k` of `items` in the order `precedes` gives (a strict total order), in that
    /// order: what sorting them all and keeping `k` gives. A page holds a thousand or more of the
    /// model's tokens, of which 50 count; sorting them all was about a third of judging a page.
    static func first<T>(_ k: Int, of items: [T], by precedes: (T, T) -> Bool) -> [T] {
        var kept: [T] = []
        kept.reserveCapacity(k + 1)
        for item in items {
            if kept.count == k, let last = kept.last, !precedes(item, last) { continue }
            // Where it goes: after every kept item that precedes it.
            var lo = 0, hi = kept.count
            while lo < hi { let mid = (lo + hi) >> 1; if precedes(kept[mid], item) { lo = mid + 1 } else { hi = mid } }
            kept.insert(item, at: lo)
            if kept.count > k { kept.removeLast() }
        }
        return kept
    }

    /// The page's probability and the tokens that pushed it most (nil: the model is unusable).
    func judge(_ bytes: [UInt8], top: Int = 5) -> TextModel.Judgement? {
        guard isUsable else { return nil }
        // Each counting token once: a bit per token, and where it was first seen.
        var seen = [UInt64](repeating: 0, count: (counting.count + 63) / 64)
        var found: [(index: Int, range: Range<Int>, kind: TextTokenizer.Kind)] = []
        TextTokenizer.forEachToken(bytes) { h, range, kind in
            if let k = index(of: h), seen[k >> 6] & (1 << UInt64(k & 63)) == 0 {
                seen[k >> 6] |= 1 << UInt64(k & 63)
                found.append((k, range, kind))
            }
            return true
        }
        // The strongest tokens, farthest from 0.5 first (then by hash, for the same bytes out).
        // Keys made once: the comparison read two tables for each side at every step.
        let keys = found.indices.map { f in (strength: abs(probabilities[found[f].index] - 0.5), hash: hash(found[f].index), at: f) }
        let chosen = Self.first(TextModel.maxInteresting, of: keys) { a, b in (a.strength, b.hash) > (b.strength, a.hash) }
            .map { found[$0.at] }
        let probability = TextModel.combine(chosen.map { probabilities[$0.index] })
        var tokens: [UInt64: TextTokenizer.Token] = [:]
        for c in chosen { tokens[hash(c.index)] = TextTokenizer.token(hash(c.index), bytes[c.range], c.kind) }
        return TextModel.Judgement(probability: probability,
                                   tokens: TextModel.pushed(chosen.map { (hash($0.index), probabilities[$0.index]) }, tokens: tokens,
                                                            counts: counts, top: top))
    }
}
