import Foundation

/// Scores labeled pages with a rule set and lays them out for fitting.
public enum FitSession {
    /// The table for `pages`, scored with `rules`; examples in a canonical order (site, then
    /// file name), so the same pages named by other paths fit to the same bits.
    /// With `textModel`, the table has the text model's column; with `tokens` (or `textModel`),
    /// its pages keep their token hashes (for `TextModelFile.fitted`).
    public static func table(pages: [LabeledPage], rules: RuleSet, textModel: Bool = false, tokens: Bool = false) -> (table: FeatureTable, scores: [Int], skipped: [String]) {
        var engine = Engine(rules: rules)
        engine.keepTokens = textModel || tokens
        return table(pages: pages, outcomes: ParallelScorer.score(paths: pages.map(\.path), engine: engine), rules: rules, textModel: textModel)
    }

    /// The same, from pages already scored (`outcomes` in the order of `pages`).
    public static func table(pages: [LabeledPage], outcomes: [ScoreOutcome], rules: RuleSet, textModel: Bool = false)
        -> (table: FeatureTable, scores: [Int], skipped: [String]) {
        var (table, skipped) = FeatureTable.build(pages: pages, outcomes: outcomes, rules: rules, textModel: textModel)
        var scoreByPath: [String: Int] = [:]
        for case let .report(r) in outcomes { scoreByPath[r.source] = r.score }
        table.examples.sort { a, b in
            (a.group, (a.path as NSString).lastPathComponent, a.path) < (b.group, (b.path as NSString).lastPathComponent, b.path)
        }
        return (table, table.examples.map { scoreByPath[$0.path] ?? 0 }, skipped.sorted())
    }
}
