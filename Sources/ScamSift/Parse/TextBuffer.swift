/// Collects UTF-8 text the way a browser lays it out: runs of ASCII white space
/// fold into one space, and leading and trailing space is dropped.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    /// Most bytes to hold (`Page.Limits`); text past it is dropped and `truncated` set.
    var limit = Int.max
    private(set) var truncated = false

    var isEmpty: Bool { bytes.isEmpty }

    /// Appends a NUL-terminated string. Runs between white space are copied whole: this
    /// reads every text node of every page, and appending byte by byte cost a check per byte.
    mutating func append(_ p: UnsafePointer<UInt8>) {
        var i = 0
        while true {
            var c = p[i]
            if c == 0 { break }
            if Self.isSpace(c) {
                pendingSpace = true
                i += 1
                continue
            }
            let start = i
            repeat {
                i += 1
                c = p[i]
            } while c != 0 && !Self.isSpace(c)
            if pendingSpace {
                if !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
            }
            if bytes.count + (i - start) > limit {
                appendCut(UnsafeBufferPointer(start: p + start, count: i - start))
                return
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        }
    }

    /// Appends as much of a run as the limit leaves room for, ending on a character boundary.
    private mutating func appendCut(_ run: UnsafeBufferPointer<UInt8>) {
        truncated = true
        var room = max(0, min(run.count, limit - bytes.count))
        // Back off to the start of a character (continuation bytes are 10xxxxxx).
        while room > 0, room < run.count, run[room] & 0xC0 == 0x80 { room -= 1 }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: run[..<room]))
        if bytes.last == 0x20 { bytes.removeLast() }
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }

    mutating func append(_ s: String) {
        for c in s.utf8 { append(byte: c) }
    }

    @inline(__always)
    mutating func append(byte c: UInt8) {
        if Self.isSpace(c) {
            pendingSpace = true
            return
        }
        if bytes.count + (pendingSpace ? 2 : 1) > limit { truncated = true; return }
        if pendingSpace {
            if !bytes.isEmpty { bytes.append(0x20) }
            pendingSpace = false
        }
        bytes.append(c)
    }

    /// Marks a soft break (for example `<br>`) inside a block.
    mutating func space() { pendingSpace = true }

    /// Returns the collected text, if any, and starts over.
    mutating func take() -> String? {
        defer { bytes.removeAll(keepingCapacity: true); pendingSpace = false; truncated = false }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes collected so far (callers bound excerpts with it).
    var count: Int { bytes.count }
}

/// A list of text blocks: `breakBlock()` ends the current one.
struct BlockCollector {
    private var current = TextBuffer()
    private(set) var blocks: [String] = []
    /// For each block, the node (`Page.Structure`) of the block element it was collected in.
    private(set) var owners: [Int32] = []
    /// Bytes left for all blocks together (`Page.Limits.maxTextBytes` unless given); past it
    /// text is dropped and `truncated` set.
    private var room: Int
    private(set) var truncated = false

    init(limit: Int = Page.Limits.maxTextBytes) {
        room = limit
        current.limit = limit
    }

    mutating func append(_ p: UnsafePointer<UInt8>) { current.append(p) }
    mutating func append(_ s: String) { current.append(s) }
    mutating func space() { current.space() }

    mutating func breakBlock(owner: Int32 = 0) {
        if current.truncated { truncated = true }
        if let text = current.take() {
            blocks.append(text)
            owners.append(owner)
            // A block costs its bytes and its separator.
            room = max(0, room - text.utf8.count - 1)
            current.limit = room
        }
    }

    mutating func finish(owner: Int32 = 0) -> [String] {
        breakBlock(owner: owner)
        return blocks
    }
}
