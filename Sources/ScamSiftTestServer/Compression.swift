import CZlib

/// gzip and zlib ("deflate") bodies for the test server, written by the system zlib.
/// Every stream it writes is well formed: the fault routes that need a broken body
/// (a cut connection, a lying Content-Length) break the transport, not the compression.
public enum Compression {
    public enum Wrapper: Sendable {
        case gzip, zlib
        /// Raw deflate, no wrapper: what some servers send as `Content-Encoding: deflate`.
        case raw

        var windowBits: Int32 {
            switch self {
            case .gzip: return 15 + 16
            case .zlib: return 15
            case .raw: return -15
            }
        }
    }

    public static func gzip(_ data: [UInt8]) -> [UInt8] { compress(data, wrapper: .gzip) }
    public static func zlib(_ data: [UInt8]) -> [UInt8] { compress(data, wrapper: .zlib) }

    public static func compress(_ data: [UInt8], wrapper: Wrapper) -> [UInt8] {
        var out: [UInt8] = []
        let stream = Deflater(wrapper: wrapper)
        stream.feed(data, finish: true, into: &out)
        return out
    }

    /// gzip of `size` zero bytes, fed through zlib in 64 KiB pieces so the zeros are never
    /// held whole: about a thousandth of the size.
    public static func gzipBomb(size: Int) -> [UInt8] {
        var out: [UInt8] = []
        let stream = Deflater(wrapper: .gzip)
        let zeros = [UInt8](repeating: 0, count: 65536)
        var left = size
        repeat {
            let n = min(left, zeros.count)
            left -= n
            stream.feed(Array(zeros[0..<n]), finish: left == 0, into: &out)
        } while left > 0
        return out
    }

    /// A gzip stream that never ends: `start` once, then `again` for ever, inflating to `chunk`
    /// over and over. Each copy of the chunk is compressed after a full flush, so every copy after
    /// the first compresses to the same bytes, computed once.
    public static func endlessGzip(of chunk: [UInt8]) -> (start: [UInt8], again: [UInt8]) {
        let stream = Deflater(wrapper: .gzip)
        var start: [UInt8] = [], again: [UInt8] = [], check: [UInt8] = []
        stream.feed(chunk, finish: false, fullFlush: true, into: &start)
        stream.feed(chunk, finish: false, fullFlush: true, into: &again)
        stream.feed(chunk, finish: false, fullFlush: true, into: &check)
        precondition(again == check, "a full flush did not make the stream repeat")
        return (start, again)
    }

    /// One deflate stream; ended by its last `feed(finish: true)`. The `z_stream` lives on the
    /// heap because zlib keeps a pointer back to it and refuses a stream that has moved.
    final class Deflater {
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var ended = false

        init(wrapper: Wrapper) {
            z.initialize(to: z_stream())
            let status = czlib_deflateInit(z, Z_BEST_COMPRESSION, wrapper.windowBits)
            precondition(status == Z_OK, "zlib deflateInit2 failed: \(status)")
        }

        deinit {
            if !ended { deflateEnd(z) }
            z.deallocate()
        }

        /// - Parameter fullFlush: ends the input with a full flush, which also forgets the history:
        ///   the same input after it compresses to the same bytes.
        func feed(_ input: [UInt8], finish: Bool, fullFlush: Bool = false, into out: inout [UInt8]) {
            var input = input
            var buffer = [UInt8](repeating: 0, count: 65536)
            input.withUnsafeMutableBufferPointer { inBuf in
                z.pointee.next_in = inBuf.baseAddress
                z.pointee.avail_in = UInt32(inBuf.count)
                while true {
                    let (status, produced) = buffer.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int) in
                        z.pointee.next_out = outBuf.baseAddress
                        z.pointee.avail_out = UInt32(outBuf.count)
                        let status = deflate(z, finish ? Z_FINISH : fullFlush ? Z_FULL_FLUSH : Z_NO_FLUSH)
                        return (status, outBuf.count - Int(z.pointee.avail_out))
                    }
                    out.append(contentsOf: buffer[0..<produced])
                    precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "zlib deflate failed: \(status)")
                    if finish ? status == Z_STREAM_END : (z.pointee.avail_in == 0 && z.pointee.avail_out > 0) { break }
                }
                z.pointee.next_in = nil
            }
            if finish {
                deflateEnd(z)
                ended = true
            }
        }
    }
}
