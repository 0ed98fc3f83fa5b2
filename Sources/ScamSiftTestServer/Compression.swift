import CZlib

/// gzip and zlib ("deflate") bodies for the test server, written by the system zlib.
/// Every stream it writes is well formed: the fault routes that need a broken body
/// (a cut connection, a lying Content-Length) break the transport, not the compression.
public enum Compression {
    public enum Wrapper { case gzip, zlib }

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

    /// One deflate stream; ended by its last `feed(finish: true)`. The `z_stream` lives on the
    /// heap because zlib keeps a pointer back to it and refuses a stream that has moved.
    final class Deflater {
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var ended = false

        init(wrapper: Wrapper) {
            z.initialize(to: z_stream())
            let status = czlib_deflateInit(z, Z_BEST_COMPRESSION, wrapper == .gzip ? 1 : 0)
            precondition(status == Z_OK, "zlib deflateInit2 failed: \(status)")
        }

        deinit {
            if !ended { deflateEnd(z) }
            z.deallocate()
        }

        func feed(_ input: [UInt8], finish: Bool, into out: inout [UInt8]) {
            var input = input
            var buffer = [UInt8](repeating: 0, count: 65536)
            input.withUnsafeMutableBufferPointer { inBuf in
                z.pointee.next_in = inBuf.baseAddress
                z.pointee.avail_in = UInt32(inBuf.count)
                while true {
                    let (status, produced) = buffer.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int) in
                        z.pointee.next_out = outBuf.baseAddress
                        z.pointee.avail_out = UInt32(outBuf.count)
                        let status = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH)
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
