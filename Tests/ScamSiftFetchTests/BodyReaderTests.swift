import Foundation
import NIOCore
@testable import ScamSiftFetch
import ScamSiftTestServer
import Testing

/// A page costs at most `--max-bytes`, as sent and as inflated: reading stops at the cap.
@Suite struct BodyReaderTests {
    /// A page of `count` bytes that compresses about tenfold, like real HTML.
    static func plans(_ count: Int) -> [UInt8] {
        var text = "<html><head><title>Plans</title></head><body>"
        var n = 0
        while text.utf8.count < count {
            text += "<p>Plan \(n): deposit $\(n * 37 % 9000 + 50), earn \(n % 17 + 1).\(n % 10)% daily for \(n % 90 + 7) days</p>\n"
            n += 1
        }
        return Array(text.utf8.prefix(count))
    }

    /// Feeds `bytes` in pieces of `piece` bytes until the reader says stop; returns the pieces taken.
    @discardableResult
    static func feed(_ reader: inout BodyReader, _ bytes: [UInt8], piece: Int) throws -> Int {
        var offset = 0, taken = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            taken += 1
            if try !reader.take(ByteBuffer(bytes: bytes[offset..<end])) { return taken }
            offset = end
        }
        try reader.finish()
        return taken
    }

    @Test func aPlainBodyStopsAtTheCap() throws {
        let page = Self.plans(300_000)
        var reader = try BodyReader(contentEncoding: nil, limit: 100_000, ratio: 100, contentLength: page.count)
        let taken = try Self.feed(&reader, page, piece: 16384)
        #expect(reader.truncated && reader.body == Data(page.prefix(100_000)))
        #expect(taken == 100_000 / 16384 + 1, "the reader said stop at the piece that crossed the cap")

        // Exactly the cap, and no more: whole, not truncated.
        var exact = try BodyReader(contentEncoding: "identity", limit: 100_000, ratio: 100)
        try Self.feed(&exact, Array(page.prefix(100_000)), piece: 4096)
        #expect(!exact.truncated && exact.body.count == 100_000)
    }

    @Test(arguments: [("gzip", Compression.Wrapper.gzip), ("deflate", .zlib), ("deflate", .raw), ("x-gzip", .gzip)])
    func aCompressedBodyIsInflatedWhole(encoding: String, wrapper: Compression.Wrapper) throws {
        let page = Self.plans(50_000)
        let packed = Compression.compress(page, wrapper: wrapper)
        #expect(packed.count < page.count / 4)
        for piece in [1, 7, 1500, 65536] {
            var reader = try BodyReader(contentEncoding: encoding, limit: 1 << 20, ratio: 100)
            try Self.feed(&reader, packed, piece: piece)
            #expect(!reader.truncated && reader.body == Data(page), "\(encoding) \(wrapper) in pieces of \(piece)")
            #expect(reader.wireBytes == packed.count)
        }
    }

    /// A big page inflates only up to the cap; what was read from the wire is a fraction of it.
    @Test func aCompressedBodyStopsInflatingAtTheCap() throws {
        let page = Self.plans(4_000_000)
        let packed = Compression.gzip(page)
        let limit = 200_000
        var reader = try BodyReader(contentEncoding: "gzip", limit: limit, ratio: 100)
        let taken = try Self.feed(&reader, packed, piece: 4096)
        #expect(reader.truncated && reader.body == Data(page.prefix(limit)))
        #expect(reader.wireBytes < packed.count / 5, "read \(reader.wireBytes) of \(packed.count) compressed bytes")
        #expect(taken * 4096 < packed.count / 5)
    }

    /// Bytes that do not inflate (already compressed data) stop at the cap on the wire.
    @Test func compressedBytesStopAtTheCapToo() throws {
        var random = SystemRandomNumberGenerator()
        let noise = (0..<400_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let packed = Compression.gzip(noise)
        var reader = try BodyReader(contentEncoding: "gzip", limit: 100_000, ratio: 100)
        try Self.feed(&reader, packed, piece: 30_000)
        #expect(reader.truncated)
        #expect(reader.wireBytes == 100_000 && reader.body.count <= 100_000)
        #expect(reader.body == Data(noise.prefix(reader.body.count)))
    }

    @Test func aBombIsRefusedBeforeItFillsTheCap() throws {
        let bomb = Compression.gzipBomb(size: 64 << 20)
        var reader = try BodyReader(contentEncoding: "gzip", limit: 5 << 20, ratio: 100)
        do {
            try Self.feed(&reader, bomb, piece: 16384)
            Issue.record("a gzip bomb was accepted")
        } catch let e as FetchError {
            #expect(e.kind == .decompressionBomb, "\(e)")
        }
        // Refused as soon as it passed 100 times what had arrived (one piece of 16 KiB), checked
        // every 64 KiB of output.
        #expect(reader.body.count <= 16384 * 100 + 65536, "inflated \(reader.body.count) bytes before refusing")
    }

    @Test func undecodableBodiesAreBadEncoding() throws {
        do {
            _ = try BodyReader(contentEncoding: "br", limit: 100, ratio: 100)
            Issue.record("a brotli body was accepted")
        } catch let e as FetchError {
            #expect(e.kind == .badEncoding && e.message.contains("'br'"), "\(e)")
        }
        // A gzip stream cut short, and bytes that are not gzip at all.
        let packed = Compression.gzip(Self.plans(10_000))
        var cut = try BodyReader(contentEncoding: "gzip", limit: 1 << 20, ratio: 100)
        do {
            try Self.feed(&cut, Array(packed.prefix(packed.count / 2)), piece: 1000)
            Issue.record("a gzip stream cut in half was accepted")
        } catch let e as FetchError {
            #expect(e.kind == .badEncoding && e.message.contains("stops before the end"), "\(e)")
        }
        var garbage = try BodyReader(contentEncoding: "gzip", limit: 1 << 20, ratio: 100)
        do {
            try Self.feed(&garbage, Array("<html>not gzip</html>".utf8), piece: 100)
            Issue.record("plain text labelled gzip was accepted")
        } catch let e as FetchError {
            #expect(e.kind == .badEncoding && e.message.contains("zlib"), "\(e)")
        }
    }
}
