import Foundation
import Synchronization

/// Text prepared for matching: NFKC, lower-cased, white space folded, every Unicode
/// decimal digit read as its ASCII digit, invisible format characters dropped, typographic
/// quotes and dashes made plain, Arabic percent and number separators made ASCII. Blocks are joined by "\n", which no pattern contains,
/// so a phrase can never match across two blocks.
///
/// `origin[i]` is the offset in `original` of the unit that produced normalised byte `i`,
/// so evidence can be quoted as the page wrote it.
public struct NormalizedText: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var origin: [Int32] = []
    public private(set) var original: [UInt8] = []

    static let blockSeparator: UInt8 = 0x0A

    public init(blocks: [String]) {
        var size = 0
        for block in blocks { size += block.utf8.count + 1 }
        original.reserveCapacity(size)
        var n = TextNormalizer(capacity: size)
        defer { n.deallocate() }
        for (i, block) in blocks.enumerated() {
            if i > 0 { n.separateBlock(original: &original) }
            n.append(block, original: &original)
        }
        bytes = n.bytes.array
        origin = n.origin.array
    }

    public init(_ text: String) { self.init(blocks: [text]) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The original offset where normalised offset `i` begins; `bytes.count` maps to the end.
    func originalOffset(_ i: Int) -> Int {
        i < origin.count ? Int(origin[i]) : original.count
    }
}

/// Normalises one string at a time. ASCII takes a byte-at-a-time fast path; each run of
/// non-ASCII characters is normalised as a unit (so it maps back to the run as a whole).
struct TextNormalizer {
    private var pendingSpace = false
    /// Whether characters of one scalar take `SingleScalarNormal`'s remembered answers (tests
    /// turn it off to compare with asking Foundation every time).
    var remembersCharacters = true
    /// The normalised bytes, and for each the offset in the original it came from. Written
    /// once per byte of every page: plain buffers, without an array's checks on each append.
    private(set) var bytes: AppendBuffer<UInt8>
    private(set) var origin: AppendBuffer<Int32>
    /// The scalar table, fetched at the first non-ASCII run: reading the lazily built global
    /// checked that it was built at every scalar.
    private var scalarTable: ScalarTable.Ranges?

    init(capacity: Int) {
        bytes = AppendBuffer(capacity: capacity)
        origin = AppendBuffer(capacity: capacity)
    }

    /// Frees the buffers; the normaliser is not used afterwards.
    func deallocate() {
        bytes.deallocate()
        origin.deallocate()
    }

    /// Normalises a pattern (phrase) the same way page text is normalised.
    static func normalize(_ s: String, remembersCharacters: Bool = true) -> [UInt8] {
        // Most phrases are already normal: lower-case printable ASCII with single inner spaces.
        let utf8 = s.utf8
        if let first = utf8.first, let last = utf8.last, first != 0x20, last != 0x20 {
            var previousSpace = false
            var plain = true
            for c in utf8 {
                if c < 0x20 || c >= 0x7F || (c >= 0x41 && c <= 0x5A) || (c == 0x20 && previousSpace) { plain = false; break }
                previousSpace = c == 0x20
            }
            if plain { return Array(utf8) }
        }
        var original: [UInt8] = []
        var n = TextNormalizer(capacity: s.utf8.count)
        defer { n.deallocate() }
        n.remembersCharacters = remembersCharacters
        n.append(s, original: &original)
        return n.bytes.array
    }

    mutating func separateBlock(original: inout [UInt8]) {
        original.append(NormalizedText.blockSeparator)
        if !bytes.isEmpty, bytes.last != NormalizedText.blockSeparator {
            bytes.append(NormalizedText.blockSeparator)
            origin.append(Int32(original.count - 1))
        }
        pendingSpace = false
    }

    mutating func append(_ s: String, original: inout [UInt8]) {
        var s = s
        s.withUTF8 { utf8 in
            let base = original.count
            original.append(contentsOf: utf8)
            var i = 0
            let n = utf8.count
            while i < n {
                let c = utf8[i]
                if c < 0x80 {
                    emitASCII(c, at: Int32(base + i))
                    i += 1
                    continue
                }
                var j = i
                while j < n, utf8[j] >= 0x80 { j += 1 }
                emitRun(UnsafeBufferPointer(rebasing: utf8[i..<j]), at: Int32(base + i))
                i = j
            }
        }
    }

