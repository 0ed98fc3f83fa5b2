import Foundation

/// A learned token model beside the rules, like SpamAssassin's Bayes: how many scam and how
/// many legitimate pages each token was seen on, and a probability that a page is a scam from
/// the tokens it shares with them.
///
/// Each token's own probability is Gary Robinson's: the share of scam pages among the pages
/// that hold it, with both classes weighted to equal size, pulled towards 0.5 by how few pages
/// it was seen on (`strength`). The `maxInteresting` tokens farthest from 0.5 (and at least
/// 0.1 away) are combined with Fisher's method (chi-square), as SpamAssassin does. A model that has
/// seen fewer than `minPages` pages of either class says nothing.
public struct TextModel: Sendable, Equatable {
    /// Pages learned of each class.
    public private(set) var scamPages: Int
    public private(set) var legitPages: Int
    /// Token hash → pages of each class holding it.
    public private(set) var counts: [UInt64: TokenCount]

    public struct TokenCount: Sendable, Equatable {
        public var scam: UInt32
        public var legit: UInt32
        public init(scam: UInt32, legit: UInt32) { self.scam = scam; self.legit = legit }
    }

    public static let minPages = 10
    // Chosen on grouped cross-validation of Samples and the shared corpus (a few hundred pages,
    // far fewer than a mail filter learns from): a strength of 10 keeps a token seen on a page
    // or two near 0.5, and the 50 strongest tokens judge a page.
    static let maxInteresting = 50
    static let minDistance = 0.1
    static let strength = 10.0

    public init(scamPages: Int = 0, legitPages: Int = 0, counts: [UInt64: TokenCount] = [:]) {
        self.scamPages = scamPages
        self.legitPages = legitPages
        self.counts = counts
    }

    /// The fewest pages a token must be seen on before it can count at all: fewer keep its
    /// probability within `minDistance` of 0.5 (so a model file may leave them out).
    public static var leastCountedPages: Int {
        var n = 1
        while (strength * 0.5 + Double(n)) / (strength + Double(n)) - 0.5 < minDistance { n += 1 }
        return n
    }

    public var isUsable: Bool { Self.isUsable(scamPages: scamPages, legitPages: legitPages) }

    static func isUsable(scamPages: Int, legitPages: Int) -> Bool { scamPages >= minPages && legitPages >= minPages }

    /// Counts one page (its distinct token hashes) as scam or legit.
    public mutating func learn(_ hashes: [UInt64], isScam: Bool) {
        if isScam { scamPages += 1 } else { legitPages += 1 }
        for h in hashes {
            var c = counts[h] ?? TokenCount(scam: 0, legit: 0)
            if isScam { c.scam += 1 } else { c.legit += 1 }
            counts[h] = c
        }
    }

    /// Adds another model's counts (the built-in model and a user's learned pages).
    public mutating func add(_ other: TextModel) {
        scamPages += other.scamPages
        legitPages += other.legitPages
        for (h, c) in other.counts {
            let mine = counts[h] ?? TokenCount(scam: 0, legit: 0)
            counts[h] = TokenCount(scam: mine.scam + c.scam, legit: mine.legit + c.legit)
        }
    }

    /// A token's probability of "scam" (nil: never seen).
    func tokenProbability(_ c: TokenCount) -> Double { Self.tokenProbability(c, scamPages: scamPages, legitPages: legitPages) }

    static func tokenProbability(_ c: TokenCount, scamPages: Int, legitPages: Int) -> Double {
        let s = Double(c.scam) / Double(max(1, scamPages)), l = Double(c.legit) / Double(max(1, legitPages))
        let p = s + l > 0 ? s / (s + l) : 0.5
        let n = Double(c.scam + c.legit)
        return (Self.strength * 0.5 + n * p) / (Self.strength + n)
    }

    /// What the model says about one page.
    public struct Judgement: Sendable, Equatable {
        /// Probability that the page is a scam, 0…1.
        public var probability: Double
        /// The tokens that pushed it most, most first: their text, their probability, and the
        /// pages of each class they were seen on.
        public var tokens: [Pushed]

        public struct Pushed: Sendable, Equatable {
            public var text: String
            public var probability: Double
            public var scamPages: Int
            public var legitPages: Int
        }
    }

