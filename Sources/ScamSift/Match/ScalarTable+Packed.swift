/// `ScalarTable.Entry` in one word, for the table written ahead in `ScalarTableData.swift`:
/// bits 0-20 a scalar or ASCII byte (`ascii`, `fold`), bits 21-23 the kind, bit 24 `unstable`,
/// bit 25 `word`.
extension ScalarTable.Entry {
    var packed: UInt32 {
        let (kind, value): (UInt32, UInt32)
        switch self.kind {
        case .drop: (kind, value) = (0, 0)
        case .space: (kind, value) = (1, 0)
        case let .ascii(b): (kind, value) = (2, UInt32(b))
        case let .fold(s): (kind, value) = (3, s.value)
        case .keep: (kind, value) = (4, 0)
        }
        return value | kind << 21 | (unstable ? 1 << 24 : 0) | (word ? 1 << 25 : 0)
    }

    init(packed p: UInt32) {
        let value = p & 0x1F_FFFF
        switch (p >> 21) & 7 {
        case 0: kind = .drop
        case 1: kind = .space
        case 2: kind = .ascii(UInt8(truncatingIfNeeded: value))
        case 3: kind = Unicode.Scalar(value).map { .fold($0) } ?? .keep
        default: kind = .keep
        }
        unstable = p & 1 << 24 != 0
        word = p & 1 << 25 != 0
    }
}

extension ScalarTable {
    /// The text of `ScalarTableData.swift` for this Swift's Unicode data.
    static func dataFileText() -> String {
        func table(_ name: String, _ scalars: ClosedRange<UInt32>) -> String {
            let words = scalars.map { compute(Unicode.Scalar($0)).packed }
            var lines: [String] = []
            for start in stride(from: 0, to: words.count, by: 8) {
                lines.append("        " + words[start..<min(words.count, start + 8)].map { "0x" + String($0, radix: 16, uppercase: true) + "," }.joined(separator: " "))
            }
            let first = String(scalars.lowerBound, radix: 16, uppercase: true), last = String(scalars.upperBound, radix: 16, uppercase: true)
            return "    /// U+\(first) to U+\(last), packed (`ScalarTable.Entry.init(packed:)`).\n"
                + "    static let \(name): [UInt32] = [\n" + lines.joined(separator: "\n") + "\n    ]\n"
        }
        return "// Written by `SCAMSIFT_WRITE_SCALAR_TABLE=1 swift test --filter theScalarTableIsWhatUnicodeSays`\n"
            + "// from `ScalarTable.compute`; do not edit. The test fails when Swift's Unicode data no longer agrees.\n\n"
            + "extension ScalarTable {\n" + table("packedScripts", scriptScalars) + "\n" + table("packedPunctuation", punctuationScalars) + "}\n"
    }
}
