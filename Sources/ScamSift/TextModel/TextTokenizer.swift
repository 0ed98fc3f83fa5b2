/// Cuts a page's normalised visible text into the tokens the text model counts, as
/// SpamAssassin's Bayes does with a message:
///
/// - every word: a run of word characters (`WordChars`) with at least one letter ("trc20" is
///   one; "2024" and "3" are none: amounts and dates say more about a page's day than its
///   kind), 2 to 40 bytes long;
/// - every word's character trigrams, with its ends marked ("_tr", "trc", …, "20_"), so the
///   forms of one word (deposit, deposits, depósito) share most of their tokens, which is what
///   a model learned on a few hundred pages in many languages needs most;
/// - in the scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar), every pair
///   of neighbouring characters, as a word has no edges to cut at there.
///
/// A page's tokens are a set: the model counts pages, not repeats. Tokens are kept as 64-bit
/// FNV-1a hashes (a trigram's with a mark of its own, so "trc" the trigram and "trc" the word
/// differ): the model stores no text, so a model learned on pages gathered elsewhere carries
/// none of their words.
public enum TextTokenizer {
    /// Most tokens read from one page (the rest of a huge page adds nothing a model needs).
    public static let maxTokens = 50_000
    static let minBytes = 2, maxBytes = 40
    static let boundary: UInt8 = 0x5F   // "_"

    /// One token, with the text a reader is shown for it.
    public struct Token: Sendable, Equatable {
        public var hash: UInt64
        public var text: String
        /// A trigram ("…trc…"), not a whole word or a character pair.
        public var isGram = false
    }

    /// What a token is, and how a reader is shown it.
    public enum Kind: Sendable, Equatable {
        case word
        /// Two neighbouring characters of a script written without spaces.
        case pair
        /// Three characters of a word; `startsWord`/`endsWord` when a boundary mark is one of
        /// them ("_tr" holds the two characters "tr" and starts the word).
        case gram(startsWord: Bool, endsWord: Bool)
    }

    /// The distinct tokens of `bytes` (normalised text), sorted by hash.
    static func tokens(_ bytes: [UInt8]) -> [Token] {
        var seen: [UInt64: Token] = [:]
        forEachToken(bytes) { hash, range, kind in
            if seen[hash] == nil { seen[hash] = token(hash, bytes[range], kind) }
            return seen.count < maxTokens
        }
        return seen.values.sorted { $0.hash < $1.hash }
    }

    static func token(_ hash: UInt64, _ bytes: ArraySlice<UInt8>, _ kind: Kind) -> Token {
        let core = String(decoding: bytes, as: UTF8.self)
        guard case let .gram(starts, ends) = kind else { return Token(hash: hash, text: core) }
        // A trigram as a reader sees it: "_tr" is "tr…" (a word starting so), "c20" is "…c20…".
        return Token(hash: hash, text: (starts ? "" : "…") + core + (ends ? "" : "…"), isGram: true)
    }

    /// The distinct token hashes of `bytes`, sorted (what learning and fitting need).
    public static func hashes(_ bytes: [UInt8]) -> [UInt64] {
        var seen = Set<UInt64>()
        forEachToken(bytes) { hash, _, _ in
            seen.insert(hash)
            return seen.count < maxTokens
        }
        return seen.sorted()
    }

    public static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    public static func hash<C: Collection>(_ bytes: C, seed: UInt64 = basis) -> UInt64 where C.Element == UInt8 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// The seed of trigram hashes: FNV-1a's offset basis run over one 0x01 byte first.
    static let gramSeed = hash([0x01])

