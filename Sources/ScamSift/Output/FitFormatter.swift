import Foundation

/// Text for `scamsift fit` and `scamsift evaluate --cv`.
public enum FitFormatter {
    /// Precision, recall and F1 at both cut-offs, fold by fold and pooled, the AUC, and the
    /// calibration table.
    public static func crossValidation(_ v: CrossValidation, title: String) -> String {
        var out: [String] = []
        let scam = v.pages.filter(\.isScam).count
        out.append("\(title): grouped \(v.folds)-fold cross-validation, \(scam) scam and \(v.pages.count - scam) legit pages in \(v.groups) sites")
        out.append("(the pages of one site are never on both sides of a split)")
        var rows: [[String]] = []
        for fold in (0..<v.folds).map(Optional.some) + [nil] {
            for verdict in [Verdict.suspicious, .likelyScam] {
                let c = v.confusion(at: verdict, fold: fold)
                let cuts = Set(v.pages.filter { fold == nil || $0.fold == fold }.map { verdict == .likelyScam ? $0.cutoffs.likelyScam : $0.cutoffs.suspicious }).sorted()
                rows.append([fold.map { "\($0 + 1)" } ?? "all", verdict.rawValue, cuts.map(String.init).joined(separator: ","),
                             "\(c.truePositives + c.falseNegatives)", "\(c.falsePositives + c.trueNegatives)",
                             "\(c.truePositives)", "\(c.falsePositives)",
                             f3(c.precision), f3(c.recall), f3(c.f1)])
            }
        }
        out.append(indent(TextTable.render(header: ["fold", "cut-off", "score >=", "scam", "legit", "TP", "FP", "precision", "recall", "F1"],
                                           rows: rows, rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])))
        let sources = Set(v.pages.map { CrossValidation.source(of: $0.path) }).sorted()
        if sources.count > 1 {
            out.append("By source folder, at the likely-scam cut-off:")
            out.append(indent(TextTable.render(header: ["source", "scam", "legit", "TP", "FP", "precision", "recall", "F1"],
                                               rows: sources.map { source in
                                                   let c = v.confusion(at: .likelyScam, source: source)
                                                   return [source, "\(c.truePositives + c.falseNegatives)", "\(c.falsePositives + c.trueNegatives)",
                                                           "\(c.truePositives)", "\(c.falsePositives)", f3(c.precision), f3(c.recall), f3(c.f1)]
                                               }, rightAligned: [1, 2, 3, 4, 5, 6, 7])))
        }
        out.append("ROC AUC: " + f3(v.auc))
        out.append(contentsOf: misjudged(v))
        out.append("Calibration (pages sorted by predicted scam probability, in tenths):")
        out.append(indent(TextTable.render(header: ["pages", "predicted", "mean predicted", "observed scam rate"],
                                           rows: v.calibration(bins: 10).map { r in
                                               ["\(r.pages)", "\(f3(r.lowest))–\(f3(r.highest))", f3(r.meanPredicted), f3(r.observedScamRate)]
                                           }, rightAligned: [0, 2, 3])))
        return out.joined(separator: "\n") + "\n"
    }

    /// The pages the cross-validation got wrong at the likely-scam cut-off, each against its own
    /// fold's cut-off: what a rule writer reads next, as SpamAssassin's mass-check lists its
    /// false positives and negatives. Legit pages first, then scam pages, each by path.
    static func misjudged(_ v: CrossValidation) -> [String] {
        let wrong = v.pages.filter { $0.isScam != $0.reaches(.likelyScam) }
        guard !wrong.isEmpty else { return ["Misjudged at the likely-scam cut-off: none"] }
        let rows = wrong.sorted { ($0.isScam ? 1 : 0, $0.path) < ($1.isScam ? 1 : 0, $1.path) }
            .map { [$0.isScam ? "scam, missed" : "legit, flagged", "\($0.fold + 1)", "\($0.score)", "\($0.cutoffs.likelyScam)", $0.path] }
        return ["Misjudged at the likely-scam cut-off (\(wrong.count) pages, each judged by its fold's cut-off):",
                indent(TextTable.render(header: ["page", "fold", "score", "cut-off", "path"], rows: rows, rightAligned: [1, 2, 3]))]
    }

    /// The fitted points beside the hand weights, largest first.
    public static func weights(_ fitted: ScoreFitter.Fitted, table: FeatureTable) -> String {
        let order = table.features.indices.sorted { (-abs(fitted.points[$0]), table.features[$0].ruleID) < (-abs(fitted.points[$1]), table.features[$1].ruleID) }
        let rows = order.map { j -> [String] in
            let f = table.features[j]
            let fires = table.examples.filter { $0.active.contains(j) }
            return [f.ruleID, "\(f.handWeight)", "\(fitted.points[j])", String(format: "%.3f", fitted.model.coefficients[j]),
                    "\(fires.filter(\.isScam).count)", "\(fires.filter { !$0.isScam }.count)", fitted.model.seen[j] ? "" : "not seen: hand weight kept"]
        }
        return "Fitted points (\(String(format: "%.3f", fitted.scale)) per unit of log-odds; intercept \(String(format: "%.3f", fitted.model.intercept)); cut-offs: suspicious \(fitted.cutoffs.suspicious), likely-scam \(fitted.cutoffs.likelyScam)):\n"
            + indent(TextTable.render(header: ["rule", "hand", "fitted", "coef", "scam", "legit", "note"], rows: rows, rightAligned: [1, 2, 3, 4, 5])) + "\n"
    }

    static func f3(_ x: Double) -> String { String(format: "%.3f", x) }
    static func indent(_ s: String) -> String { s.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
}
