/// A plain aligned table for terminals.
public enum TextTable {
    public static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { TerminalWidth.of($0[c]) }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: max(0, widths[c] - TerminalWidth.of(cell)))
                if c == cells.count - 1 { return cell }
                return rightAligned.contains(c) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        var out = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map { line($0.map(TerminalSafe.clean)) }
        return out.joined(separator: "\n")
    }
}

/// Suggestions for misspelt ids, for commands outside the rule loader.
public enum RuleSuggestions {
    public static func didYouMean(_ word: String, among candidates: [String]) -> String {
        Suggest.didYouMean(word, among: candidates)
    }
}
