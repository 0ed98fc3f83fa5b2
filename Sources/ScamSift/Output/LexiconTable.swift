/// The concept × language table of `scamsift rules lexicon`: phrase counts, and what each
/// language lacks.
public struct LexiconTable: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public var concept: String
        /// Phrases per language code, in the order of `languages` (0: none).
        public var counts: [Int]
        /// Phrases from rules files' own `lexicon:` sections, which extend every language.
        public var extra: Int
    }

    public var languages: [String]
    public var rows: [Row]
    /// For each language, the concepts it lacks (sorted).
    public var missing: [String: [String]]

    public init(_ table: ConceptTable) {
        let codes = table.languages.map(\.code)
        languages = codes
        rows = table.names.map { name in
            let entries = table.concepts[name] ?? []
            return Row(concept: name,
                       counts: codes.map { code in entries.filter { $0.language == code }.reduce(0) { $0 + $1.phrases.count } },
                       extra: entries.filter { $0.language == nil }.reduce(0) { $0 + $1.phrases.count })
        }
        var missing: [String: [String]] = [:]
        for (i, code) in languages.enumerated() {
            missing[code] = rows.filter { $0.counts[i] == 0 }.map(\.concept)
        }
        self.missing = missing
    }

    public var text: String {
        let hasExtra = rows.contains { $0.extra > 0 }
        let header = ["concept"] + languages + (hasExtra ? ["rules"] : [])
        let body = rows.map { row in
            [row.concept] + row.counts.map { $0 == 0 ? "-" : String($0) } + (hasExtra ? [row.extra == 0 ? "-" : String(row.extra)] : [])
        }
        var out = TextTable.render(header: header, rows: body, rightAligned: Set(1..<header.count)) + "\n"
        out += "\(rows.count) concepts in \(languages.count) languages\n"
        for code in languages {
            let lacks = missing[code] ?? []
            if !lacks.isEmpty { out += "\(code) lacks: \(lacks.joined(separator: ", "))\n" }
        }
        return out
    }
}
