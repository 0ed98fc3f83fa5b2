import Foundation
import ScamSift

/// One line of `scamsift batch` output: one per distinct input URL (and per invalid line).
public struct BatchRow: Sendable, Codable, Equatable {
    /// 1-based line number in the input list.
    public var line: Int
    /// The line as written (cleaned of control characters).
    public var input: String
    /// The normalised URL; nil for an invalid line.
    public var url: String?
    public var finalURL: String?
    public var status: Int?
    /// ISO 8601, UTC, when the first request started.
    public var fetchedAt: String?
    public var elapsedMs: Int?
    /// Body bytes read (after decompression).
    public var bytes: Int?
    public var truncated: Bool = false
    public var contentType: String?
    public var redirects: [String] = []
    public var attempts: Int = 0
    public var title: String?
    public var encoding: String?
    /// The landing page's score and verdict.
    public var score: Int?
    public var verdict: String?
    public var topHits: [TopHit] = []
    /// The landing page's highest simple yearly return among its offers (see `Offer`).
    public var maxAnnualPercent: Double?
    /// With `--crawl`: the site's score (the highest page score) and verdict.
    public var siteScore: Int?
    public var siteVerdict: String?
    /// With `--crawl`: every extra page fetched, with its own score.
    public var pages: [CrawledPage]?
    public var errorKind: String?
    public var error: String?
    /// The rule set that scored the row (`RuleSet.version`), as `score`'s results give it.
    public var rulesVersion: String?

    /// The version of the row's JSON shape (as `Report.schemaVersion` for `score`).
    public static let schemaVersion = 1

    public struct TopHit: Sendable, Codable, Equatable {
        public var id: String
        public var weight: Int
        public var points: Int
    }

    public struct CrawledPage: Sendable, Codable, Equatable {
        public var url: String
        public var finalURL: String?
        public var status: Int?
        public var linkText: String
        public var score: Int?
        public var verdict: String?
        public var topHits: [TopHit]
        public var truncated: Bool
        public var errorKind: String?
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case url, finalURL = "final_url", status, linkText = "link_text", score, verdict, topHits = "top_hits", truncated
            case errorKind = "error_kind", error
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(url, forKey: .url)
            try c.encode(finalURL, forKey: .finalURL)
            try c.encode(status, forKey: .status)
            try c.encode(linkText, forKey: .linkText)
            try c.encode(score, forKey: .score)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(topHits, forKey: .topHits)
            try c.encode(truncated, forKey: .truncated)
            try c.encode(errorKind, forKey: .errorKind)
            try c.encode(error, forKey: .error)
        }
    }

    public init(line: Int, input: String) {
        self.line = line
        self.input = input
    }

    enum CodingKeys: String, CodingKey {
        case line, input, url, finalURL = "final_url", status, fetchedAt = "fetched_at", elapsedMs = "elapsed_ms", bytes
        case truncated, contentType = "content_type", redirects, attempts, title, encoding, score, verdict
        case topHits = "top_hits", siteScore = "site_score", siteVerdict = "site_verdict", pages
        case errorKind = "error_kind", error, maxAnnualPercent = "max_annual_percent"
        case rulesVersion = "rules_version", schemaVersion = "schema_version"
    }

    /// Every key is written, null when unknown, so that each row has the same shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(line, forKey: .line)
        try c.encode(input, forKey: .input)
        try c.encode(url, forKey: .url)
        try c.encode(finalURL, forKey: .finalURL)
        try c.encode(status, forKey: .status)
        try c.encode(fetchedAt, forKey: .fetchedAt)
        try c.encode(elapsedMs, forKey: .elapsedMs)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(truncated, forKey: .truncated)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(redirects, forKey: .redirects)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(title, forKey: .title)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(score, forKey: .score)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(topHits, forKey: .topHits)
        try c.encode(maxAnnualPercent, forKey: .maxAnnualPercent)
        try c.encode(siteScore, forKey: .siteScore)
        try c.encode(siteVerdict, forKey: .siteVerdict)
        if let pages { try c.encode(pages, forKey: .pages) }
        try c.encode(errorKind, forKey: .errorKind)
        try c.encode(error, forKey: .error)
        try c.encode(rulesVersion, forKey: .rulesVersion)
        try c.encode(Self.schemaVersion, forKey: .schemaVersion)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        line = try c.decode(Int.self, forKey: .line)
        input = try c.decode(String.self, forKey: .input)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        finalURL = try c.decodeIfPresent(String.self, forKey: .finalURL)
        status = try c.decodeIfPresent(Int.self, forKey: .status)
        fetchedAt = try c.decodeIfPresent(String.self, forKey: .fetchedAt)
        elapsedMs = try c.decodeIfPresent(Int.self, forKey: .elapsedMs)
        bytes = try c.decodeIfPresent(Int.self, forKey: .bytes)
        truncated = try c.decodeIfPresent(Bool.self, forKey: .truncated) ?? false
        contentType = try c.decodeIfPresent(String.self, forKey: .contentType)
        redirects = try c.decodeIfPresent([String].self, forKey: .redirects) ?? []
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        title = try c.decodeIfPresent(String.self, forKey: .title)
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
        score = try c.decodeIfPresent(Int.self, forKey: .score)
        verdict = try c.decodeIfPresent(String.self, forKey: .verdict)
        topHits = try c.decodeIfPresent([TopHit].self, forKey: .topHits) ?? []
        maxAnnualPercent = try c.decodeIfPresent(Double.self, forKey: .maxAnnualPercent)
        siteScore = try c.decodeIfPresent(Int.self, forKey: .siteScore)
        siteVerdict = try c.decodeIfPresent(String.self, forKey: .siteVerdict)
        pages = try c.decodeIfPresent([CrawledPage].self, forKey: .pages)
        errorKind = try c.decodeIfPresent(String.self, forKey: .errorKind)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        rulesVersion = try c.decodeIfPresent(String.self, forKey: .rulesVersion)
    }

    /// What `--resume` and duplicate detection compare: the URL, or the line for an invalid one.
    public var key: String { url ?? "line:\(input)" }

    /// The score `--fail-at` looks at: the site's with `--crawl`, else the page's.
    public var effectiveScore: Int? { siteScore ?? score }
    public var effectiveVerdict: String? { siteVerdict ?? verdict }
}

