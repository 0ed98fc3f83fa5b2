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
