import Foundation

/// A fit, written as a rules file: `verdicts:` and one `override:` per scored rule. It loads
/// like any rules file (`--rules scores.yaml`) and replaces the weights of the rules before it.
public enum ScoresFile {
    public static func yaml(_ fitted: ScoreFitter.Fitted, table: FeatureTable, fitter: ScoreFitter,
                            validation: CrossValidation?) -> String {
        let scam = table.examples.filter(\.isScam).count
        let groups = Set(table.examples.map(\.group)).count
        // Said only when true. The cut-off is kept above a fitted rule at the cap, but a rule
        // no training page fired keeps its hand weight, which may reach it (the text model's
        // column is not a rule).
        let strongest = fitted.points.indices.filter { $0 != table.textColumn }.map { fitted.points[$0] }.max() ?? 0
        let alone = strongest < fitted.cutoffs.likelyScam
            ? "(no rule reaches likely-scam alone)" : "(at this fit's cut-off, one rule reaches likely-scam alone)"
        var out = [
            "# Fitted scores, written by `scamsift fit`. Do not edit: change the rules or the pages and fit again",
            "# (the built-in file comes from scripts/fit-builtin.sh).",
            "#",
            "# Each rule adds round(\(format(fitted.scale, 3)) × its fitted log-odds) points, once however often it",
            "# matches (per_hit: 0). On held-out pages (grouped cross-validation inside the training pages),",
            "# `likely_scam` is where precision reached \(format(fitter.cutoffChoice.targetPrecision, 2)) with the most recall (the scale puts it",
            "# at \(fitter.scale.likelyScamScore)), and `suspicious` the highest score still reached by \(format(fitter.cutoffChoice.suspiciousRecall * 100, 0))% of scam pages",
            "# (at most the points of one rule at the cap: one such sign alone is suspicious).",
            "# The fit's intercept (\(format(fitted.model.intercept, 3))) adds no points; the cut-offs stand in for it.",
            "#",
            "# Trained on \(scam) scam and \(table.examples.count - scam) legit pages from \(groups) sites; L2 penalty \(format(fitter.options.l2, 4)),",
            "# each rule's log-odds at most \(format(fitter.options.maxCoefficient, 2)) \(alone).",
        ]
        if let v = validation {
            let likely = v.confusion(at: .likelyScam)
            out.append("# Grouped \(v.folds)-fold cross-validation at likely-scam: precision \(format(likely.precision, 3)), recall \(format(likely.recall, 3)); AUC \(format(v.auc, 3)).")
        }
        out.append("")
        out.append("verdicts:")
        out.append("  suspicious: \(fitted.cutoffs.suspicious)")
        out.append("  likely_scam: \(fitted.cutoffs.likelyScam)")
        out.append("")
        if let t = table.textColumn {
            out.append("# The text model's points at full certainty: a page gets round(weight × max(0, 2p − 1)), p its")
            out.append("# probability from the token model trained on the same pages (fit --text-model-out).")
            out.append("text_model:")
            out.append("  weight: \(max(0, fitted.points[t]))")
            out.append("")
        }
        out.append("override:")
        let order = table.features.indices.filter { $0 != table.textColumn }.sorted { table.features[$0].ruleID < table.features[$1].ruleID }
        for j in order {
            let f = table.features[j]
            let note = fitted.model.seen[j] ? "" : "  # fires on no training page: hand weight kept"
            out.append("  - {id: \(f.ruleID), weight: \(fitted.points[j]), per_hit: 0}\(note)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func format(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
}
