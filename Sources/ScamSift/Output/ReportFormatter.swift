import Foundation

/// Output formats for score reports.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json
}

/// One scored input, or why it could not be scored.
public enum ScoreOutcome: Sendable {
    case report(Report)
    /// `kind` names the failure as `batch`'s `error_kind` does (`not-html`, `unparseable`,
    /// `http-status`, …), with `not-found`, `unreadable` and `is-folder` for local files.
    case failure(source: String, message: String, kind: String)

    public var source: String {
        switch self {
        case let .report(r): r.source
        case let .failure(source, _, _): source
        }
    }
}

public enum ReportFormatter {
    public static let version = "0.1.0"

    /// The verdict, in its colour on a terminal that wants colour (ANSI: red, yellow, green,
    /// and magenta for `unknown`).
    public static func paint(_ verdict: Verdict, color: Bool) -> String {
        guard color else { return verdict.rawValue }
        let code = switch verdict {
        case .likelyScam: "1;31"
        case .suspicious: "1;33"
        case .lowRisk: "32"
        case .unknown: "1;35"
        }
        return "\u{1B}[\(code)m\(verdict.rawValue)\u{1B}[0m"
    }

    /// SpamAssassin-style: points, rule, description and evidence, then score and verdict.
    public static func text(_ report: Report, color: Bool = false, ruleSources: [String] = []) -> String {
        let c = TerminalSafe.clean
        var lines: [String] = []
        lines.append("Page:    \(c(report.source))")
        if !report.title.isEmpty { lines.append("Title:   \(c(report.title))") }
        if let lang = report.lang {
            let declared = report.declaredLang.map { LanguageDetector.primary($0) == lang ? "" : "  (the page declares \(c($0)))" } ?? ""
            lines.append("Lang:    \(c(lang))" + declared)
        }
        if !ruleSources.isEmpty {
            lines.append("Rules:   \(ruleSources.map(c).joined(separator: ", ")) (version \(report.rulesVersion))")
        }
        lines.append("Score:   \(report.score)/100  \(paint(report.verdict, color: color))"
                     + "  (suspicious from \(report.cutoffs.suspicious), likely-scam from \(report.cutoffs.likelyScam))")
        lines.append("")
        if report.hits.isEmpty {
            lines.append("  No rule fired.")
        } else {
            let idWidth = min(40, report.hits.map(\.id.count).max() ?? 4)
            lines.append("   pts  " + "rule".padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  description")
            lines.append("  ----  " + String(repeating: "-", count: idWidth) + "  -----------")
            for hit in report.hits {
                let times = hit.count > 1 ? " (×\(hit.count))" : ""
                lines.append(String(format: "  %4d  ", hit.points) + hit.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
                             + "  " + c(hit.description) + times)
                for e in hit.evidence {
                    let label = e.target == "rule" ? "rule \(e.match)" : e.target
                    lines.append("        " + String(repeating: " ", count: idWidth) + "  [\(c(label))] " + c(marked(e)))
                }
            }
            lines.append("  ----")
            let clamp = report.rawScore == report.score ? "" : " (sum \(report.rawScore), clamped to 0–100)"
            lines.append(String(format: "  %4d  ", report.score) + "total" + clamp)
        }
        for error in report.ruleErrors {
            lines.append("  rule error: \(error.rule): \(error.message)")
        }
        let offers = OfferFormatter.section(report.offers)
        if !offers.isEmpty { lines.append(""); lines += offers; lines.append("") }
        if let thin = report.thinContent {
            // Said whatever the verdict: a page its rules raised is still one seen only in part.
            lines.append("Content: not enough to judge: \(thin.reason)")
        }
        lines.append("Verdict: \(paint(report.verdict, color: color))" + (report.verdict == .unknown ? " (not enough content to judge; not a sign that it is safe)" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The context with the match picked out in «…».
    static func marked(_ e: Evidence) -> String {
        guard !e.match.isEmpty, let r = e.context.range(of: e.match) else { return e.context }
        return e.context.replacingCharacters(in: r, with: "«\(e.match)»")
    }

    public static func text(_ outcomes: [ScoreOutcome]) -> String {
        outcomes.map { outcome in
            switch outcome {
            case let .report(r): text(r)
            case let .failure(source, message, _): "Page:    \(TerminalSafe.clean(source))\nError:   \(message)\n"
            }
        }.joined(separator: "\n")
    }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// `{"scamsift": VERSION, "results": [...]}`; a failed input is `{"source", "error",
    /// "schema_version", "rules_version"}`.
    public static func json(_ outcomes: [ScoreOutcome], rulesVersion: String = "") -> String {

        struct Entry: Encodable {
            let outcome: ScoreOutcome
            let rulesVersion: String
            func encode(to encoder: Encoder) throws {
                switch outcome {
                case let .report(r): try r.encode(to: encoder)
                case let .failure(s, m, k): try ScoreFailure(source: s, error: m, errorKind: k, rulesVersion: rulesVersion).encode(to: encoder)
                }
            }
        }
        struct Document: Encodable { var scamsift: String; var results: [Entry] }
        let data = try! encoder().encode(Document(scamsift: version, results: outcomes.map { Entry(outcome: $0, rulesVersion: rulesVersion) }))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One result (a report, or a failure with `source`, `error` and the versions) as JSON,
    /// pretty or on one line; keys sorted.
    public static func resultJSON(_ outcome: ScoreOutcome, rulesVersion: String, pretty: Bool) -> String {
        if !pretty {
            switch outcome {
            case let .report(r): return try! CompactJSON.line(r)
            case let .failure(s, m, k): return try! CompactJSON.line(ScoreFailure(source: s, error: m, errorKind: k, rulesVersion: rulesVersion))
            }
        }
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch outcome {
        case let .report(r): data = try! e.encode(r)
        case let .failure(s, m, k): data = try! e.encode(ScoreFailure(source: s, error: m, errorKind: k, rulesVersion: rulesVersion))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Any value as pretty, key-sorted JSON.
    public static func jsonDocument<T: Encodable>(_ value: T) -> String {
        String(decoding: try! encoder().encode(value), as: UTF8.self)
    }

    /// One compact JSON object per line.
    public static func jsonLine<T: Encodable>(_ value: T) -> String {
        try! CompactJSON.line(value)
    }

    /// The same line by Foundation's encoder: what `CompactJSON` must match byte for byte.
    static func foundationJSONLine<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! e.encode(value), as: UTF8.self)
    }
}

/// A result that could not be scored, as JSON writes it.
struct ScoreFailure: Encodable {
    var source: String
    var error: String
    var errorKind: String
    var schemaVersion = Report.schemaVersion
    var rulesVersion: String
    enum CodingKeys: String, CodingKey {
        case source, error, errorKind = "error_kind", schemaVersion = "schema_version", rulesVersion = "rules_version"
    }
}