    /// The page's probability from its token hashes (sorted, distinct); nil when the model is
    /// not usable. Deterministic: ties are broken by hash.
    public func probability(_ hashes: [UInt64]) -> Double? {
        guard isUsable else { return nil }
        return Self.combine(interesting(hashes.compactMap { h in counts[h].map { (h, tokenProbability($0)) } }).map(\.1))
    }

    /// The probability and the `top` tokens that pushed it most.
    public func judge(_ tokens: [TextTokenizer.Token], top: Int = 5) -> Judgement? {
        guard isUsable else { return nil }
        var known: [(UInt64, Double)] = []
        var token: [UInt64: TextTokenizer.Token] = [:]
        for t in tokens { if let c = counts[t.hash] { known.append((t.hash, tokenProbability(c))); token[t.hash] = t } }
        let chosen = interesting(known)
        return Judgement(probability: Self.combine(chosen.map(\.1)), tokens: Self.pushed(chosen, tokens: token, counts: { counts[$0] }, top: top))
    }

    /// The `top` tokens to show of those chosen: words before the trigrams that tie with them,
    /// and no trigram of a word already shown ("…trc…" after "trc20").
    static func pushed(_ chosen: [(UInt64, Double)], tokens token: [UInt64: TextTokenizer.Token],
                       counts: (UInt64) -> TokenCount?, top: Int) -> [Judgement.Pushed] {
        let ordered = chosen.sorted { a, b in
            (abs(a.1 - 0.5), token[a.0]?.isGram ?? true ? 0 : 1, b.0) > (abs(b.1 - 0.5), token[b.0]?.isGram ?? true ? 0 : 1, a.0)
        }
        var pushed: [Judgement.Pushed] = []
        for (h, f) in ordered where pushed.count < top {
            guard let t = token[h], let c = counts(h) else { continue }
            if t.isGram {
                // The trigram without its marks ("…trc…" → "trc").
                let scalars = t.text.unicodeScalars
                var lo = scalars.startIndex, hi = scalars.endIndex
                while lo < hi, scalars[lo] == "…" { lo = scalars.index(after: lo) }
                while hi > lo, scalars[scalars.index(before: hi)] == "…" { hi = scalars.index(before: hi) }
                let bare = String(scalars[lo..<hi])
                if pushed.contains(where: { $0.text.contains(bare) }) { continue }
            }
            pushed.append(Judgement.Pushed(text: t.text, probability: f, scamPages: Int(c.scam), legitPages: Int(c.legit)))
        }
        return pushed
    }

    /// The tokens far enough from 0.5, farthest first (then by hash), at most `maxInteresting`.
    func interesting(_ known: [(UInt64, Double)]) -> [(UInt64, Double)] {
        known.filter { abs($0.1 - 0.5) >= Self.minDistance }
            .sorted { (abs($0.1 - 0.5), $1.0) > (abs($1.1 - 0.5), $0.0) }
            .prefix(Self.maxInteresting).map { $0 }
    }

    /// Fisher's method: how unlikely the probabilities are if the page were legit, against how
    /// unlikely if it were a scam. 0.5 when nothing is known.
    static func combine(_ fs: [Double]) -> Double {
        guard !fs.isEmpty else { return 0.5 }
        var lnScam = 0.0, lnLegit = 0.0
        for f in fs {
            let g = min(max(f, 1e-6), 1 - 1e-6)
            lnScam += log(g); lnLegit += log(1 - g)
        }
        let likeScam = Self.chi2Q(-2 * lnScam, 2 * fs.count)    // near 1 when every f is near 1
        let likeLegit = Self.chi2Q(-2 * lnLegit, 2 * fs.count)  // near 1 when every f is near 0
        return (1 + likeScam - likeLegit) / 2
    }

    /// The chance that a chi-square variable with `dof` (even) degrees of freedom is at least `x`.
    static func chi2Q(_ x: Double, _ dof: Int) -> Double {
        let m = x / 2
        var term = exp(-m), sum = term
        for i in 1..<max(1, dof / 2) {
            term *= m / Double(i)
            sum += term
        }
        return min(sum, 1)
    }
}
