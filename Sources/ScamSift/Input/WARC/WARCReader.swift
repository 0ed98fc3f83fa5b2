import Foundation

/// Why a WARC file could not be read on: the record it stopped at, where that record starts,
/// and the reason. Records before it were read whole.
public struct WARCProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Counted from 1 over every record of the file, `warcinfo` included.
    public var record: Int
    /// Where the record starts, as `WARCReader.position(of:)` words it ("at byte 1234").
    public var position: String
    public var reason: Reason

    public enum Reason: Error, Sendable, Equatable, CustomStringConvertible {
        case cutShortInHeaders
        case cutShortInBlock(declared: Int, available: Int)
        case notARecord(found: String)
        case headersTooLong(limit: Int)
        case badContentLength(String?)
        case badRecordEnd(found: String)
        case gzipCutShort(memberAt: Int)
        case corruptGzip(memberAt: Int, zlib: String)
        case notGzipAfterMember(at: Int)
        case readFailed(String)

        public var description: String {
            switch self {
            case .cutShortInHeaders:
                return "the file ends inside the record's headers (cut short)"
            case let .cutShortInBlock(declared, available):
                return "its Content-Length is \(declared) bytes but the file ends \(available) bytes into the block "
                    + "(the file is cut short, or the Content-Length runs past its end)"
            case let .notARecord(found):
                return "expected a record's version line (WARC/1.0 or WARC/1.1), found \"\(found)\""
            case let .headersTooLong(limit):
                return "the record's headers run past \(limit / 1024) KiB without the empty line that ends them"
            case let .badContentLength(value):
                return value.map { "its Content-Length \"\($0)\" is not a byte count" } ?? "it has no Content-Length header"
            case let .badRecordEnd(found):
                return "the block does not end where its Content-Length says (found \"\(found)\" where the next record "
                    + "or the end of the file should be): a wrong Content-Length?"
            case let .gzipCutShort(member):
                return "the file ends inside the gzip member at byte \(member) (cut short)"
            case let .corruptGzip(member, zlib):
                return "the gzip member at byte \(member) is corrupt (zlib: \(zlib))"
            case let .notGzipAfterMember(offset):
                return "the bytes at \(offset), after a gzip member, are not another gzip member"
            case let .readFailed(why):
                return "reading the file failed: \(why)"
            }
        }
    }

    public var description: String { "record \(record) (\(position)): \(reason)" }
}

/// Reads a WARC file (ISO 28500, WARC/1.0 and WARC/1.1) record by record: a version line,
/// header fields, an empty line, exactly `Content-Length` bytes of block, then CRLF CRLF. Only
/// the record being read is held, and of its block only as much as the caller keeps, so a file
/// of any size costs memory of one record. Plain, gzip per record (`.warc.gz`) and whole-file
/// gzip read the same.
public final class WARCReader {
    /// A record's headers; its block comes next (`peekBlock`, `finishBlock`).
    public struct Head: Sendable {
        /// Counted from 1 over every record of the file.
        public var number: Int
        /// Where the record starts, for messages ("at byte 1234").
        public var position: String
        /// `WARC/1.1`.
        public var version: String
        /// Names in lower case (`warc-type`, `warc-target-uri`, `content-type`, `content-length`).
        public var headers: MIMEHeaders
        public var length: Int

        /// `response`, `request`, `warcinfo`, `revisit`, … in lower case.
        public var type: String { headers["warc-type"]?.lowercased() ?? "" }

        /// `WARC-Target-URI`, without the angle brackets some writers put around it (as WARC/1.0's examples do).
        public var targetURI: String? {
            guard var uri = headers["warc-target-uri"], !uri.isEmpty else { return nil }
            if uri.hasPrefix("<"), uri.hasSuffix(">") { uri = String(uri.dropFirst().dropLast()) }
            return uri.isEmpty ? nil : uri
        }
    }

    /// The most bytes a record's headers may take (real ones take a few hundred).
    static let headerLimit = 1024 * 1024

