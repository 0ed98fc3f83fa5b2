/// A compact binary form for a compiled rule set, so that a process can load it instead of
/// parsing YAML, expanding concepts, normalising phrases and building the automaton again.
///
/// Each type writes its fields in a fixed order and reads them back in the same order; there are
/// no field names and no versioning inside. A change to any of these types must bump
/// `RuleSetSnapshot.formatVersion`, and the cache key also carries the executable's identity, so
/// a snapshot is only ever read by the build that wrote it.
///
/// Strings are interned: a phrase, a file name or a rule id repeated thousands of times is
/// stored, and made into a `String`, once.
protocol SnapshotCodable {
    func write(to w: inout SnapshotWriter)
    init(from r: inout SnapshotReader) throws
}

struct SnapshotWriter {
    private(set) var body: [UInt8] = []
    private var stringIndex: [String: UInt32] = [:]
    private var strings: [String] = []

    init() {}

    mutating func raw<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) }
    }

    mutating func int(_ v: Int) { raw(Int64(v)) }
    mutating func bool(_ v: Bool) { body.append(v ? 1 : 0) }
    mutating func double(_ v: Double) { raw(v.bitPattern) }

    mutating func string(_ s: String) {
        if let i = stringIndex[s] { raw(i); return }
        let i = UInt32(strings.count)
        strings.append(s)
        stringIndex[s] = i
        raw(i)
    }

    /// An array of plain integers, copied as one block.
    mutating func integers<T: FixedWidthInteger>(_ a: [T]) {
        int(a.count)
        for v in a { raw(v) }
    }

    mutating func write<T: SnapshotCodable>(_ v: T) { v.write(to: &self) }

    mutating func array<T: SnapshotCodable>(_ a: [T]) {
        int(a.count)
        for v in a { v.write(to: &self) }
    }

    mutating func optional<T: SnapshotCodable>(_ v: T?) {
        bool(v != nil)
        v?.write(to: &self)
    }

    /// The whole snapshot: the string table, then the body.
    func finish() -> [UInt8] {
        var head = SnapshotWriter()
        head.int(strings.count)
        for s in strings { head.integers(Array(s.utf8)) }
        return head.body + body
    }
}

/// Reads a snapshot from bytes that stay valid while it reads (a mapped file: see
/// `RuleSetCache.load`). Every read is bounds-checked; a snapshot cut short or with a count
/// larger than what is left throws `Malformed` instead of reading past the end.
struct SnapshotReader {
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "the snapshot is malformed at byte \(offset)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset: Int
    private var strings: [String] = []
    /// Regexes read so far, by string-table index: parts with the same pattern share one.
    private var regexes: [Int: LazyRegex] = [:]

    /// Reads the string table at `offset`; the body follows it.
    init(bytes: UnsafeRawBufferPointer, offset: Int = 0) throws {
        self.bytes = bytes
        self.offset = offset
        let count = try length(elementSize: 8)
        strings.reserveCapacity(count)
        for _ in 0..<count {
            let n = try length(elementSize: 1)
            strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[self.offset..<self.offset + n]), as: UTF8.self))
            self.offset += n
        }
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func raw<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw Malformed(offset: offset) }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: v)
    }

    mutating func int() throws -> Int { Int(try raw(Int64.self)) }

    mutating func bool() throws -> Bool {
        switch try raw(UInt8.self) {
        case 0: return false
        case 1: return true
        default: throw Malformed(offset: offset - 1)
        }
    }

    mutating func double() throws -> Double { Double(bitPattern: try raw(UInt64.self)) }

    /// A regex pattern, written as a string, read as a `LazyRegex` shared with every earlier
    /// part that has the same pattern (the string table keeps one copy of each), so that each
    /// pattern is compiled once (evaluating `Samples/` compiled 333 regexes, 73 of them repeats).
    mutating func lazyRegex() throws -> LazyRegex {
        let i = Int(try raw(UInt32.self))
        guard i < strings.count else { throw Malformed(offset: offset - 4) }
        if let known = regexes[i] { return known }
        let made = LazyRegex(strings[i])
        regexes[i] = made
        return made
    }

    mutating func string() throws -> String {
        let i = Int(try raw(UInt32.self))
        guard i < strings.count else { throw Malformed(offset: offset - 4) }
        return strings[i]
    }

    /// A count of elements that must fit in what is left of the bytes.
    private mutating func length(elementSize: Int) throws -> Int {
        let n = try int()
        guard n >= 0, n <= (bytes.count - offset) / max(1, elementSize) else { throw Malformed(offset: offset - 8) }
        return n
    }

    mutating func integers<T: FixedWidthInteger>(_: T.Type = T.self) throws -> [T] {
        let n = try length(elementSize: MemoryLayout<T>.size)
        let size = n * MemoryLayout<T>.size
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])
        offset += size
        return [T](unsafeUninitializedCapacity: n) { buffer, count in
            #if _endian(little)
            // The tables of the automaton are most of a snapshot: one copy each.
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            #else
            for k in 0..<n { buffer[k] = T(littleEndian: source.loadUnaligned(fromByteOffset: k * MemoryLayout<T>.size, as: T.self)) }
            #endif
            count = n
        }
    }

    mutating func read<T: SnapshotCodable>(_: T.Type = T.self) throws -> T { try T(from: &self) }

    mutating func array<T: SnapshotCodable>(_: T.Type = T.self) throws -> [T] {
        let n = try length(elementSize: 1)
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try T(from: &self)) }
        return out
    }

    mutating func optional<T: SnapshotCodable>(_: T.Type = T.self) throws -> T? {
        try bool() ? try T(from: &self) : nil
    }

    /// A case number of an enum, checked against how many cases there are.
    mutating func tag(below count: Int) throws -> Int {
        let t = Int(try raw(UInt8.self))
        guard t < count else { throw Malformed(offset: offset - 1) }
        return t
    }
}

extension String: SnapshotCodable {
    func write(to w: inout SnapshotWriter) { w.string(self) }
    init(from r: inout SnapshotReader) throws { self = try r.string() }
}

extension Int: SnapshotCodable {
    func write(to w: inout SnapshotWriter) { w.int(self) }
    init(from r: inout SnapshotReader) throws { self = try r.int() }
}

extension Bool: SnapshotCodable {
    func write(to w: inout SnapshotWriter) { w.bool(self) }
    init(from r: inout SnapshotReader) throws { self = try r.bool() }
}

extension Array: SnapshotCodable where Element: SnapshotCodable {
    func write(to w: inout SnapshotWriter) { w.array(self) }
    init(from r: inout SnapshotReader) throws { self = try r.array(Element.self) }
}
