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
