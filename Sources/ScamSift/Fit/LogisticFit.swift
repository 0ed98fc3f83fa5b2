import Foundation

/// L2-regularised logistic regression over binary features, with each coefficient kept on
/// the side of 0 its feature's sign allows. Solved by cyclic coordinate descent: one Newton
/// step per coordinate, clipped at 0 (the projection) and capped in size, in a fixed order
/// with no randomness, so the same table always gives the same bits.
public enum LogisticFit {
    public struct Options: Sendable, Equatable {
        /// The penalty `l2 / 2 × Σ w²` added to the mean log loss (the intercept is not penalised).
        public var l2: Double = 0.0003
        public var maxSweeps = 400
        /// Stop when no coefficient moved more than this in a sweep.
        public var tolerance = 1e-7
        /// The largest change of one coefficient in one step (keeps Newton steps from overshooting).
        public var maxStep = 2.0
        /// The largest size of one coefficient. A rule that fires only on scam pages would
        /// otherwise grow until the penalty stops it, and decide a page alone; with the cap no
        /// single rule reaches likely-scam by itself, as with hand weights.
        public var maxCoefficient = 1.0

        public init(l2: Double = 0.0003, maxCoefficient: Double = 1.0) {
            self.l2 = l2
            self.maxCoefficient = maxCoefficient
        }
    }

    public struct Model: Sendable, Equatable {
        public var intercept: Double
        public var coefficients: [Double]
        /// Which features fired on at least one training page; the others carry no information.
        public var seen: [Bool]
        /// The text model's column, whose value is the page's `textValue` (see `FeatureTable`).
        public var textColumn: Int? = nil

        /// The log-odds of "scam" for a page with these active (binary) features.
        public func logit(_ active: [Int]) -> Double {
            active.reduce(intercept) { $0 + coefficients[$1] }
        }

        public func probability(_ active: [Int]) -> Double { sigmoid(logit(active)) }

        /// The log-odds of "scam" for a page: its rules, and its text model value.
        public func logit(_ e: FitExample) -> Double {
            logit(e.active) + (textColumn.map { coefficients[$0] * e.textValue } ?? 0)
        }

        public func probability(_ e: FitExample) -> Double { sigmoid(logit(e)) }
    }

    /// Fits on the examples at `rows` (all of them when nil).
    public static func fit(_ table: FeatureTable, rows: [Int]? = nil, options: Options = Options()) -> Model {
        let rows = rows ?? Array(table.examples.indices)
        let d = table.features.count
        let n = Double(max(1, rows.count))
        let y = rows.map { table.examples[$0].isScam ? 1.0 : 0.0 }
        // Which local rows each feature is active on, and its value there (1 for a rule; the
        // page's `textValue` for the text model, whose rows are those where it is not 0).
        var featureRows = [[Int]](repeating: [], count: d)
        var textValues: [Double] = []
        for (local, row) in rows.enumerated() {
            for j in table.examples[row].active { featureRows[j].append(local) }
            if let t = table.textColumn, table.examples[row].textValue != 0 {
                featureRows[t].append(local)
                textValues.append(table.examples[row].textValue)
            }
        }
        func x(_ j: Int, _ k: Int) -> Double { j == table.textColumn ? textValues[k] : 1 }
        let signs = table.features.map(\.sign)
        var w = [Double](repeating: 0, count: d)
        var b = 0.0
        var z = [Double](repeating: 0, count: rows.count)
        var p = [Double](repeating: 0.5, count: rows.count)

        for _ in 0..<options.maxSweeps {
            var largest = 0.0
            // The intercept: a Newton step over every row.
            var g = 0.0, h = 0.0
            for i in rows.indices { g += p[i] - y[i]; h += p[i] * (1 - p[i]) }
            let step = max(-options.maxStep, min(options.maxStep, -g / max(h, 1e-12)))
            if step != 0 {
                b += step
                for i in rows.indices { z[i] += step; p[i] = sigmoid(z[i]) }
                largest = abs(step)
            }
            for j in 0..<d where !featureRows[j].isEmpty {
                var g = 0.0, h = 0.0
                for (k, i) in featureRows[j].enumerated() {
                    let v = x(j, k)
                    g += (p[i] - y[i]) * v
                    h += p[i] * (1 - p[i]) * v * v
                }
                g = g / n + options.l2 * w[j]
                h = h / n + options.l2
                let target = w[j] - max(-options.maxStep, min(options.maxStep, g / max(h, 1e-12)))
                let new = max(-options.maxCoefficient, min(options.maxCoefficient, signs[j].clamp(target)))
                let delta = new - w[j]
                if delta == 0 { continue }
                w[j] = new
                for (k, i) in featureRows[j].enumerated() { z[i] += delta * x(j, k); p[i] = sigmoid(z[i]) }
                largest = max(largest, abs(delta))
            }
            if largest < options.tolerance { break }
        }
        return Model(intercept: b, coefficients: w, seen: featureRows.map { !$0.isEmpty }, textColumn: table.textColumn)
    }

    static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}

/// How a fitted model becomes points: each rule adds `round(coefficient × scale)`, so the
/// report's lines still add up to the score, and a page's score is `scale ×` the log-odds its
/// rules add to those of a page where none fires. The scale is chosen per fit so that the
/// likely-scam cut-off falls at `likelyScamScore` (60, as for hand weights). The intercept adds
/// nothing: the cut-offs, chosen on held-out scores, stand in for it.
public struct PointsScale: Sendable, Equatable {
    /// Where the likely-scam cut-off is put.
    public var likelyScamScore = 60
    /// Bounds on points per unit of log-odds, for fits whose chosen margin is tiny or huge.
    public var minScale = 5.0, maxScale = 60.0

    public init(likelyScamScore: Int = 60) { self.likelyScamScore = likelyScamScore }

    /// Points per unit of log-odds that put a held-out margin of `threshold` at `likelyScamScore`.
    public func scale(forThreshold threshold: Double) -> Double {
        guard threshold > 0 else { return maxScale }
        return max(minScale, min(maxScale, Double(likelyScamScore) / threshold))
    }

    /// Each feature's points: fitted ones for features seen in training, the hand weight for
    /// the others (the fit knows nothing about them; their author's guess is all there is).
    /// No fitted rule reaches `limit` points alone. With the coefficient cap this only trims a
    /// rounding; but when the scale is at its bound the fit's cut-off can lie below `limit`, and
    /// a rule at the cap may then reach it (the scores file says so).
    public static func points(_ model: LogisticFit.Model, features: [FitFeature], scale: Double, limit: Int = 60) -> [Int] {
        features.indices.map { j in
            guard model.seen[j] else { return features[j].handWeight }
            let p = Int((model.coefficients[j] * scale).rounded())
            return max(-(limit - 1), min(limit - 1, p))
        }
    }

    /// A page's score as the engine gives it: the sum of its rules' points, clamped to 0–100.
    public static func score(_ active: [Int], points: [Int]) -> Int {
        min(100, max(0, active.reduce(0) { $0 + points[$1] }))
    }

    /// The same with the text model: its points at full certainty scaled by the page's value,
    /// rounded as the engine rounds them (`TextModelHit.points`).
    public static func score(_ e: FitExample, points: [Int], textColumn: Int?) -> Int {
        let text = textColumn.map { Int((Double(points[$0]) * e.textValue).rounded()) } ?? 0
        return min(100, max(0, e.active.reduce(text) { $0 + points[$1] }))
    }
}
