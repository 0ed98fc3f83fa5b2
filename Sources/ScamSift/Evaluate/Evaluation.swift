import Foundation

/// A mass-check, SpamAssassin style: how well the rules separate labeled pages, overall and rule by rule.
public struct Evaluation: Sendable, Codable {
    public struct Confusion: Sendable, Codable, Equatable {
        /// Pages scoring at or above this count as flagged.
        public var threshold: Int
        public var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0

        public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        public var accuracy: Double { ratio(truePositives + trueNegatives, truePositives + trueNegatives + falsePositives + falseNegatives) }

        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }

        enum CodingKeys: String, CodingKey {
            case threshold, truePositives = "true_positives", falsePositives = "false_positives"
            case trueNegatives = "true_negatives", falseNegatives = "false_negatives"
            case precision, recall, f1, accuracy
        }
        public init(threshold: Int) { self.threshold = threshold }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            threshold = try c.decode(Int.self, forKey: .threshold)
            truePositives = try c.decode(Int.self, forKey: .truePositives)
            falsePositives = try c.decode(Int.self, forKey: .falsePositives)
            trueNegatives = try c.decode(Int.self, forKey: .trueNegatives)
            falseNegatives = try c.decode(Int.self, forKey: .falseNegatives)
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(truePositives, forKey: .truePositives); try c.encode(falsePositives, forKey: .falsePositives)
            try c.encode(trueNegatives, forKey: .trueNegatives); try c.encode(falseNegatives, forKey: .falseNegatives)
            try c.encode(Self.round(precision), forKey: .precision); try c.encode(Self.round(recall), forKey: .recall)
            try c.encode(Self.round(f1), forKey: .f1); try c.encode(Self.round(accuracy), forKey: .accuracy)
        }
        static func round(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
    }

    public struct PageResult: Sendable, Codable, Equatable {
        public var path: String
        public var label: Label
        public var score: Int
        public var verdict: Verdict
        /// The page's language, told from its text.
        public var lang: String?
        /// Top hits as "id (points)".
        public var topHits: [String]

        enum CodingKeys: String, CodingKey { case path, label, score, verdict, lang, topHits = "top_hits" }
    }

    /// Precision and recall at the likely-scam cut-off among the pages of one language.
    public struct LanguageRow: Sendable, Codable, Equatable {
        /// The language told from the page's text ("?" when it could not be told).
        public var lang: String
        public var confusion: Confusion
    }

    public struct RuleRow: Sendable, Codable, Equatable {
        public var id: String
        public var weight: Int
        public var scamHits: Int
        public var legitHits: Int
        /// SpamAssassin's S/O: the share of a rule's hit rate that comes from scam pages (1 = only scam).
        public var so: Double
        public var flags: [String]

        enum CodingKeys: String, CodingKey { case id, weight, scamHits = "scam_hits", legitHits = "legit_hits", so = "s_o", flags }
    }

    public struct SweepPoint: Sendable, Codable, Equatable {
        public var threshold: Int
        public var precision: Double
        public var recall: Double
    }

    public var counts: [String: Int]
    public var atLikelyScam: Confusion
    public var atSuspicious: Confusion
    public var rocAUC: Double
    public var sweep: [SweepPoint]
    public var misjudged: [PageResult]
    public var ambiguous: [PageResult]
    public var failures: [String: String]
    public var rules: [RuleRow]
    /// Figures per language, sorted by language code.
    public var byLanguage: [LanguageRow]
    /// Every page's offers, in input order (`scamsift evaluate --offers`).
    public var offers: [PageOffers] = []

    public struct PageOffers: Sendable, Codable, Equatable {
        public var path: String
        public var label: Label
        public var offers: [Offer]
        /// The page's highest simple yearly return, if any offer has one.
        public var maxAnnualPercent: Double? { offers.compactMap(\.annualPercent).max() }
    }

    enum CodingKeys: String, CodingKey {
        case counts, atLikelyScam = "at_likely_scam", atSuspicious = "at_suspicious", rocAUC = "roc_auc", sweep
        case misjudged, ambiguous, failures, rules, byLanguage = "by_language", offers
    }

    /// Scores every page (in parallel) and computes the report.
    public static func run(pages: [LabeledPage], engine: Engine, timings: StageTimings.Accumulator? = nil) -> Evaluation {
        let outcomes = ParallelScorer.score(paths: pages.map(\.path), engine: engine, timings: timings)
        return compute(pages: pages, outcomes: outcomes, rules: engine.rules)
    }

    /// The report for pages already scored (`outcomes` in the order of `pages`).
    public static func compute(pages: [LabeledPage], outcomes: [ScoreOutcome], rules: RuleSet) -> Evaluation {
        let cut = rules.cutoffs
        var likely = Confusion(threshold: cut.likelyScam), suspicious = Confusion(threshold: cut.suspicious)
        var results: [PageResult] = []
        var failures: [String: String] = [:]
        var scamHits: [String: Int] = [:], legitHits: [String: Int] = [:]
        var counts: [String: Int] = ["scam": 0, "legit": 0, "ambiguous": 0, "failed": 0]
        var perLanguage: [String: Confusion] = [:]
        var pageOffers: [PageOffers] = []

        for (page, outcome) in zip(pages, outcomes) {
            counts[page.label.rawValue, default: 0] += 1
            guard case let .report(report) = outcome else {
                if case let .failure(_, message, _) = outcome { failures[page.path] = message }
                counts["failed", default: 0] += 1
                continue
            }
            pageOffers.append(PageOffers(path: page.path, label: page.label, offers: report.offers))
            let result = PageResult(path: page.path, label: page.label, score: report.score, verdict: report.verdict,
                                    lang: report.lang, topHits: report.hits.prefix(5).map { "\($0.id) (\($0.points))" })
            results.append(result)
            guard page.label != .ambiguous else { continue }
            for hit in report.hits {
                if page.label == .scam { scamHits[hit.id, default: 0] += 1 } else { legitHits[hit.id, default: 0] += 1 }
            }
            for i in [0, 1] {
                var c = i == 0 ? likely : suspicious
                let flagged = report.score >= c.threshold
                switch (page.label == .scam, flagged) {
                case (true, true): c.truePositives += 1
                case (true, false): c.falseNegatives += 1
                case (false, true): c.falsePositives += 1
                case (false, false): c.trueNegatives += 1
                }
                if i == 0 { likely = c } else { suspicious = c }
            }
            let lang = report.lang ?? "?"
            var c = perLanguage[lang] ?? Confusion(threshold: cut.likelyScam)
            switch (page.label == .scam, report.score >= cut.likelyScam) {
            case (true, true): c.truePositives += 1
            case (true, false): c.falseNegatives += 1
            case (false, true): c.falsePositives += 1
            case (false, false): c.trueNegatives += 1
            }
            perLanguage[lang] = c
        }

        let labeled = results.filter { $0.label != .ambiguous }
        let scamScores = labeled.filter { $0.label == .scam }.map(\.score)
        let legitScores = labeled.filter { $0.label == .legit }.map(\.score)
        let sweep = stride(from: 0, through: 100, by: 5).map { t -> SweepPoint in
            var c = Confusion(threshold: t)
            c.truePositives = scamScores.filter { $0 >= t }.count
            c.falseNegatives = scamScores.count - c.truePositives
            c.falsePositives = legitScores.filter { $0 >= t }.count
            return SweepPoint(threshold: t, precision: Confusion.round(c.precision), recall: Confusion.round(c.recall))
        }
        let misjudged = labeled.filter { ($0.label == .scam) != ($0.score >= cut.likelyScam) }
            .sorted { ($0.label.rawValue, $0.path) < ($1.label.rawValue, $1.path) }

        let nScam = max(1, scamScores.count), nLegit = max(1, legitScores.count)
        var rows: [RuleRow] = []
        for rule in rules.rules where !rule.isHelper && !rule.isDisabled {
            let s = scamHits[rule.id] ?? 0, l = legitHits[rule.id] ?? 0
            let sRate = Double(s) / Double(nScam), lRate = Double(l) / Double(nLegit)
            let so = sRate + lRate == 0 ? 0 : sRate / (sRate + lRate)
            var flags: [String] = []
            if s + l == 0 { flags.append("never fires") }
            if rule.spec.weight > 0 && lRate > sRate { flags.append("fires more on legit") }
            else if rule.spec.weight > 0 && l > 0 && so < 0.9 { flags.append("fires on legit pages (S/O below 0.9)") }
            if rule.spec.weight < 0 && sRate > lRate { flags.append("nice rule fires more on scam") }
            rows.append(RuleRow(id: rule.id, weight: rule.spec.weight, scamHits: s, legitHits: l, so: Confusion.round(so), flags: flags))
        }
        // Most useful first: how well the hit rates separate the labels, in the direction of the weight.
        func usefulness(_ r: RuleRow) -> Double {
            let sRate = Double(r.scamHits) / Double(nScam), lRate = Double(r.legitHits) / Double(nLegit)
            return r.weight >= 0 ? sRate - lRate : lRate - sRate
        }
        rows.sort { (usefulness($1), $0.id) < (usefulness($0), $1.id) }

        var evaluation = Evaluation(counts: counts, atLikelyScam: likely, atSuspicious: suspicious,
                          rocAUC: Confusion.round(rocAUC(positives: scamScores, negatives: legitScores)), sweep: sweep,
                          misjudged: misjudged, ambiguous: results.filter { $0.label == .ambiguous },
                          failures: failures, rules: rows,
                          byLanguage: perLanguage.keys.sorted().map { LanguageRow(lang: $0, confusion: perLanguage[$0]!) })
        evaluation.offers = pageOffers
        return evaluation
    }

    /// The probability that a random scam page outscores a random legit page (ties count half).
    static func rocAUC(positives: [Int], negatives: [Int]) -> Double {
        guard !positives.isEmpty, !negatives.isEmpty else { return 0 }
        var wins = 0.0
        for p in positives {
            for n in negatives { wins += p > n ? 1 : p == n ? 0.5 : 0 }
        }
        return wins / Double(positives.count * negatives.count)
    }
}