    @inline(__always)
    private mutating func emitASCII(_ c: UInt8, at offset: Int32) {
        if c <= 0x20 || c == 0x7F {
            pendingSpace = true
            return
        }
        flushSpace(at: offset)
        bytes.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
        origin.append(offset)
    }

    @inline(__always)
    private mutating func flushSpace(at offset: Int32) {
        guard pendingSpace else { return }
        if !bytes.isEmpty, bytes.last != NormalizedText.blockSeparator {
            bytes.append(0x20)
            origin.append(offset)
        }
        pendingSpace = false
    }

    private mutating func emitRun(_ run: UnsafeBufferPointer<UInt8>, at offset: Int32) {
        // Most runs (Bengali, Hindi, typographic punctuation) hold only scalars that NFKC and
        // case folding leave alone: those are classified from a table, straight from the
        // bytes, in one pass. Anything else goes through Foundation as a whole run: what this
        // pass wrote is taken back first.
        let written = (bytes.count, origin.count, pendingSpace)
        let scalarTable = self.scalarTable ?? ScalarTable.ranges
        self.scalarTable = scalarTable
        var i = 0
        var previous: UInt32 = 0
        var stable = true
        while i < run.count {
            guard let (value, length) = WordChars.decode(run, i), let scalar = Unicode.Scalar(value) else { stable = false; break }
            let entry = scalarTable.lookup(scalar)
            if entry.unstable, Self.composingMarks[value].map({ $0.contains(previous) }) ?? true {
                stable = false
                break
            }
            previous = value
            // Each scalar maps back to its own place, so evidence in a long run of a script
            // written without spaces quotes the match, not the whole run.
            let here = offset + Int32(i)
            if case .keep = entry.kind {
                // Kept as it is: its own bytes, no need to encode the scalar again.
                flushSpace(at: here)
                for k in i..<(i + length) {
                    bytes.append(run[k])
                    origin.append(here)
                }
            } else {
                emit(scalar, entry.kind, at: here)
            }
            i += length
        }
        guard !stable else { return }
        bytes.truncate(to: written.0)
        origin.truncate(to: written.1)
        pendingSpace = written.2
        // One character (grapheme cluster) at a time, so each maps back to its own place:
        // composition never crosses a cluster boundary.
        let text = String(decoding: run, as: UTF8.self)
        var consumed: Int32 = 0
        for character in text {
            let here = offset + consumed
            consumed += Int32(character.utf8.count)
            let scalars = character.unicodeScalars
            if remembersCharacters, scalars.index(after: scalars.startIndex) == scalars.endIndex {
                // Most characters are one scalar, and a page repeats them: each is normalised once.
                for (scalar, kind) in SingleScalarNormal.of(scalars.first!) {
                    if scalar.isASCII { emitASCII(UInt8(scalar.value), at: here) } else { emit(scalar, kind, at: here) }
                }
                continue
            }
            let normalized = String(character).precomposedStringWithCompatibilityMapping.lowercased()
            for scalar in normalized.unicodeScalars {
                if scalar.isASCII { emitASCII(UInt8(scalar.value), at: here); continue }
                emit(scalar, scalarTable.lookup(scalar).kind, at: here)
            }
        }
    }

    @inline(__always)
    private mutating func emit(_ scalar: Unicode.Scalar, _ kind: ScalarClass, at offset: Int32) {
        switch kind {
        case .drop: return
        case .space: pendingSpace = true
        case let .ascii(c): emitASCII(c, at: offset)
        case let .fold(other):
            emit(other, .keep, at: offset)
        case .keep:
            flushSpace(at: offset)
            for b in UTF8.encode(scalar)! {
                bytes.append(b)
                origin.append(offset)
            }
        }
    }

    /// What becomes of a scalar: dropped, white space, an ASCII byte, another scalar, or itself.
    enum ScalarClass { case drop, space, ascii(UInt8), fold(Unicode.Scalar), keep }

