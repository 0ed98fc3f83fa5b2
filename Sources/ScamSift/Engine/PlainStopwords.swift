/// The stopwords made of word characters only ("the", "de", "और", "в"), found by looking up
/// each whole word of a text instead of by an automaton.
///
/// Such a stopword counts only as a whole word, so an automaton that holds it reports it inside
/// every longer word that contains it ("a" in every "a" of "payment"), and the detector then
/// refuses nearly all of those for the word boundary. In the rules' pass over the visible text
/// those refused reports were most of all the automaton's matches. A whole word of the text
/// is a match exactly when it is one of these words: a match of a word-only pattern with no
/// word character on either side is a maximal run of word characters.
struct PlainStopwords: Sendable {
    /// Open addressing over a power-of-two table: an index into `ids`, or -1.
    private let slots: [Int32]
    private let shift: UInt64
    /// Word k's bytes are bytes[starts[k]..<starts[k + 1]], and it is the detector's pattern ids[k].
    private let bytes: [UInt8]
    private let starts: [Int32]
    private let ids: [Int32]
    /// The longest word, in bytes: a longer run of the text is not looked up.
    let maxLength: Int

    var count: Int { ids.count }

    /// Whether a pattern is a plain word: at least one scalar, each a word character as the
    /// boundary checks see it (so none of a script written without spaces).
    static func isPlainWord(_ pattern: [UInt8]) -> Bool {
        guard !pattern.isEmpty else { return false }
        return pattern.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                if b[i] < 0x80 {
                    guard WordChars.isWordByte(b[i]) else { return false }
                    i += 1
                } else {
                    let (isWord, n) = WordChars.nonASCIIWord(b, i)
                    guard isWord else { return false }
                    i += n
                }
            }
            return true
        }
    }

    /// `words`: each plain word's bytes with its pattern id (distinct words).
    init(_ words: [(bytes: [UInt8], id: Int32)]) {
        var bytes: [UInt8] = [], starts: [Int32] = [0], ids: [Int32] = []
        for w in words {
            bytes += w.bytes
            starts.append(Int32(bytes.count))
            ids.append(w.id)
        }
        var size = 16
        while size < words.count * 4 { size *= 2 }
        let shift = UInt64(64 - size.trailingZeroBitCount)
        self.shift = shift
        var slots = [Int32](repeating: -1, count: size)
        for (k, w) in words.enumerated() {
            var s = w.bytes.withUnsafeBufferPointer { Self.slot(Self.hash($0), shift: shift) }
            while slots[s] >= 0 { s = (s + 1) & (size - 1) }
            slots[s] = Int32(k)
        }
        self.slots = slots
        self.bytes = bytes
        self.starts = starts
        self.ids = ids
        maxLength = words.map(\.bytes.count).max() ?? 0
    }

    private static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private static func mix(_ h: UInt64, _ c: UInt8) -> UInt64 { (h ^ UInt64(c)) &* 0x100_0000_01b3 }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed
        for c in b { h = mix(h, c) }
        return h
    }

    @inline(__always)
    private static func slot(_ h: UInt64, shift: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Every whole word of `b` that is one of these words, in order: (pattern id, start, end).
    /// Words are maximal runs of word characters, read as the boundary checks read them: an
    /// ASCII byte by `WordChars.isWordByte`, a longer sequence by its scalar, and a sequence
    /// that does not decode (a character cut at the end) as one byte that is not a word.
    func matches(in b: UnsafeBufferPointer<UInt8>) -> [AhoCorasick.Match] {
        var found: [AhoCorasick.Match] = []
        guard !ids.isEmpty else { return found }
        let maxLength = maxLength, shift = shift
        WordChars.asciiWordTable.withUnsafeBufferPointer { asciiWord in
        slots.withUnsafeBufferPointer { slots in
        bytes.withUnsafeBufferPointer { words in
        starts.withUnsafeBufferPointer { starts in
        ids.withUnsafeBufferPointer { ids in
            let mask = slots.count - 1
            /// The word b[from..<to] with hash h, if it is one (h covers its bytes when it is short enough to be one).
            func lookUp(_ from: Int, _ to: Int, _ h: UInt64) {
                let length = to - from
                guard length <= maxLength else { return }
                var s = Self.slot(h, shift: shift)
                while true {
                    let k = Int(slots[s])
                    if k < 0 { return }
                    let lo = Int(starts[k])
                    if Int(starts[k + 1]) - lo == length {
                        var j = 0
                        while j < length, words[lo + j] == b[from + j] { j += 1 }
                        if j == length {
                            found.append(AhoCorasick.Match(pattern: Int(ids[k]), start: from, end: to))
                            return
                        }
                    }
                    s = (s + 1) & mask
                }
            }
            // A word's every byte goes into its hash (cheaper than asking whether the word has
            // grown too long to be one; `lookUp` asks once, at its end). Two tight loops: one
            // over what lies between words, one over a word.
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if !asciiWord[Int(c)] { i &+= 1; continue }
                } else {
                    let (isWord, length) = WordChars.nonASCIIWord(b, i)
                    if !isWord { i &+= length; continue }
                }
                let start = i
                var h = Self.seed
                while i < n {
                    let c = b[i]
                    if c < 0x80 {
                        guard asciiWord[Int(c)] else { break }
                        h = Self.mix(h, c)
                        i &+= 1
                    } else {
                        let (isWord, length) = WordChars.nonASCIIWord(b, i)
                        guard isWord else { break }
                        for k in i..<(i &+ length) { h = Self.mix(h, b[k]) }
                        i &+= length
                    }
                }
                lookUp(start, i, h)
            }
        }}}}}
        return found
    }
}