/// Output formats of `scamsift batch`.
public enum BatchFormat: String, CaseIterable, Sendable {
    case jsonl, csv, table
}

/// Renders rows, one line each, for JSONL, CSV (formula-safe) or an aligned table.
public enum BatchRowFormatter {
    public static let csvColumns = [
        "line", "input", "url", "final_url", "status", "fetched_at", "elapsed_ms", "bytes", "truncated", "content_type",
        "redirects", "attempts", "title", "encoding", "score", "verdict", "top_hits", "site_score", "site_verdict",
        "error_kind", "error",
    ]

    public static let byteOrderMark = "\u{FEFF}"

    public static func header(_ format: BatchFormat) -> String? {
        switch format {
        case .jsonl: return nil
        case .csv: return csvColumns.joined(separator: ",") + "\n"
        case .table: return "score  verdict      status      ms  url\n"
        }
    }

    public static func line(_ row: BatchRow, _ format: BatchFormat) -> String {
        switch format {
        case .jsonl: return ReportFormatter.jsonLine(row) + "\n"
        case .csv: return csvLine(row)
        case .table: return tableLine(row)
        }
    }

    static func hitsText(_ hits: [BatchRow.TopHit]) -> String {
        hits.map { "\($0.id):\($0.points)" }.joined(separator: " ")
    }

    /// `hitsText` read back (CSV has points, not weights: the weight is left 0).
    static func parseHits(_ text: String) -> [BatchRow.TopHit] {
        text.split(separator: " ").compactMap { item in
            guard let colon = item.lastIndex(of: ":"), let points = Int(item[item.index(after: colon)...]) else { return nil }
            return BatchRow.TopHit(id: String(item[..<colon]), weight: 0, points: points)
        }
    }

    public static func csvLine(_ row: BatchRow) -> String {
        func n(_ v: Int?) -> String { v.map(String.init) ?? "" }
        let cells: [String] = [
            String(row.line), row.input, row.url ?? "", row.finalURL ?? "", n(row.status), row.fetchedAt ?? "",
            n(row.elapsedMs), n(row.bytes), row.truncated ? "true" : "false", row.contentType ?? "",
            row.redirects.joined(separator: " "), String(row.attempts), row.title ?? "", row.encoding ?? "",
            n(row.score), row.verdict ?? "", hitsText(row.topHits), n(row.siteScore), row.siteVerdict ?? "",
            row.errorKind ?? "", row.error ?? "",
        ]
        return cells.map(csvCell).joined(separator: ",") + "\n"
    }

    /// Quotes when needed, keeps each row on one line, and defuses spreadsheet formulas:
    /// a cell starting with = + - @ (after any spaces; control characters are blanked first)
    /// gets a leading apostrophe.
    public static func csvCell(_ value: String) -> String {
        var v = TerminalSafe.clean(value)
        if let first = v.unicodeScalars.first(where: { $0 != " " }), "=+-@\t\r".unicodeScalars.contains(first) {
            v = "'" + v
        }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || v.hasPrefix(" ") || v.hasSuffix(" ") {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// Splits one CSV line written by `csvLine` back into cells (for `--resume`).
    public static func parseCSVLine(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(line).makeIterator()
        var pendingQuote = false
        while let ch = chars.next() {
            if quoted {
                if pendingQuote {
                    pendingQuote = false
                    if ch == "\"" { cell.append("\""); continue }
                    quoted = false
                } else if ch == "\"" {
                    pendingQuote = true
                    continue
                } else {
                    cell.append(ch)
                    continue
                }
            }
            if ch == "," {
                cells.append(cell)
                cell = ""
            } else if ch == "\"" && cell.isEmpty {
                quoted = true
            } else {
                cell.append(ch)
            }
        }
        cells.append(cell)
        return cells.map { c in
            if c.hasPrefix("'"), let second = c.unicodeScalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(second) {
                return String(c.dropFirst())
            }
            return c
        }
    }

    public static func tableLine(_ row: BatchRow) -> String {
        let c = TerminalSafe.clean
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
        }
        let score = row.effectiveScore.map(String.init) ?? "-"
        let verdict = row.effectiveVerdict ?? (row.errorKind ?? "error")
        let status = row.status.map(String.init) ?? "-"
        let ms = row.elapsedMs.map(String.init) ?? "-"
        var text = pad(score, 5, right: true) + "  " + pad(verdict, 11) + "  " + pad(status, 6, right: true) + "  "
            + pad(ms, 6, right: true) + "  " + c(row.url ?? row.input)
        if let final = row.finalURL, final != row.url { text += " → " + c(final) }
        if let error = row.error { text += "  [" + c(row.errorKind ?? "error") + "] " + c(error) }
        else if let title = row.title, !title.isEmpty { text += "  " + c(String(title.prefix(80))) }
        if row.truncated { text += "  (truncated)" }
        return text + "\n"
    }
}