    static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        let p = s.properties
        if p.numericType == .decimal, let v = p.numericValue { return .ascii(0x30 + UInt8(Int(v))) }
        switch s.value {
        case 0x2018, 0x2019, 0x201B, 0x2032: return .ascii(0x27)       // ‘ ’ ‛ ′
        case 0x201C, 0x201D, 0x201F, 0x2033: return .ascii(0x22)       // “ ” ‟ ″
        case 0x2010...0x2015, 0x2212: return .ascii(0x2D)              // dashes and minus
        case 0x0964, 0x0965: return .ascii(0x2E)                       // Bengali/Devanagari danda ends a sentence
        case 0x066A: return .ascii(0x25)                               // ٪ Arabic percent sign
        case 0x066B: return .ascii(0x2E)                               // ٫ Arabic decimal separator
        case 0x066C: return .ascii(0x2C)                               // ٬ Arabic thousands separator
        case 0x060C: return .ascii(0x2C)                               // ، Arabic comma
        // Arabic-script spellings that vary from writer to writer, folded as search engines do:
        // hamza seats on alef, Arabic yeh and alef maksura to Persian yeh, Arabic kaf to Persian
        // keheh, teh marbuta to heh; the tatweel stretch and the short-vowel marks are dropped.
        case 0x0622, 0x0623, 0x0625, 0x0671: return .fold("\u{0627}")   // آ أ إ ٱ → ا
        case 0x064A, 0x0649: return .fold("\u{06CC}")                  // ي ى → ی
        case 0x0643: return .fold("\u{06A9}")                          // ك → ک
        case 0x0629: return .fold("\u{0647}")                          // ة → ه
        case 0x0640, 0x064B...0x0652: return .drop                     // ـ and the harakat
        // A dot above left after lower-casing Turkish İ ("i̇"): the plain i is what people type.
        case 0x0307: return .drop
        default: break
        }
        if p.isWhitespace { return .space }
        switch p.generalCategory {
        case .format, .control, .surrogate, .unassigned, .privateUse: return .drop
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .space
        default: return .keep
        }
    }

    /// Marks that canonically compose with what precedes them, and the scalars they compose
    /// with (from Unicode's composition data; a test checks each pair and every other scalar of
    /// the block against Foundation). After anything else such a mark is left alone, so the
    /// Bengali vowel sign া, in nearly every Bengali word, only needs Foundation after ে.
    static let composingMarks: [UInt32: Set<UInt32>] = [
        0x093C: [0x0928, 0x0930, 0x0933], 0x09BE: [0x09C7], 0x09D7: [0x09C7],
        0x0B3E: [0x0B47], 0x0B56: [0x0B47], 0x0B57: [0x0B47], 0x0BBE: [0x0BC6, 0x0BC7], 0x0BD7: [0x0B92, 0x0BC6],
        0x0C56: [0x0C46], 0x0CC2: [0x0CC6], 0x0CD5: [0x0CBF, 0x0CC6], 0x0CD6: [0x0CC6],
        0x0D3E: [0x0D46, 0x0D47], 0x0D57: [0x0D46], 0x0DCA: [0x0DD9, 0x0DDC], 0x0DCF: [0x0DD9], 0x0DDF: [0x0DD9],
        0x102E: [0x1025],
    ]

    /// Scalars that NFKC with case folding leaves alone and that never combine with a
    /// neighbour (the marks above aside), so a run of them can skip Foundation's normalisation.
    static func isStable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v >= 0x0300 && v <= 0x036F { return false }           // Latin combining marks compose
        if v >= 0x1100 && v <= 0x11FF { return false }           // Hangul jamo compose
        switch v {
        // Indic vowel signs and length marks that canonically compose with what precedes them.
        case 0x093C, 0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0C56, 0x0CC2,
             0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCA, 0x0DCF, 0x0DDF, 0x102E, 0x1B35, 0x3099, 0x309A:
            return false
        default:
            return !s.properties.changesWhenNFKCCaseFolded
        }
    }
}

