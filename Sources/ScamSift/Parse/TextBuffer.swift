/// Collects UTF-8 text the way a browser lays it out: runs of ASCII white space
/// fold into one space, and leading and trailing space is dropped.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false

    var isEmpty: Bool { bytes.isEmpty }

    mutating func append(_ p: UnsafePointer<UInt8>) {
        var i = 0
        while true {
            let c = p[i]
            if c == 0 { break }
            append(byte: c)
            i += 1
        }
    }

    mutating func append(_ s: String) {
        for c in s.utf8 { append(byte: c) }
    }

    @inline(__always)
    mutating func append(byte c: UInt8) {
        if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
            pendingSpace = true
            return
        }
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
        defer { bytes.removeAll(keepingCapacity: true); pendingSpace = false }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes collected so far (callers bound excerpts with it).
    var count: Int { bytes.count }
}

/// A list of text blocks: `breakBlock()` ends the current one.
struct BlockCollector {
    private var current = TextBuffer()
    private(set) var blocks: [String] = []

    mutating func append(_ p: UnsafePointer<UInt8>) { current.append(p) }
    mutating func append(_ s: String) { current.append(s) }
    mutating func space() { current.space() }

    mutating func breakBlock() {
        if let text = current.take() { blocks.append(text) }
    }

    mutating func finish() -> [String] {
        breakBlock()
        return blocks
    }
}
