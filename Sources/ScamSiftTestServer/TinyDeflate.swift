/// Just enough DEFLATE (fixed Huffman codes) to serve gzip and deflate bodies, and a gzip bomb,
/// without a zlib dependency. Runs of a repeated byte are coded as length 258 / distance 1.
public enum TinyDeflate {
    struct BitWriter {
        var bytes: [UInt8] = []
        var acc: UInt64 = 0
        var count = 0

        mutating func write(_ value: UInt32, bits: Int) {
            acc |= UInt64(value) << UInt64(count)
            count += bits
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                count -= 8
            }
        }

        /// Huffman codes go most significant bit first.
        mutating func writeCode(_ code: UInt32, bits: Int) {
            var reversed: UInt32 = 0
            for i in 0..<bits where code & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(bits - 1 - i) }
            write(reversed, bits: bits)
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: acc)); acc = 0; count = 0 }
            return bytes
        }

        mutating func literal(_ b: UInt8) {
            if b < 144 { writeCode(0x30 + UInt32(b), bits: 8) } else { writeCode(0x190 + UInt32(b) - 144, bits: 9) }
        }

        /// Repeat the previous byte 258 times: length symbol 285, distance code 0.
        mutating func repeat258() {
            writeCode(0xC0 + 5, bits: 8)
            writeCode(0, bits: 5)
        }

        mutating func endOfBlock() { writeCode(0, bits: 7) }
    }

    /// Raw DEFLATE of `data`.
    public static func deflate(_ data: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.write(1, bits: 1)  // BFINAL
        w.write(1, bits: 2)  // fixed Huffman
        var i = 0
        while i < data.count {
            let b = data[i]
            w.literal(b)
            i += 1
            while i + 258 <= data.count, data[i..<(i + 258)].allSatisfy({ $0 == b }) {
                w.repeat258()
                i += 258
            }
        }
        w.endOfBlock()
        return w.finish()
    }

    public static func gzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        out += deflate(data)
        out += le32(crc32(data, previous: 0))
        out += le32(UInt32(truncatingIfNeeded: data.count))
        return out
    }

    /// zlib format, what HTTP calls `deflate`.
    public static func zlib(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        out += deflate(data)
        var a: UInt32 = 1, b: UInt32 = 0
        for x in data { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        let adler = (b << 16) | a
        out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
        return out
    }

    /// gzip of `size` zero bytes without building them: about 1/160 of the size.
    public static func gzipBomb(size: Int) -> [UInt8] {
        var w = BitWriter()
        w.write(1, bits: 1)
        w.write(1, bits: 2)
        var left = size
        if left > 0 { w.literal(0); left -= 1 }
        while left >= 258 { w.repeat258(); left -= 258 }
        while left > 0 { w.literal(0); left -= 1 }
        w.endOfBlock()
        var crc: UInt32 = 0
        let zeros = [UInt8](repeating: 0, count: 65536)
        var n = size
        while n > 0 {
            let k = min(n, zeros.count)
            crc = crc32(zeros[0..<k], previous: crc)
            n -= k
        }
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        out += w.finish()
        out += le32(crc)
        out += le32(UInt32(truncatingIfNeeded: size))
        return out
    }

    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32<C: Collection>(_ data: C, previous: UInt32) -> UInt32 where C.Element == UInt8 {
        var c = previous ^ 0xFFFF_FFFF
        for b in data { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func le32(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }
}