/// What Foundation's NFKC and lower-casing make of a character that is one scalar, with the class
/// of each scalar of the result: the slow path of `TextNormalizer.emitRun` (a run holding a
/// capital letter, full-width punctuation or a compatibility character) asked Foundation for
/// every character, and Foundation's answer cost more than the rest of normalisation. The
/// answer depends only on the scalar, so each is asked once per process.
enum SingleScalarNormal {
    private static let made = Mutex<[UInt32: [(Unicode.Scalar, TextNormalizer.ScalarClass)]]>([:])

    static func of(_ scalar: Unicode.Scalar) -> [(Unicode.Scalar, TextNormalizer.ScalarClass)] {
        if let known = made.withLock({ $0[scalar.value] }) { return known }
        let normalized = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
        let result = normalized.unicodeScalars.map { ($0, $0.isASCII ? TextNormalizer.ScalarClass.keep : ScalarTable.lookup($0).kind) }
        made.withLock { $0[scalar.value] = result }
        return result
    }
}

/// `classify`, `isStable` and word-character checks answered from a table for the scripts most pages use (Latin,
/// Cyrillic, Arabic, the Indic scripts, general punctuation and currency signs). Each answer
/// costs several Unicode property lookups, and a page asks about the same few scalars
/// thousands of times. The table is written ahead (`ScalarTableData.swift`) and only read.
enum ScalarTable {
    struct Entry {
        let kind: TextNormalizer.ScalarClass
        let unstable: Bool
        /// A letter, mark or number: a word character for boundaries and word counts.
        let word: Bool
    }

    /// The two ranges the table covers.
    struct Ranges {
        let scripts: [Entry]
        let punctuation: [Entry]

        /// The table's entry, or nil outside the ranges it covers.
        @inline(__always)
        func cached(_ s: Unicode.Scalar) -> Entry? {
            let v = s.value
            if v >= 0x0080 && v <= 0x0FFF { return scripts[Int(v - 0x0080)] }
            if v >= 0x2000 && v <= 0x20CF { return punctuation[Int(v - 0x2000)] }
            return nil
        }

        @inline(__always)
        func lookup(_ s: Unicode.Scalar) -> Entry { cached(s) ?? ScalarTable.remembered(s) }
    }

    /// The scalars the table covers.
    static let scriptScalars: ClosedRange<UInt32> = 0x0080...0x0FFF
    static let punctuationScalars: ClosedRange<UInt32> = 0x2000...0x20CF

    /// Read from `ScalarTableData.swift`, written ahead from `compute` (a test checks every
    /// entry against it): computing the 4,200 entries at start-up took about 9 M instructions,
    /// several Unicode property reads each.
    static let ranges = Ranges(scripts: packedScripts.map(Entry.init(packed:)), punctuation: packedPunctuation.map(Entry.init(packed:)))

    static func compute(_ s: Unicode.Scalar?) -> Entry {
        guard let s else { return Entry(kind: .drop, unstable: false, word: false) }   // surrogate code points
        return Entry(kind: TextNormalizer.classify(s), unstable: !s.isASCII && !TextNormalizer.isStable(s), word: WordChars.isWordUncached(s))
    }

    /// The table's entry, or nil outside the ranges it covers.
    @inline(__always)
    static func cached(_ s: Unicode.Scalar) -> Entry? { ranges.cached(s) }

    @inline(__always)
    static func lookup(_ s: Unicode.Scalar) -> Entry { ranges.lookup(s) }

    /// Entries for scalars outside the table (Han, kana, Hangul, Vietnamese letters, full-width
    /// forms), each computed once per process: pages in those scripts asked again for every
    /// character, about a thousand instructions each.
    private static let others = Mutex<[UInt32: Entry]>([:])

    static func remembered(_ s: Unicode.Scalar) -> Entry {
        if let known = others.withLock({ $0[s.value] }) { return known }
        let entry = compute(s)
        others.withLock { $0[s.value] = entry }
        return entry
    }
}

