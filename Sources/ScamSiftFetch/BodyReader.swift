import CZlib
import Foundation
import NIOCore

/// Reads a response body into memory, at most `limit` bytes of it, inflating a gzip or deflate body
/// as the pieces arrive. Both what comes over the wire and what it inflates to stop at `limit`:
/// `take` says when to stop reading, and the caller then drops the response, which closes the
/// connection. So a page never costs more than `limit` bytes (plus zlib's 32 KiB window and one
/// piece), whether it is huge, endless or a decompression bomb.
struct BodyReader {
    /// The body as read (inflated when it was compressed): at most `limit` bytes.
    private(set) var body = Data()
    /// The body went on past what was read.
    private(set) var truncated = false
    /// Bytes received from the server, before inflating.
    private(set) var wireBytes = 0
    let limit: Int
    /// A compressed body may inflate to at most this many times what has arrived so far.
    let ratio: Int
    private let coding: Coding
    private var inflater: Inflater?
    /// The first byte of a deflate body that came alone.
    private var firstBytes: [UInt8] = []
    /// The body's storage as grown so far: never past `limit`.
    private var reserved = 0

    enum Coding: Equatable {
        case identity
        /// `Content-Encoding: gzip` (or `x-gzip`).
        case gzip
        /// `Content-Encoding: deflate`: a zlib stream, or, from some servers, a raw deflate one.
        case deflate
    }

    /// - Throws: `bad-encoding` for a content coding we did not ask for (br, zstd…).
    init(contentEncoding: String?, limit: Int, ratio: Int, contentLength: Int? = nil) throws {
        self.limit = max(0, limit)
        self.ratio = max(1, ratio)
        let codings = (contentEncoding ?? "").lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "identity" }
        switch codings {
        case []: coding = .identity
        case ["gzip"], ["x-gzip"]: coding = .gzip
        case ["deflate"]: coding = .deflate
        default:
            throw FetchError(.badEncoding, "the body is encoded as '\(FetchError.short(codings.joined(separator: ", ")))', which scamsift cannot decode (it asks for gzip or deflate only)")
        }
        // The size is known and fits: one allocation. Never more than `limit`, whatever the header says.
        if coding == .identity, let contentLength, contentLength > 0 {
            reserve(min(contentLength, self.limit))
        }
    }

    /// Takes the next piece of the body. Returns false when no more should be read: the cap was
    /// reached (the body is then marked truncated) or a compressed stream has ended.
    /// - Throws: `decompression-bomb` or `bad-encoding`.
    mutating func take(_ piece: ByteBuffer) throws -> Bool {
        guard piece.readableBytes > 0 else { return true }
        if truncated { return false }
        let wireRoom = limit - wireBytes
        let usable = min(piece.readableBytes, wireRoom)
        wireBytes += usable
        if coding == .identity {
            let room = limit - body.count
            let n = min(usable, room)
            reserve(n)
            piece.withUnsafeReadableBytes { if n > 0 { body.append($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n) } }
            if piece.readableBytes > room {
                truncated = true
                return false
            }
            return true
        }
        var input = piece.getSlice(at: piece.readerIndex, length: usable) ?? piece
        if inflater == nil && coding == .deflate && firstBytes.count + usable < 2 {
            // Too short to tell zlib from raw deflate: kept for the next piece.
            firstBytes += input.readableBytesView
            return usable == piece.readableBytes
        }
        if !firstBytes.isEmpty {
            var joined = ByteBuffer(bytes: firstBytes)
            joined.writeBuffer(&input)
            input = joined
            firstBytes = []
        }
        let more = try input.withUnsafeReadableBytes { try inflate($0) }
        if !more { return false }
        if usable < piece.readableBytes {
            // The compressed bytes alone reached the cap (a stream that inflates to little or nothing).
            truncated = true
            return false
        }
        return true
    }

    /// Grows the body's storage for `more` bytes: doubling, but never past `limit`, so that a page
    /// cut at the cap holds `limit` bytes, not the next power of two.
    private mutating func reserve(_ more: Int) {
        let need = body.count + more
        guard need > reserved else { return }
        reserved = min(limit, max(need, reserved * 2, 16384))
        body.reserveCapacity(reserved)
    }

    /// The body ended. A compressed stream must have ended too.
    func finish() throws {
        if let inflater, !inflater.ended, !truncated {
            throw FetchError(.badEncoding, "the \(coding == .gzip ? "gzip" : "deflate") body stops before the end of its compressed stream")
        }
    }

    private mutating func inflate(_ input: UnsafeRawBufferPointer) throws -> Bool {
        if inflater == nil {
            // RFC 9110's deflate is a zlib stream, but some servers send raw deflate: a zlib stream's
            // first two bytes, read as a big-endian number, are a multiple of 31 with method 8.
            var raw = false
            if coding == .deflate, input.count >= 2 {
                let header = Int(input[0]) << 8 | Int(input[1])
                raw = !(input[0] & 0x0F == 8 && header % 31 == 0)
            }
            inflater = try Inflater(raw: raw)
        }
        guard let inflater else { return false }
        if inflater.ended { return false }
        var offset = 0
        while offset < input.count || inflater.hasPendingOutput {
            let room = limit - body.count
            if room == 0 {
                truncated = true
                return false
            }
            // At most 64 KiB at a time, so that a bomb is seen after 64 KiB, not after the whole cap.
            let step = min(room, 65536)
            reserve(step)
            let (consumed, produced) = try inflater.inflate(UnsafeRawBufferPointer(rebasing: input[offset...]), into: &body, room: step)
            offset += consumed
            if body.count > ratio * wireBytes {
                throw FetchError(.decompressionBomb, "the compressed body inflates more than \(ratio) times its size (a decompression bomb); refused")
            }
            if inflater.ended { return false }
            if consumed == 0 && produced == 0 { break }
        }
        return true
    }
}

