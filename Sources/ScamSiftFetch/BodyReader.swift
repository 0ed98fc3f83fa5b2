import Foundation
import NIOCore
import ScamSift

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
    /// Compressed bytes that have arrived and are not inflated yet.
    private var pending: [UInt8] = []
    /// Inflated bytes on their way to `body`.
    private var scratch: [UInt8] = []
    /// The compressed stream ended.
    private var ended = false
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
        if truncated || ended { return false }
        let usable = min(piece.readableBytes, limit - wireBytes)
        wireBytes += usable
        if coding == .identity {
            let n = min(usable, limit - body.count)
            reserve(n)
            piece.withUnsafeReadableBytes { if n > 0 { body.append($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n) } }
            if piece.readableBytes > n {
                truncated = true
                return false
            }
            return true
        }
        pending += piece.readableBytesView.prefix(usable)
        if inflater == nil {
            // A deflate body's first two bytes tell zlib from raw deflate: wait for both.
            if coding == .deflate && pending.count < 2 { return usable == piece.readableBytes }
            inflater = Inflater(Self.wrapper(coding, firstBytes: pending))
        }
        let more = try inflatePending()
        if !more { return false }
        if usable < piece.readableBytes {
            // The compressed bytes alone reached the cap (a stream that inflates to little or nothing).
            truncated = true
            return false
        }
        return true
    }

    /// RFC 9110's deflate is a zlib stream, but some servers send raw deflate: a zlib stream's first
    /// two bytes, read as a big-endian number, are a multiple of 31 with method 8.
    static func wrapper(_ coding: Coding, firstBytes: [UInt8]) -> Inflater.Wrapper {
        guard coding == .deflate, firstBytes.count >= 2 else { return .gzipOrZlib }
        return Inflater.deflateWrapper(firstBytes: firstBytes)
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
    mutating func finish() throws {
        guard coding != .identity, !ended, !truncated else { return }
        if inflater == nil, !pending.isEmpty { inflater = Inflater(Self.wrapper(coding, firstBytes: pending)) }
        if inflater != nil, try !inflatePending() { return }
        throw FetchError(.badEncoding, "the \(coding == .gzip ? "gzip" : "deflate") body stops before the end of its compressed stream")
    }

    /// Inflates what has arrived, 64 KiB of output at a time, so that a bomb is seen after 64 KiB,
    /// not after the whole cap. Returns false when the stream ended or the output reached the cap.
    private mutating func inflatePending() throws -> Bool {
        guard let inflater else { return true }
        var offset = 0
        defer { pending.removeFirst(offset) }
        while true {
            let room = limit - body.count
            if room == 0 {
                truncated = true
                return false
            }
            let step: (consumed: Int, produced: Int, ended: Bool)
            do {
                step = try inflater.step(pending, from: offset, into: &scratch, room: min(room, 65536))
            } catch {
                throw FetchError(.badEncoding, "the compressed body could not be decoded (zlib: \(error.message))")
            }
            offset += step.consumed
            reserve(scratch.count)
            body.append(contentsOf: scratch)
            scratch.removeAll(keepingCapacity: true)
            if body.count > ratio * wireBytes {
                throw FetchError(.decompressionBomb, "the compressed body inflates more than \(ratio) times its size (a decompression bomb); refused")
            }
            if step.ended {
                ended = true
                return false
            }
            // zlib needs more input than has arrived.
            if step.consumed == 0 && step.produced == 0 { return true }
        }
    }
}
