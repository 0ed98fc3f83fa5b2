import Foundation

/// The bytes of a WARC file in order, inflated when the file is gzip: read from a file
/// descriptor 64 KiB at a time, after the bytes the sniffer already took from it. A `.warc.gz`
/// is a series of gzip members, one per record (a whole-file gzip is one member); each member
/// is inflated in turn, and where each starts is kept so that a record can be named by the
/// file offset of its member, as WARC indexes (CDX) name them.
final class WARCByteSource {
    private let fd: Int32
    private let ownsFD: Bool
    /// File bytes read but not yet used.
    private var raw: [UInt8]
    private var rawPos = 0
    /// File offset of `raw[0]`.
    private var rawOffset = 0
    private var endOfFile = false
    private let inflater: Inflater?
    private var inMember = false
    /// Decoded bytes handed out so far.
    private(set) var decoded = 0
    /// Gzip members that started recently: the decoded offset each starts at, and its file offset.
    private var members: [(decoded: Int, file: Int)] = []
    /// File offset of the gzip member being read (or last read).
    private var member = 0
    private static let readSize = 64 * 1024

    /// - Parameters:
    ///   - head: the file's first bytes, already read from `fd` by the sniffer.
    ///   - gzip: inflate the file (it starts with a gzip member).
    init(fd: Int32, head: [UInt8], gzip: Bool, ownsFD: Bool) {
        self.fd = fd
        self.ownsFD = ownsFD
        raw = head
        inflater = gzip ? Inflater() : nil
    }

    deinit { if ownsFD { close(fd) } }

    /// Where a gzip member starts, for a record that starts at decoded offset `offset`: the file
    /// offset of the member when one starts exactly there. Members before it are forgotten.
    func memberFileOffset(startingAt offset: Int) -> Int? {
        var found = members.first { $0.decoded == offset }?.file
        members.removeAll { $0.decoded <= offset }
        // Between members, right at that offset: the next member would start here.
        if found == nil, !inMember, decoded == offset { found = rawOffset + rawPos }
        return found
    }

    var isGzip: Bool { inflater != nil }

    /// Appends the next bytes (at most 64 KiB) to `out`; false at the end of the file.
    func read(into out: inout [UInt8]) throws(WARCProblem.Reason) -> Bool {
        guard let inflater else {
            if rawPos == raw.count, !(try refill()) { return false }
            let n = raw.count - rawPos
            out.append(contentsOf: raw[rawPos...])
            rawPos = raw.count
            decoded += n
            return true
        }
        while true {
            if !inMember {
                // Between members: skip zero padding; what follows must be another gzip member.
                while true {
                    if rawPos == raw.count, !(try refill()) { return false }
                    guard raw[rawPos] == 0 else { break }
                    rawPos += 1
                }
                if raw.count - rawPos < 2 { _ = try refill() }
                guard raw.count - rawPos >= 2, raw[rawPos] == 0x1F, raw[rawPos + 1] == 0x8B else {
                    throw .notGzipAfterMember(at: rawOffset + rawPos)
                }
                inflater.reset()
                inMember = true
                member = rawOffset + rawPos
                members.append((decoded, member))
            }
            if rawPos == raw.count, !(try refill()) {
                throw .gzipCutShort(memberAt: member)
            }
            let step: (consumed: Int, produced: Int, ended: Bool)
            do {
                step = try inflater.step(raw, from: rawPos, into: &out, room: Self.readSize)
            } catch {
                throw .corruptGzip(memberAt: member, zlib: error.message)
            }
            rawPos += step.consumed
            decoded += step.produced
            if step.ended { inMember = false }
            if step.produced > 0 { return true }
            if !step.ended && step.consumed == 0 {
                // zlib wants more input than is in hand.
                if !(try refill()) { throw .gzipCutShort(memberAt: member) }
            }
        }
    }

    /// Reads more of the file after what is left of `raw`; false at its end.
    private func refill() throws(WARCProblem.Reason) -> Bool {
        if endOfFile { return false }
        if rawPos > 0 {
            raw.removeSubrange(0..<rawPos)
            rawOffset += rawPos
            rawPos = 0
        }
        let old = raw.count
        raw.append(contentsOf: repeatElement(0, count: Self.readSize))
        var n = 0, failure: Int32 = 0
        while true {
            n = raw.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + old, Self.readSize) }
            failure = n < 0 ? errno : 0
            if failure == EINTR { continue }
            break
        }
        raw.removeSubrange((old + max(0, n))...)
        if n < 0 { throw .readFailed(String(cString: strerror(failure))) }
        if n == 0 { endOfFile = true; return false }
        return true
    }
}