/// One zlib inflate stream. The `z_stream` lives on the heap because zlib keeps a pointer back to
/// it and refuses a stream that has moved.
final class Inflater {
    private let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var scratch = [UInt8](repeating: 0, count: 16384)
    /// zlib reported the end of the compressed stream.
    private(set) var ended = false
    /// The last call filled its room: zlib may hold more output for the same input.
    private(set) var hasPendingOutput = false

    /// - Parameter raw: a raw deflate stream; otherwise a gzip or zlib one, told apart by its header.
    init(raw: Bool) throws {
        z.initialize(to: z_stream())
        let status = czlib_inflateInit(z, raw ? -15 : 15 + 32)
        guard status == Z_OK else {
            z.deallocate()
            throw FetchError(.badEncoding, "zlib could not start inflating (status \(status))")
        }
    }

    deinit {
        inflateEnd(z)
        z.deallocate()
    }

    /// Inflates from `input`, appending at most `room` bytes to `out`.
    /// Returns the input bytes consumed and the bytes appended.
    func inflate(_ input: UnsafeRawBufferPointer, into out: inout Data, room: Int) throws -> (consumed: Int, produced: Int) {
        var consumed = 0, produced = 0
        hasPendingOutput = false
        while !ended && produced < room {
            let want = min(scratch.count, room - produced)
            let remaining = input.count - consumed
            let (status, used, made) = scratch.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int, Int) in
                let base = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self)) + consumed }
                z.pointee.next_in = remaining > 0 ? base : nil
                z.pointee.avail_in = UInt32(remaining)
                z.pointee.next_out = outBuf.baseAddress
                z.pointee.avail_out = UInt32(want)
                let status = CZlib.inflate(z, Z_NO_FLUSH)
                let used = remaining - Int(z.pointee.avail_in)
                let made = want - Int(z.pointee.avail_out)
                z.pointee.next_in = nil
                z.pointee.avail_in = 0
                return (status, used, made)
            }
            consumed += used
            if made > 0 { scratch.withUnsafeBufferPointer { out.append($0.baseAddress!, count: made) } }
            produced += made
            switch status {
            case Z_STREAM_END:
                ended = true
            case Z_OK:
                // A full output buffer may mean more output is waiting inside zlib.
                if made == want { hasPendingOutput = true; continue }
                if consumed == input.count { return (consumed, produced) }
            case Z_BUF_ERROR:
                // No progress possible: zlib needs more input.
                return (consumed, produced)
            default:
                let why = z.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw FetchError(.badEncoding, "the compressed body could not be decoded (zlib: \(why))")
            }
        }
        return (consumed, produced)
    }
}
