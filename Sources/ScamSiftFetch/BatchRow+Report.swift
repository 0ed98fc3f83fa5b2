import ScamSift

extension BatchRow {
    /// The row `batch` would write for a page scored from a file (no fetch: no status, no
    /// timing), so `score --format csv` writes the same columns as `batch`.
    public init(line: Int, input: String, outcome: ScoreOutcome, topHits: Int = 5) {
        self.init(line: line, input: TerminalSafe.clean(input))
        if case let .report(report) = outcome { rulesVersion = report.rulesVersion }
        switch outcome {
        case let .report(report):
            url = report.url
            title = TerminalSafe.clean(report.title)
            encoding = report.encoding
            score = report.score
            verdict = report.verdict.rawValue
            self.topHits = report.hits.prefix(topHits).map { TopHit(id: $0.id, weight: $0.weight, points: $0.points) }
            maxAnnualPercent = report.maxAnnualPercent
        case let .failure(_, message, kind):
            errorKind = kind
            error = message
        }
    }
}
