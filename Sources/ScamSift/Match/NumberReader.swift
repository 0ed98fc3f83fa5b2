/// Reads the value of a number as `{num}` matches it in normalised text (ASCII digits; digits
/// of every script were made ASCII by normalisation): `2,5` and `2.5`, `1.000,50` and
/// `1,000.50`, Indian grouping `1,00,000`, a space between thousands `10 000`, and a Chinese
/// multiplier after the digits `5万`.
///
/// Where one separator could be either kind, it is a thousands separator when exactly three
/// digits follow it (`1.000` and `1,000` are a thousand, as most of the languages we read write
/// them) and a decimal mark otherwise (`2,5`, `0.30`, `1,2345`).
public enum NumberReader {
    /// Digits above which a number is refused rather than read (1e308% is not an offer).
    public static let maxDigits = 30

    public static func value(_ text: String) -> Double? {
        var text = text
        if let v = text.withUTF8({ utf8 in utf8.allSatisfy({ $0 < 0x80 }) ? value(ascii: utf8) : Optional<Double?>.none }) { return v }
        return generalValue(text)
    }

    /// `value` of ASCII text, read on its bytes: what offer extraction asks for every number with
    /// a separator on a page ("1,000", "2.5", "10 000"). The general path made a string of
    /// scalars, filtered it and built a set for each; this one gives the same answer with none.
    public static func value(ascii bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        // Most numbers on a page are plain digits.
        if !bytes.isEmpty, bytes.count <= maxDigits, bytes.allSatisfy(isDigit) { return Double(String(decoding: bytes, as: UTF8.self)) }
        // White space at either end (the ASCII characters `Character.isWhitespace` accepts).
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        var lo = 0, hi = bytes.count
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        // Spaces only ever group thousands: the characters left, spaces taken out.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, hi - lo)) { chars -> Double? in
            var count = 0
            var digits = 0, separators = 0, lastSeparator = -1
            var marks: (dot: Bool, comma: Bool) = (false, false)
            for k in lo..<hi where bytes[k] != 0x20 {
                let c = bytes[k]
                if isDigit(c) { digits += 1 } else if c == 0x2E || c == 0x2C {
                    separators += 1
                    lastSeparator = count
                    if c == 0x2E { marks.dot = true } else { marks.comma = true }
                } else {
                    return nil
                }
                chars[count] = c
                count += 1
            }
            guard count > 0, isDigit(chars[0]), digits > 0, digits <= maxDigits, isDigit(chars[count - 1]) else { return nil }
            // Which separator, if any, is the decimal mark (see `generalValue`).
            var decimalAt: Int?
            if separators > 0 {
                if marks.dot && marks.comma {
                    decimalAt = lastSeparator
                } else if separators == 1 {
                    decimalAt = count - lastSeparator - 1 == 3 ? nil : lastSeparator
                }
                // Thousands groups: three digits each, or pairs before the last (Indian grouping).
                var group = -1   // digits since the last thousands separator (-1: none seen yet)
                for k in 0..<count {
                    let c = chars[k]
                    if isDigit(c) { if group >= 0 { group += 1 }; continue }
                    if k == decimalAt { break }
                    if group >= 0, group != 3, group != 2 { return nil }
                    group = 0
                }
                if group >= 0, group != 3 { return nil }
            }
            var text = ""
            text.reserveCapacity(digits + 1)
            for k in 0..<count {
                if isDigit(chars[k]) { text.unicodeScalars.append(Unicode.Scalar(chars[k])) } else if k == decimalAt { text.append(".") }
            }
            guard let v = Double(text), v.isFinite else { return nil }
            return v
        }
    }

    /// `value` for any text: non-ASCII spaces, a Chinese multiplier, digits of other scripts.
    static func generalValue(_ text: String) -> Double? {
        // Most numbers on a page are plain ASCII digits: read those without the general path's
        // copies (offer extraction reads every number of a page).
        let utf8 = text.utf8
        if !utf8.isEmpty, utf8.count <= maxDigits, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Double(text) }
        var s = Substring(text.trimmingWhitespace())
        var multiplier = 1.0
        if let last = s.last {
            switch last {
            case "万", "萬": multiplier = 1e4
            case "千": multiplier = 1e3
            case "亿", "億": multiplier = 1e8
            default: break
            }
            if multiplier != 1 { s = Substring(s.dropLast().trimmingWhitespace()) }
        }
        // Spaces only ever group thousands.
        let chars = Array(s.unicodeScalars.filter { $0 != " " && $0 != "\u{2009}" && $0 != "\u{202F}" && $0 != "\u{A0}" })
        guard let first = chars.first, first.properties.numericType == .decimal || isASCIIDigit(first) else { return nil }
        var digits = 0
        var separators: [(index: Int, mark: Unicode.Scalar)] = []
        for (i, c) in chars.enumerated() {
            if isASCIIDigit(c) { digits += 1; continue }
            if c == "." || c == "," { separators.append((i, c)); continue }
            return nil
        }
        guard digits > 0, digits <= maxDigits, isASCIIDigit(chars.last!) else { return nil }
        // Which separator, if any, is the decimal mark.
        var decimalAt: Int?
        if let last = separators.last {
            let marks = Set(separators.map(\.mark))
            let digitsAfter = chars.count - last.index - 1
            if marks.count == 2 {
                decimalAt = last.index                       // 1.000,50 and 1,000.50
            } else if separators.count == 1 {
                decimalAt = digitsAfter == 3 ? nil : last.index   // 2,5 and 0.30; 1,000 and 1.000
            } else {
                decimalAt = nil                              // 1,00,000 and 1.000.000
            }
            // Thousands groups after the first must be three digits; otherwise it is no number we know.
            let groupSeparators = separators.filter { $0.index != decimalAt }
            for (k, sep) in groupSeparators.enumerated() {
                let next = k + 1 < groupSeparators.count ? groupSeparators[k + 1].index : (decimalAt ?? chars.count)
                let size = next - sep.index - 1
                // Indian grouping: pairs before the last group of three.
                let isLastGroup = k == groupSeparators.count - 1
                if isLastGroup ? size != 3 : (size != 3 && size != 2) { return nil }
            }
        }
        var text = ""
        for (i, c) in chars.enumerated() {
            if isASCIIDigit(c) { text.unicodeScalars.append(c) } else if i == decimalAt { text.append(".") }
        }
        guard let v = Double(text), v.isFinite else { return nil }
        return v * multiplier
    }

    static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