/// Word boundaries for matching: letters, marks and numbers of any script are word
/// characters (so a Bengali vowel sign or virama never counts as a boundary), except in the
/// scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar). Their
/// characters count as boundaries on both sides, so a phrase in such a script matches inside a
/// run of it (`充值` in `充值100元即可升级VIP`), and a phrase in another script next to such a run
/// is still a whole word (`vip` there).
enum WordChars {
    /// The scripts written without spaces, as ranges: what `isSpaceless` tests (a test checks
    /// that both agree), for regexes that need the same set.
    static let spacelessRanges: [ClosedRange<UInt32>] = [
        0x0E01...0x0E4E, 0x0E81...0x0ECE, 0x1000...0x103F, 0x1050...0x108F, 0x1780...0x17D3,
        0x3005...0x3007, 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA9E0...0xA9FF, 0xAA60...0xAA7F, 0xF900...0xFAFF, 0x20000...0x3FFFF,
    ]

    /// Whether a Hangul syllable block: Korean puts spaces between words, yet one syllable on
    /// its own is often a whole word (연 "a year", 일 "a day", 후 "after").
    static func isHangulSyllable(_ v: UInt32) -> Bool { (0xAC00...0xD7A3).contains(v) }

    /// Whether the scalar belongs to a script written without spaces between words.
    @inline(__always)
    static func isSpaceless(_ v: UInt32) -> Bool {
        switch v {
        case 0x0E01...0x0E4E,   // Thai letters and marks (its digits are ordinary digits)
             0x0E81...0x0ECE,   // Lao
             0x1000...0x103F, 0x1050...0x108F,   // Myanmar (less its digits)
             0x1780...0x17D3,   // Khmer
             0x3005...0x3007, 0x3040...0x30FF, 0x31F0...0x31FF,   // 々〆〇, kana
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,   // Han
             0xA9E0...0xA9FF, 0xAA60...0xAA7F,   // Myanmar extensions
             0x20000...0x3FFFF:   // Han extensions
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
    }

    /// `isWordByte` for each ASCII byte, as a table (for loops over every byte of a text).
    static let asciiWordTable: [Bool] = (0..<128).map { isWordByte(UInt8($0)) }

    /// Whether the sequence at `i` (not ASCII) is a word character, and its length; a
    /// sequence that does not decode is one byte that is not a word character, as the
    /// boundary checks read it.
    @inline(__always)
    static func nonASCIIWord(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (isWord: Bool, length: Int) {
        guard let (v, n) = decode(b, i) else { return (false, 1) }
        return (Unicode.Scalar(v).map(isWord) ?? false, n)
    }

    static func isWord(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return isWordByte(UInt8(s.value)) }
        return ScalarTable.cached(s)?.word ?? isWordUncached(s)
    }

    static func isWordUncached(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return isWordByte(UInt8(s.value)) }
        if isSpaceless(s.value) { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar ending just before `offset` is a word character.
    static func wordBefore(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
        guard offset > 0 else { return false }
        let c = bytes[offset - 1]
        if c < 0x80 { return isWordByte(c) }
        var start = offset - 1
        while start > 0, bytes[start] & 0xC0 == 0x80, offset - start < 4 { start -= 1 }
        return scalar(bytes, start).map(isWord) ?? false
    }

    /// Whether the word before `offset` is only Arabic proclitics, written joined to the word
    /// that follows: the conjunctions و and ف, the prepositions ب and ل, and the article ال
    /// (وبال، فال، لل…), with a boundary before them, and the scalar at `offset` an Arabic-script
    /// letter. Arabic writes "with a fixed return" as one word, بعائد ثابت: the phrase
    /// «عائد ثابت» is still a whole word there. Not ك ("as"): كمال is a name, not ك + مال.
    static func afterArabicProclitics(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
        guard offset >= 2, offset + 1 < bytes.count else { return false }
        // The letter the phrase starts with: U+0620–U+064A or U+066E–U+06D3 (two bytes).
        let lead = bytes[offset], next = bytes[offset + 1]
        let v = (UInt32(lead & 0x1F) << 6) | UInt32(next & 0x3F)
        guard lead & 0xE0 == 0xC0, next & 0xC0 == 0x80, (0x0620...0x064A).contains(v) || (0x066E...0x06D3).contains(v) else { return false }
        // The proclitic letters before it (each two bytes): و 1, ف 2, ب 3, ل 4, ا 5, three bits
        // each, the nearest in the lowest bits (no array: this runs for every match that a word
        // character precedes).
        var packed: UInt32 = 0, count: UInt32 = 0
        var i = offset
        while count < 4, i >= 2 {
            let code: UInt32
            switch (bytes[i - 2], bytes[i - 1]) {
            case (0xD9, 0x88): code = 1
            case (0xD9, 0x81): code = 2
            case (0xD8, 0xA8): code = 3
            case (0xD9, 0x84): code = 4
            case (0xD8, 0xA7): code = 5
            default: code = 0
            }
            if code == 0 { break }
            packed |= code << (3 * count)
            count += 1
            i -= 2
        }
        return count > 0 && procliticForms.contains(packed) && !wordBefore(bytes, i)
    }

    /// The prefixes `afterArabicProclitics` accepts, in reading order, packed as it packs them:
    /// و ف ب ل; وب ول فب فل; ال وال فال; بال وبال فبال; لل ولل فلل (ل + ال).
    static let procliticForms: Set<UInt32> = {
        let forms: [[UInt32]] = [[1], [2], [3], [4], [1, 3], [1, 4], [2, 3], [2, 4], [5, 4], [1, 5, 4], [2, 5, 4],
                                 [3, 5, 4], [1, 3, 5, 4], [2, 3, 5, 4], [4, 4], [1, 4, 4], [2, 4, 4]]
        return Set(forms.map { form in
            form.reversed().enumerated().reduce(UInt32(0)) { $0 | $1.element << (3 * UInt32($1.offset)) }
        })
    }()

    /// Whether the scalar starting at `offset` is a word character.
    static func wordAt(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
        guard offset < bytes.count else { return false }
        let c = bytes[offset]
        if c < 0x80 { return isWordByte(c) }
        return scalar(bytes, offset).map(isWord) ?? false
    }

    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Unicode.Scalar? {
        if bytes[start] < 0x80 { return Unicode.Scalar(bytes[start]) }
        return decode(bytes, start).flatMap { Unicode.Scalar($0.0) }
    }

    /// The scalar value and length of the multi-byte UTF-8 sequence at `i`, or nil when it is
    /// not well formed (an ASCII byte included).
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int)? {
        let c = b[i]
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard i + k < b.count, b[i + k] & 0xC0 == 0x80 else { return nil }
            return UInt32(b[i + k] & 0x3F)
        }
        switch c {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return nil }
            return (UInt32(c & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = cont(1), let c2 = cont(2) else { return nil }
            let v = UInt32(c & 0x0F) << 12 | c1 << 6 | c2
            return v < 0x800 || (0xD800...0xDFFF).contains(v) ? nil : (v, 3)
        case 0xF0...0xF4:
            guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return nil }
            let v = UInt32(c & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            return v < 0x10000 || v > 0x10FFFF ? nil : (v, 4)
        default:
            return nil
        }
    }


    static func firstIsWord(_ pattern: [UInt8]) -> Bool {
        pattern.withUnsafeBufferPointer { wordAt($0, 0) }
    }

    static func lastIsWord(_ pattern: [UInt8]) -> Bool {
        pattern.withUnsafeBufferPointer { wordBefore($0, $0.count) }
    }
}

/// An append-only buffer of plain values. Growing doubles it, like an array, but appending
/// checks nothing else: no copy-on-write test, no bounds test. The owner frees it.
struct AppendBuffer<Element: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ x: Element) {
        if count == capacity { grow() }
        base[count] = x
        count += 1
    }

    var isEmpty: Bool { count == 0 }

    subscript(i: Int) -> Element { base[i] }

    /// Drops what was appended after the first `count` elements.
    mutating func truncate(to count: Int) { self.count = min(self.count, count) }
    var last: Element? { count > 0 ? base[count - 1] : nil }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// The contents as an array (a copy).
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

    func deallocate() { base.deallocate() }
}
