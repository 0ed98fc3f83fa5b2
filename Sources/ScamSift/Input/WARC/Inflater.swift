import CZlib

/// One zlib inflate stream (a gzip or zlib wrapper, or raw deflate), fed piece by piece. The
/// `z_stream` lives on the heap because zlib keeps a pointer back to it and refuses one that
/// has moved. Public for the fetcher, which inflates HTTP bodies as they stream in.
public final class Inflater {
    public enum Wrapper: Sendable {
        /// A gzip or a zlib header, whichever comes (windowBits 15 + 32).
        case gzipOrZlib
        /// Raw deflate with no header (some servers' "deflate").
        case raw
    }

    /// zlib refused the data; `message` is zlib's own words ("invalid block type").
    public struct Corrupt: Error, Equatable {
        public var message: String
    }

    private let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// The wrapper of an HTTP `deflate` body, from its first two bytes: a zlib stream as the
    /// standard says (a valid zlib header), else raw deflate, as some servers send.
    public static func deflateWrapper<C: Collection<UInt8>>(firstBytes: C) -> Wrapper {
        var bytes = firstBytes.makeIterator()
        guard let first = bytes.next(), let second = bytes.next() else { return .raw }
        return first & 0x0F == 8 && (UInt16(first) << 8 | UInt16(second)) % 31 == 0 ? .gzipOrZlib : .raw
    }

    public init(_ wrapper: Wrapper = .gzipOrZlib) {
        z.initialize(to: z_stream())
        let status = czlib_inflateInit(z, wrapper == .raw ? -15 : 15 + 32)
        // Fails only without memory, or when the headers and the library disagree on zlib's version.
        precondition(status == Z_OK, "zlib inflateInit2 failed: \(status)")
    }

    deinit {
        inflateEnd(z)
        z.deallocate()
    }

    /// Ready for the next member of a multi-member gzip file.
    func reset() { inflateReset(z) }

    /// Inflates from `input[start...]`, appending at most `room` (and at most 64 KiB) bytes to
    /// `out`. Says how many input bytes it used and whether the stream ended; using none and
    /// producing none means it needs more input.
    public func step(_ input: [UInt8], from start: Int, into out: inout [UInt8], room: Int) throws(Corrupt) -> (consumed: Int, produced: Int, ended: Bool) {
        let available = input.count - start
        guard available > 0, room > 0 else { return (0, 0, false) }
        var status: Int32 = Z_OK
        var consumed = 0, produced = 0
        input.withUnsafeBufferPointer { inBuf in
            z.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + start)
            z.pointee.avail_in = UInt32(clamping: available)
            let offered = Int(z.pointee.avail_in)
            scratch.withUnsafeMutableBufferPointer { outBuf in
                z.pointee.next_out = outBuf.baseAddress
                z.pointee.avail_out = UInt32(min(outBuf.count, room))
                let asked = Int(z.pointee.avail_out)
                status = inflate(z, Z_NO_FLUSH)
                produced = asked - Int(z.pointee.avail_out)
            }
            consumed = offered - Int(z.pointee.avail_in)
            z.pointee.next_in = nil
            z.pointee.next_out = nil
        }
        out.append(contentsOf: scratch[0..<produced])
        switch status {
        case Z_STREAM_END: return (consumed, produced, true)
        case Z_OK, Z_BUF_ERROR: return (consumed, produced, false)
        default:
            let message = z.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw Corrupt(message: message)
        }
    }

    /// What an in-memory body inflates to, at most `limit` bytes. Concatenated gzip members
    /// are read one after the other; bytes after the last member that are not gzip are ignored.
    struct Result {
        var bytes: [UInt8]
        /// The output reached `limit` before the data ended.
        var reachedLimit: Bool
        /// The data ended inside a stream (a body cut short).
        var cutShort: Bool
    }

    static func inflateAll(_ input: [UInt8], wrapper: Wrapper = .gzipOrZlib, limit: Int) throws(Corrupt) -> Result {
        let inflater = Inflater(wrapper)
        var out: [UInt8] = []
        var at = 0
        while true {
            if out.count >= limit { return Result(bytes: out, reachedLimit: true, cutShort: false) }
            let (consumed, produced, ended) = try inflater.step(input, from: at, into: &out, room: limit - out.count)
            at += consumed
            if ended {
                guard wrapper == .gzipOrZlib, input.count - at >= 2, input[at] == 0x1F, input[at + 1] == 0x8B else {
                    return Result(bytes: out, reachedLimit: false, cutShort: false)
                }
                inflater.reset()
            } else if consumed == 0 && produced == 0 {
                return Result(bytes: out, reachedLimit: false, cutShort: true)
            }
        }
    }
}
