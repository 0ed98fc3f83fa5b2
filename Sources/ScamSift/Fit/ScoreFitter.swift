import Foundation

/// The whole recipe for a scores file: fit the model, turn it into points, and choose the
/// cut-offs on scores the model did not train on (grouped cross-validation inside the
/// training pages).
public struct ScoreFitter: Sendable, Equatable {
    public var options = LogisticFit.Options()
    public var scale = PointsScale()
    public var cutoffChoice = CutoffChoice()
    /// Folds for the cross-validation that chooses the likely-scam cut-off.
    public var folds = 5

    public init(options: LogisticFit.Options = .init(), scale: PointsScale = .init(), cutoffChoice: CutoffChoice = .init(), folds: Int = 5) {
        self.options = options
        self.scale = scale
        self.cutoffChoice = cutoffChoice
        self.folds = folds
    }

    public struct Fitted: Sendable, Equatable {
        public var model: LogisticFit.Model
        /// The table as fitted: with the text model's column filled in (out of fold).
        public var table: FeatureTable
        /// Points per unit of log-odds.
        public var scale: Double
        /// Points of each feature, in the table's feature order.
        public var points: [Int]
        public var cutoffs: VerdictCutoffs
    }

    /// Fits on the examples at `rows` (all when nil).
    /// The text model's column, if any, is filled in out of fold first (`TextStacking`).
    public func fit(_ table: FeatureTable, rows: [Int]? = nil) -> Fitted {
        let rows = rows ?? Array(table.examples.indices)
        var table = table
        TextStacking.fillOutOfFold(&table, rows: rows, folds: folds)
        let model = LogisticFit.fit(table, rows: rows, options: options)
        let heldOut = heldOutMargins(table, rows: rows) ?? rows.map { model.logit(table.examples[$0]) - model.intercept }
        let labels = rows.map { table.examples[$0].isScam }
        let threshold = cutoffChoice.threshold(margins: heldOut, isScam: labels, above: options.maxCoefficient * cutoffChoice.floorOverOneRule)
        let suspicious = cutoffChoice.suspiciousThreshold(margins: heldOut, isScam: labels)
        let s = scale.scale(forThreshold: threshold)
        return Fitted(model: model, table: table, scale: s, points: PointsScale.points(model, features: table.features, scale: s, limit: scale.likelyScamScore),
                      cutoffs: cutoffChoice.cutoffs(threshold: threshold, suspiciousThreshold: suspicious, scale: s,
                                                    oneRuleAtCap: options.maxCoefficient))
    }

    /// Each row's margin (the log-odds its rules add) from a model fitted on the other folds
    /// of `rows`; nil when the rows hold fewer than two groups. Rules the fold's model never
    /// saw add their hand weight, at the hand weights' own scale (60 points: likely-scam).
    func heldOutMargins(_ table: FeatureTable, rows: [Int]) -> [Double]? {
        let groups = rows.map { table.examples[$0].group }
        let k = GroupedFolds.count(groups: groups, k: folds)
        guard k >= 2 else { return nil }
        let fold = GroupedFolds.assign(groups: groups, isScam: rows.map { table.examples[$0].isScam }, k: k)
        var margins = [Double](repeating: 0, count: rows.count)
        for f in 0..<k {
            let train = rows.indices.filter { fold[$0] != f }.map { rows[$0] }
            let model = LogisticFit.fit(table, rows: train, options: options)
            for local in rows.indices where fold[local] == f {
                let e = table.examples[rows[local]]
                margins[local] = e.active.reduce(0.0) { sum, j in
                    sum + (model.seen[j] ? model.coefficients[j] : Double(table.features[j].handWeight) / Double(scale.likelyScamScore))
                } + (model.textColumn.map { model.coefficients[$0] * e.textValue } ?? 0)
            }
        }
        return margins
    }

    /// Grouped K-fold cross-validation of the whole recipe: each fold's pages are scored and
    /// judged by a fit (weights and cut-offs) made without them.
    public func crossValidate(_ table: FeatureTable, k: Int) -> CrossValidation {
        let groups = table.examples.map(\.group)
        let isScam = table.examples.map(\.isScam)
        let folds = GroupedFolds.count(groups: groups, k: k)
        let fold = GroupedFolds.assign(groups: groups, isScam: isScam, k: folds)
        var pages: [CrossValidation.Page] = []
        for f in 0..<folds {
            let train = table.examples.indices.filter { fold[$0] != f }
            let fitted = folds >= 2 ? fit(table, rows: train) : fit(table)
            let test = table.examples.indices.filter { fold[$0] == f }
            // The held-out pages' text values from a token model of all the training pages.
            var judged = table
            TextStacking.fill(&judged, rows: test, from: folds >= 2 ? train : Array(table.examples.indices))
            for i in test {
                let e = judged.examples[i]
                pages.append(.init(path: e.path, isScam: e.isScam, group: e.group, fold: f,
                                   score: PointsScale.score(e, points: fitted.points, textColumn: table.textColumn),
                                   probability: fitted.model.probability(e), cutoffs: fitted.cutoffs))
            }
        }
        return CrossValidation(folds: folds, groups: Set(groups).count, pages: pages.sorted { $0.path < $1.path })
    }
}

