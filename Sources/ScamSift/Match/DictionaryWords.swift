import CICURegex

/// Where words start in text written without spaces between words (`WordChars.isSpaceless`:
/// Thai, Lao, Khmer, Myanmar, Han and kana): ICU's word break iterator finds them with its
/// dictionaries. "Within N words" used to count each character of these scripts as a word (Thai
/// vowel signs and tone marks too), so a rule's "within 6" spanned one or two Thai words, and in
/// Chinese "须邀请3位有效会员后方可提现" (withdraw only after inviting 3 active members) put nine
/// "words" between the invitation and the withdrawal, which ICU finds about six words apart.
enum DictionaryWords {
    /// The byte offsets, in order, at which ICU starts a word in `bytes` (UTF-8). Nil when the
    /// text has no character of those scripts, or when ICU fails (then each character counts).
    static func starts(in bytes: [UInt8]) -> [Int32]? {
        guard mayHoldDictionaryScript(bytes) else { return nil }
        // The text as UTF-16, with the byte offset of each code unit.
        var utf16: [UInt16] = []
        var offsets: [Int32] = []
        utf16.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count)
        var seen = false
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                if let (value, n) = WordChars.decode(b, i), let scalar = Unicode.Scalar(value) {
                    seen = seen || WordChars.isSpaceless(value)
                    for unit in UTF16.encode(scalar)! {
                        utf16.append(unit)
                        offsets.append(Int32(i))
                    }
                    i += n
                } else {
                    utf16.append(0xFFFD)   // not valid UTF-8: one byte, as WordIndex reads it
                    offsets.append(Int32(i))
                    i += 1
                }
            }
        }
        guard seen else { return nil }
        var found = [Int32](repeating: 0, count: utf16.count + 1)
        var status: Int32 = 0
        let count = cicu_word_starts(utf16, Int32(utf16.count), &found, Int32(found.count), &status)
        guard status <= 0 else { return nil }
        return found[0..<Int(count)].map { offsets[Int($0)] }
    }

    /// Whether the UTF-8 text has a lead byte pair of those scripts (E0 B8–BB: Thai, Lao;
    /// E1 80–82: Myanmar; E1 9E–9F: Khmer; EA A7, EA A9: Myanmar extensions; E3 80–83: 々〆〇 and
    /// kana; E3 90 – E9: Han; EF A4–AB: Han compatibility; F0 A0 – F0 BF: Han extensions): a
    /// cheap test before decoding.
    static func mayHoldDictionaryScript(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard b.count >= 3 else { return false }
            for i in 0..<(b.count - 2) {
                switch (b[i], b[i + 1]) {
                case (0xE0, 0xB8...0xBB), (0xE1, 0x80...0x82), (0xE1, 0x9E...0x9F), (0xEA, 0xA7), (0xEA, 0xA9),
                     (0xE3, 0x80...0x83), (0xE3, 0x90...0xBF), (0xE4...0xE9, _), (0xEF, 0xA4...0xAB), (0xF0, 0xA0...0xBF):
                    return true
                default:
                    continue
                }
            }
            return false
        }
    }
}