    private let source: WARCByteSource
    private var buffer: [UInt8] = []
    private var pos = 0
    /// Decoded offset of `buffer[0]`.
    private var base = 0
    private var number = 0
    /// The record whose block is being read, and how much of its block is left.
    private var current: Head?
    private var blockLeft = 0
    /// A problem met while looking past a whole record: it belongs to the next record.
    private var pending: WARCProblem.Reason?
    private var stopped = false

    /// - Parameters:
    ///   - head: the file's first bytes, already read from `fd`.
    ///   - gzip: the file is gzip (it starts with 1F 8B).
    ///   - ownsFD: close `fd` when the reader goes.
    public init(fd: Int32, head: [UInt8], gzip: Bool, ownsFD: Bool) {
        source = WARCByteSource(fd: fd, head: head, gzip: gzip, ownsFD: ownsFD)
    }

    /// The next record's headers, or nil at the end of the file. After a problem it returns nil.
    public func nextHead() throws(WARCProblem) -> Head? {
        if stopped { return nil }
        if current != nil { _ = try finishBlock(keeping: 0) }
        if let reason = pending {
            pending = nil
            throw stop(reason, record: number + 1, at: base + pos)
        }
        // Blank lines between records are tolerated.
        while true {
            guard try available(1, record: number + 1, position: nil) >= 1 else { stopped = true; return nil }
            guard buffer[pos] == 0x0D || buffer[pos] == 0x0A else { break }
            pos += 1
        }
        number += 1
        let start = base + pos
        let position = describe(start)
        let headerEnd: (block: Int, body: Int)
        do throws(WARCProblem.Reason) {
            headerEnd = try findHeaderEnd()
        } catch {
            throw stop(error, record: number, position: position)
        }
        let lineEnd = buffer[pos..<headerEnd.block].firstIndex(of: 0x0A) ?? headerEnd.block
        let version = String(decoding: buffer[pos..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard version.hasPrefix("WARC/") else {
            throw stop(.notARecord(found: Self.shown(buffer[pos..<min(lineEnd, pos + 40)])), record: number, position: position)
        }
        let headers = MIMEHeaders.parse(buffer, from: min(lineEnd + 1, headerEnd.block), to: headerEnd.block).headers
        let lengthText = headers["content-length"]
        guard let lengthText, let length = Int(lengthText), length >= 0 else {
            throw stop(.badContentLength(lengthText.map { Self.shown(ArraySlice($0.utf8.prefix(40))) }), record: number, position: position)
        }
        pos = headerEnd.body
        let head = Head(number: number, position: position, version: version, headers: headers, length: length)
        current = head
        blockLeft = length
        return head
    }

    /// Up to `count` first bytes of the current record's block, leaving them to be read.
    public func peekBlock(_ count: Int) throws(WARCProblem) -> [UInt8] {
        guard let head = current else { return [] }
        let want = min(count, blockLeft)
        let have = try available(want, record: head.number, position: head.position)
        return Array(buffer[pos..<pos + min(want, have)])
    }

    /// Reads the rest of the current block, keeping its first `count` bytes (what was read
    /// before counts), then checks that the record ends where its `Content-Length` says.
    public func finishBlock(keeping count: Int) throws(WARCProblem) -> [UInt8] {
        guard let head = current else { return [] }
        let keep = min(count, blockLeft)
        if try available(keep, record: head.number, position: head.position) < keep {
            throw stop(.cutShortInBlock(declared: head.length, available: head.length - blockLeft + (buffer.count - pos)),
                       record: head.number, position: head.position)
        }
        let kept = Array(buffer[pos..<pos + keep])
        pos += keep
        blockLeft -= keep
        while blockLeft > 0 {
            let here = min(blockLeft, buffer.count - pos)
            pos += here
            blockLeft -= here
            if blockLeft == 0 { break }
            base += buffer.count
            buffer.removeAll(keepingCapacity: true)
            pos = 0
            let more: Bool
            do throws(WARCProblem.Reason) { more = try source.read(into: &buffer) } catch { throw stop(error, record: head.number, position: head.position) }
            if !more {
                throw stop(.cutShortInBlock(declared: head.length, available: head.length - blockLeft), record: head.number, position: head.position)
            }
        }
        current = nil
        try checkRecordEnd(head)
        return kept
    }

    /// After a block: CR and LF (CRLF CRLF by the standard), then the next record or the end.
    /// A problem in the bytes after that (a corrupt next gzip member) is the next record's.
    private func checkRecordEnd(_ head: Head) throws(WARCProblem) {
        let magic = Array("WARC/".utf8)
        do throws(WARCProblem.Reason) {
            while true {
                if buffer.count - pos < 1, !(try pull()) { return }
                guard buffer[pos] == 0x0D || buffer[pos] == 0x0A else { break }
                pos += 1
            }
            while buffer.count - pos < magic.count, try pull() {}
        } catch {
            pending = error
            return
        }
        let next = buffer[pos..<min(buffer.count, pos + magic.count)]
        guard next.elementsEqual(magic.prefix(next.count)) else {
            throw stop(.badRecordEnd(found: Self.shown(buffer[pos..<min(buffer.count, pos + 20)])), record: head.number, position: head.position)
        }
    }

    /// Where the end of the header block is: the empty line's start and the block's first byte.
    private func findHeaderEnd() throws(WARCProblem.Reason) -> (block: Int, body: Int) {
        var scan = pos
        while true {
            while let lf = buffer[scan..<buffer.count].firstIndex(of: 0x0A) {
                // An empty line after this one: LF, or CR LF.
                if lf + 1 < buffer.count, buffer[lf + 1] == 0x0A { return (lf + 1, lf + 2) }
                if lf + 2 < buffer.count, buffer[lf + 1] == 0x0D, buffer[lf + 2] == 0x0A { return (lf + 1, lf + 3) }
                if lf + 2 >= buffer.count { break }  // not enough bytes after it to tell
                scan = lf + 1
            }
            if buffer.count - pos > Self.headerLimit { throw .headersTooLong(limit: Self.headerLimit) }
            let before = pos
            guard try pull() else { throw .cutShortInHeaders }
            scan = max(pos, scan - (before - pos))
        }
    }

    /// Makes at least `count` bytes available from `pos` if the file has them; says how many
    /// are. A problem is the record's, at `position` (nil: the record starts here).
    private func available(_ count: Int, record: Int, position: String?) throws(WARCProblem) -> Int {
        do throws(WARCProblem.Reason) {
            while buffer.count - pos < count, try pull() {}
        } catch {
            throw stop(error, record: record, position: position ?? describe(base + pos))
        }
        return buffer.count - pos
    }

    /// Reads more bytes into the buffer, first dropping what was used; false at the end.
    private func pull() throws(WARCProblem.Reason) -> Bool {
        if pos >= 256 * 1024 || pos == buffer.count {
            buffer.removeSubrange(0..<pos)
            base += pos
            pos = 0
        }
        return try source.read(into: &buffer)
    }

    /// "at byte 1234": the record's offset in the file, or its gzip member's; for a
    /// whole-file gzip, its offset in the decompressed data.
    private func describe(_ decodedOffset: Int) -> String {
        guard source.isGzip else { return "at byte \(decodedOffset)" }
        if let file = source.memberFileOffset(startingAt: decodedOffset) { return "at byte \(file)" }
        return "at byte \(decodedOffset) of the decompressed data"
    }

    private func stop(_ reason: WARCProblem.Reason, record: Int, at offset: Int) -> WARCProblem {
        stop(reason, record: record, position: describe(offset))
    }

    private func stop(_ reason: WARCProblem.Reason, record: Int, position: String) -> WARCProblem {
        stopped = true
        current = nil
        return WARCProblem(record: record, position: position, reason: reason)
    }

    /// Bytes from the file as printable text for a message.
    static func shown(_ bytes: ArraySlice<UInt8>) -> String {
        let line = bytes.prefix { $0 != 0x0D && $0 != 0x0A }
        return TerminalSafe.clean(String(decoding: line, as: UTF8.self)).replacingOccurrences(of: "\"", with: "'")
    }
}