/// Held-out figures: every page judged by a model that never saw its site.
public struct CrossValidation: Sendable, Equatable {
    public struct Page: Sendable, Equatable {
        public var path: String
        public var isScam: Bool
        public var group: String
        public var fold: Int
        public var score: Int
        /// The model's probability of "scam" (for loaded weights: score / 100).
        public var probability: Double
        /// The cut-offs that judge this page (its fold's).
        public var cutoffs: VerdictCutoffs

        /// Whether the page's score reaches its fold's cut-off for `verdict`.
        public func reaches(_ verdict: Verdict) -> Bool {
            score >= (verdict == .likelyScam ? cutoffs.likelyScam : cutoffs.suspicious)
        }
    }

    public struct CalibrationRow: Sendable, Equatable {
        public var pages: Int
        public var lowest: Double, highest: Double
        public var meanPredicted: Double
        public var observedScamRate: Double
    }

    public var folds: Int
    public var groups: Int
    public var pages: [Page]

    /// The figures of the loaded rules as they are (nothing to train): the same folds, so the
    /// per-fold spread can be compared with the fit's.
    public static func loadedWeights(_ table: FeatureTable, scores: [Int], cutoffs: VerdictCutoffs, k: Int) -> CrossValidation {
        let groups = table.examples.map(\.group)
        let folds = GroupedFolds.count(groups: groups, k: k)
        let fold = GroupedFolds.assign(groups: groups, isScam: table.examples.map(\.isScam), k: folds)
        let pages = table.examples.indices.map { i in
            Page(path: table.examples[i].path, isScam: table.examples[i].isScam, group: groups[i], fold: fold[i],
                 score: scores[i], probability: Double(scores[i]) / 100, cutoffs: cutoffs)
        }
        return CrossValidation(folds: folds, groups: Set(groups).count, pages: pages.sorted { $0.path < $1.path })
    }

    /// Where a page comes from, for the breakdown by source: the folder above its label
    /// folder (`Samples` for `Samples/scam/x.html`, `corpus` for `…/corpus/legit/y.html`).
    public static func source(of path: String) -> String {
        let parts = path.split(separator: "/").dropLast()
        return parts.count >= 2 ? String(parts[parts.count - 2]) : "."
    }

    /// Pages at or above their fold's cut-off for `verdict` count as flagged.
    public func confusion(at verdict: Verdict, fold: Int? = nil, source: String? = nil) -> Evaluation.Confusion {
        var c = Evaluation.Confusion(threshold: 0)
        for p in pages where (fold == nil || p.fold == fold) && (source == nil || Self.source(of: p.path) == source) {
            switch (p.isScam, p.reaches(verdict)) {
            case (true, true): c.truePositives += 1
            case (true, false): c.falseNegatives += 1
            case (false, true): c.falsePositives += 1
            case (false, false): c.trueNegatives += 1
            }
        }
        return c
    }

    /// ROC AUC of the probabilities (ties count half).
    public var auc: Double {
        let sorted = pages.map { ($0.probability, $0.isScam) }.sorted { $0.0 < $1.0 }
        let positives = sorted.filter(\.1).count, negatives = sorted.count - positives
        guard positives > 0, negatives > 0 else { return 0 }
        var rankSum = 0.0, i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j].0 == sorted[i].0 { j += 1 }
            let midRank = Double(i + j + 1) / 2
            rankSum += Double(sorted[i..<j].filter(\.1).count) * midRank
            i = j
        }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }

    /// Predicted against observed scam rate, pages sorted by prediction and cut into `bins`
    /// groups of (nearly) equal size.
    public func calibration(bins: Int = 10) -> [CalibrationRow] {
        let sorted = pages.sorted { ($0.probability, $0.path) < ($1.probability, $1.path) }
        let n = sorted.count
        return (0..<min(bins, n)).compactMap { b in
            let slice = sorted[(b * n / bins)..<((b + 1) * n / bins)]
            guard !slice.isEmpty else { return nil }
            let predicted = slice.map(\.probability)
            return CalibrationRow(pages: slice.count, lowest: predicted.min()!, highest: predicted.max()!,
                                  meanPredicted: predicted.reduce(0, +) / Double(slice.count),
                                  observedScamRate: Double(slice.filter(\.isScam).count) / Double(slice.count))
        }
    }
}
