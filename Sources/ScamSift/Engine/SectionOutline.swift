/// The headings and questions of one target's text, and the sections they open.
///
/// A page's FAQ or help text often has a section that warns about a scam by describing it:
/// "How to recognise the paid-task scam?" followed by "you are added to a WhatsApp group with
/// a mentor … they ask you to recharge to unlock the next set of tasks". Each of those sentences
/// reads as the scam's own words. A rule with `opens_section` finds the warning in a heading or
/// a question, and rules that name it in `outside:` do not count their hits in the section below.
///
/// An opener is a block that is a heading (`h1`–`h6`, caption, legend, summary, a `dt`), or a
/// short block that ends with a question mark (a FAQ's question in a `div`, or a script's
/// string). Its section is the blocks after it, up to the next opener of the same or a higher
/// level, while they stay inside the element that holds the opener and what follows it, and at
/// most `maxBlocks` blocks and `maxBytes` bytes: a warning describes a scheme in a few lines,
/// and a page that heads all its text with one warning must not hide it all.
struct SectionOutline {
    /// Blocks a section reaches at most, and bytes of normalised text.
    static let maxBlocks = 16
    static let maxBytes = 4000
    /// A block longer than this is a paragraph that happens to end with a question, not a question.
    static let maxQuestionBytes = 300
    /// The level of a question or a definition term: below every heading.
    static let questionLevel: UInt8 = 7

    /// Where each block starts in the normalised text; one more entry, past the end.
    private let starts: [Int]
    /// Each block's opener level (0: not an opener).
    private let levels: [UInt8]
    /// Whether each block ends with a question mark (for openers only; false for the rest).
    private let asks: [Bool]
    /// Each block's innermost block element, or nil when the text's blocks have no nodes.
    private let owners: [Int32]?
    private let structure: Page.Structure

    /// - Parameters:
    ///   - owners: the node of each of the text's blocks (`Structure.textBlockNodes` or
    ///     `hiddenBlockNodes`); nil for a target whose blocks are not the page's.
    init(text: NormalizedText, owners: [Int32]?, structure: Page.Structure) {
        var starts = [0]
        text.bytes.withUnsafeBufferPointer { b in
            for i in b.indices where b[i] == NormalizedText.blockSeparator { starts.append(i + 1) }
        }
        starts.append(text.bytes.count + 1)
        let count = starts.count - 1
        // The text may hold fewer blocks than the page (cut at the size limit), never more.
        let owners = owners.flatMap { $0.count >= count ? $0 : nil }
        var levels = [UInt8](repeating: 0, count: count)
        var asks = [Bool](repeating: false, count: count)
        for k in 0..<count {
            asks[k] = Self.isQuestion(text.bytes, starts[k]..<(starts[k + 1] - 1))
            if let owners {
                let node = structure.nodes[Int(owners[k])]
                if node.kind == .heading { levels[k] = node.level; continue }
                if node.kind == .term { levels[k] = Self.questionLevel; continue }
            }
            if asks[k] { levels[k] = Self.questionLevel }
        }
        self.starts = starts
        self.levels = levels
        self.asks = asks
        self.owners = owners
        self.structure = structure
    }

    /// Whether a block is a short question: it ends with a question mark, spaces aside.
    static func isQuestion(_ bytes: [UInt8], _ block: Range<Int>) -> Bool {
        guard !block.isEmpty, block.count <= maxQuestionBytes else { return false }
        var end = block.upperBound
        while end > block.lowerBound, bytes[end - 1] == 0x20 { end -= 1 }
        if end > block.lowerBound, NormalizedText.questionMarkLength(bytes, at: end - 1) == 1 { return true }
        return end - 2 >= block.lowerBound && NormalizedText.questionMarkLength(bytes, at: end - 2) == 2
    }

    /// The block holding offset `i`.
    func block(at i: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if starts[mid] <= i { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Whether block `k` opens a section; with `headingsOnly`, whether it is an `h1`–`h6`
    /// that asks nothing ("Beware of fraud", not "Is this a scam?").
    func isOpener(_ k: Int, headingsOnly: Bool = false) -> Bool {
        headingsOnly ? levels[k] > 0 && levels[k] < Self.questionLevel && !asks[k] : levels[k] > 0
    }

    /// The text of the section that block `opener` opens (offsets in the normalised text,
    /// from the next block's start to the last block's end); nil when no block follows it.
    func section(openedBy opener: Int) -> Range<Int>? {
        let level = levels[opener]
        let first = opener + 1
        guard level > 0, first < levels.count else { return nil }
        // The element that holds the opener and the block after it: a heading wrapped in a
        // `div` of its own is held, with its text, by the `div`'s parent.
        var holder: Int32 = 0
        if let owners {
            let next = owners[first]
            holder = structure.nodes[Int(owners[opener])].parent
            while holder > 0, !structure.contains(holder, next) { holder = structure.nodes[Int(holder)].parent }
            holder = max(holder, 0)
        }
        var last = opener
        for k in first..<min(levels.count, first + Self.maxBlocks) {
            if levels[k] > 0, levels[k] <= level { break }
            if let owners, !structure.contains(holder, owners[k]) { break }
            if starts[k + 1] - 1 - starts[first] > Self.maxBytes { break }
            last = k
        }
        guard last > opener else { return nil }
        return starts[first]..<(starts[last + 1] - 1)
    }
}