    /// Calls `body` with each token's hash, where it lies in `bytes` (for a trigram, its
    /// characters without the boundary marks) and its kind, in text order, until it returns
    /// false. Hashes are made from the text in place: this runs on every page scored.
    ///
    /// A word seen before on the page is not passed again, nor are its trigrams: every caller
    /// keeps a page's tokens as a set, and a repeat adds nothing to it. Most words of a page are
    /// repeats, and their trigrams were most of the tokenizer's and the model's work.
    static func forEachToken(_ bytes: [UInt8], _ body: (UInt64, Range<Int>, Kind) -> Bool) {
        var wordsSeen = HashSet64()
        bytes.withUnsafeBufferPointer { b in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: maxBytes + 2) { starts in
                var wordStart = -1
                var wordHasLetter = false
                // Where the previous character of a run written without spaces starts, for pairs.
                var previous = -1
                var keepGoing = true

                func endWord(_ end: Int) {
                    defer { wordStart = -1; wordHasLetter = false }
                    guard wordStart >= 0, wordHasLetter, (minBytes...maxBytes).contains(end - wordStart) else { return }
                    var h = basis
                    for k in wordStart..<end { h = (h ^ UInt64(b[k])) &* prime }
                    guard wordsSeen.insert(h) else { return }
                    keepGoing = body(h, wordStart..<end, .word)
                    guard keepGoing else { return }
                    // Where each character starts; starts[n] is the word's end.
                    var n = 0
                    var k = wordStart
                    while k < end {
                        starts[n] = k
                        n += 1
                        let c = b[k]
                        k += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                    }
                    starts[n] = end
                    // Positions 0 and n + 1 are the boundary marks, 1…n the characters.
                    guard n + 2 >= 3 else { return }
                    for a in 0...(n - 1) where keepGoing {
                        let startsWord = a == 0, endsWord = a + 2 == n + 1
                        let from = starts[max(1, a) - 1], to = starts[min(n, a + 2)]
                        var g = gramSeed
                        if startsWord { g = (g ^ UInt64(boundary)) &* prime }
                        for k in from..<to { g = (g ^ UInt64(b[k])) &* prime }
                        if endsWord { g = (g ^ UInt64(boundary)) &* prime }
                        keepGoing = body(g, from..<to, .gram(startsWord: startsWord, endsWord: endsWord))
                    }
                }

                var i = 0
                while i < b.count && keepGoing {
                    let c = b[i]
                    var length = 1
                    var scalar = UInt32(c)
                    if c >= 0x80 {
                        guard let (v, n) = WordChars.decode(b, i) else {
                            endWord(i)
                            previous = -1
                            i += 1
                            continue
                        }
                        scalar = v
                        length = n
                    }
                    if c >= 0x80 && WordChars.isSpaceless(scalar) {
                        endWord(i)
                        if previous >= 0, keepGoing {
                            var h = basis
                            for k in previous..<(i + length) { h = (h ^ UInt64(b[k])) &* prime }
                            keepGoing = body(h, previous..<(i + length), .pair)
                        }
                        previous = i
                        i += length
                        continue
                    }
                    previous = -1
                    let isWord = c < 0x80 ? WordChars.isWordByte(c) : (Unicode.Scalar(scalar).map(WordChars.isWord) ?? false)
                    if isWord {
                        if wordStart < 0 { wordStart = i }
                        if !(c >= 0x30 && c <= 0x39) { wordHasLetter = true }
                    } else if wordStart >= 0 {
                        endWord(i)
                    }
                    i += length
                }
                if keepGoing { endWord(b.count) }
            }
        }
    }
}

/// A set of 64-bit hashes, open addressing with linear probing: one per page, to tell a word
/// already tokenized (`Set<UInt64>` hashes each key again with a per-process seed, and the
/// keys are hashes already).
struct HashSet64 {
    private var slots = [UInt64](repeating: 0, count: 256)
    private var count = 0
    /// Whether the zero hash is in the set (zero marks an empty slot).
    private var hasZero = false

    /// Adds `h`; false when it was there already.
    mutating func insert(_ h: UInt64) -> Bool {
        if h == 0 {
            defer { hasZero = true }
            return !hasZero
        }
        if 2 * (count + 1) > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h ^ (h >> 31)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 {
                slots[slot] = h
                count += 1
                return true
            }
            if entry == h { return false }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for h in old where h != 0 { _ = insert(h) }
    }
}
