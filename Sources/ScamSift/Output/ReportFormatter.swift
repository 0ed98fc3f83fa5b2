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
    /// and magenta for `unknown`), in the explainer's language.
    public static func paint(_ verdict: Verdict, color: Bool, explainer: Explainer = .english) -> String {
        let word = explainer.verdict(verdict)
        guard color else { return word }
        let code = switch verdict {
        case .likelyScam: "1;31"
        case .suspicious: "1;33"
        case .lowRisk: "32"
        case .unknown: "1;35"
        }
        return "\u{1B}[\(code)m\(word)\u{1B}[0m"
    }

    /// The report a person reads: the page, the score, the headline, every reason in plain
    /// words with what the page said, the offers, the verdict and what to do, all in the
    /// explainer's language. `ruleIDs` adds each reason's rule id, for rule writers.
    public static func text(_ report: Report, color: Bool = false, ruleSources: [String] = [],
                            explainer: Explainer = .english, ruleIDs: Bool = false) -> String {
        let c = TerminalSafe.clean
        let l = explainer.localizer
        let explanation = explainer.explain(report)
        let labelKeys = ["report.page", "report.title", "report.lang", "report.rules", "report.score", "report.content", "report.verdict"]
        let labelWidth = labelKeys.map { TerminalWidth.of(l($0)) }.max()! + 1
        func labelled(_ key: String, _ value: String) -> String { TerminalWidth.pad(l(key), to: labelWidth) + value }
        var lines: [String] = []
        lines.append(labelled("report.page", c(report.source)))
        if !report.title.isEmpty { lines.append(labelled("report.title", c(report.title))) }
        if let lang = report.lang {
            let declared = report.declaredLang.map { LanguageDetector.primary($0) == lang ? "" : "  " + l("report.declares", ["lang": c($0)]) } ?? ""
            lines.append(labelled("report.lang", c(lang) + declared))
        }
        if !ruleSources.isEmpty {
            let sources = ruleSources.map { $0 == "built-in" ? l("report.rules_builtin") : c($0) }
            lines.append(labelled("report.rules", sources.joined(separator: ", ") + " " + l("report.rules_version", ["version": report.rulesVersion])))
        }
        let cutoffs = l("report.cutoffs", ["suspicious": explainer.verdict(.suspicious), "suspicious_score": l.number(report.cutoffs.suspicious),
                                          "scam": explainer.verdict(.likelyScam), "scam_score": l.number(report.cutoffs.likelyScam)])
        lines.append(labelled("report.score", l("report.score_value", ["score": l.number(report.score)]) + "  "
                              + paint(report.verdict, color: color, explainer: explainer) + "  " + cutoffs))
        lines.append("")
        lines.append(c(explanation.headline))
        lines.append("")
        lines += reasonLines(explanation, report: report, explainer: explainer, ruleIDs: ruleIDs)
        for error in report.ruleErrors {
            lines.append("  \(l("report.rule_error")): \(error.rule): \(error.message)")
        }
        let offers = OfferFormatter.section(report.offers, localizer: l)
        if !offers.isEmpty { lines.append(""); lines += offers; lines.append("") }
        if let thin = report.thinContent {
            // Said whatever the verdict: a page its rules raised is still one seen only in part.
            lines.append(labelled("report.content", l("report.content_thin", ["why": explainer.thinReason(thin)])))
        }
        lines.append(labelled("report.verdict", paint(report.verdict, color: color, explainer: explainer)
                              + (report.verdict == .unknown ? " " + l("report.verdict_unknown") : "")))
        lines.append("")
        lines.append(l("report.advice"))
        lines += explanation.advice.map { "  - " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "Why:": points and the reason in plain words (with the rule id for rule writers), then
    /// where each was seen, then the total.
    static func reasonLines(_ explanation: Explanation, report: Report, explainer: Explainer, ruleIDs: Bool) -> [String] {
        let c = TerminalSafe.clean
        let l = explainer.localizer
        var lines = [l("report.why")]
        guard !explanation.reasons.isEmpty else { return lines + ["  " + l("report.no_reason")] }
        let idWidth = ruleIDs ? min(40, max(TerminalWidth.of(l("report.rule")), explanation.reasons.map(\.id.count).max() ?? 4)) : 0
        let idColumn = { (s: String) in ruleIDs ? TerminalWidth.pad(s, to: idWidth) + "  " : "" }
        let points = l("report.points")
        let pointsWidth = max(4, TerminalWidth.of(points))
        func pts(_ s: String) -> String { TerminalWidth.padLeft(s, to: pointsWidth) }
        lines.append("  " + pts(points) + "  " + idColumn(l("report.rule")) + l("report.reason"))
        lines.append("  " + String(repeating: "-", count: pointsWidth) + "  " + idColumn(String(repeating: "-", count: idWidth))
                     + String(repeating: "-", count: TerminalWidth.of(l("report.reason"))))
        let indent = String(repeating: " ", count: 2 + pointsWidth + 2) + (ruleIDs ? String(repeating: " ", count: idWidth + 2) : "") + "  "
        for reason in explanation.reasons {
            let times = reason.count > 1 ? " " + l("report.times", ["count": l.number(reason.count)]) : ""
            lines.append("  " + pts(l.number(reason.points)) + "  " + idColumn(reason.id) + c(reason.text) + times)
            for q in reason.quotes {
                let place = ruleIDs && q.rule != nil ? "\(q.place): \(q.rule!)" : q.place
                lines.append(indent + "[\(c(place))] " + c(q.text))
            }
        }
        lines.append("  " + String(repeating: "-", count: pointsWidth))
        let total = report.rawScore == report.score ? l("report.total") : l("report.total_clamped", ["sum": l.number(report.rawScore)])
        lines.append("  " + pts(l.number(report.score)) + "  " + total)
        return lines
    }

    /// `--brief`: the headline, the score and the (up to) three strongest reasons, each on one line.
    public static func brief(_ report: Report, color: Bool = false, explainer: Explainer = .english) -> String {
        let l = explainer.localizer
        let explanation = explainer.explain(report)
        var lines = [TerminalSafe.clean(explanation.headline)]
        lines.append(l("brief.score", ["score": l.number(report.score), "verdict": paint(report.verdict, color: color, explainer: explainer)]))
        lines += explanation.strongest(3).map { "  - " + TerminalSafe.clean($0.text) }
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
    public static func resultJSON(_ outcome: ScoreOutcome, rulesVersion: String, pretty: Bool, explainer: Explainer = .english) -> String {
        if !pretty {
            let info: [CodingUserInfoKey: Any] = [Explainer.userInfoKey: explainer]
            switch outcome {
            case let .report(r): return try! CompactJSON.line(r, userInfo: info)
            case let .failure(s, m, k): return try! CompactJSON.line(ScoreFailure(source: s, error: m, errorKind: k, rulesVersion: rulesVersion), userInfo: info)
            }
        }
        let e = JSONEncoder()
        e.userInfo[Explainer.userInfoKey] = explainer
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
