import Foundation

/// The direction a rule's fitted coefficient may take: the sign its author gave its weight.
public enum CoefficientSign: String, Sendable, Equatable {
    /// A scam signal (weight 0 or more): its coefficient is never below 0.
    case nonNegative
    /// A legitimate ("nice") signal (negative weight): its coefficient is never above 0.
    case nonPositive

    public init(handWeight: Int) { self = handWeight < 0 ? .nonPositive : .nonNegative }

    /// The nearest value with the allowed sign (the projection of projected descent).
    public func clamp(_ x: Double) -> Double {
        switch self {
        case .nonNegative: max(0, x)
        case .nonPositive: min(0, x)
        }
    }
}

/// One column of the fit: a scored rule, whether it fired on a page (0 or 1).
public struct FitFeature: Sendable, Equatable {
    public var ruleID: String
    /// The weight the file that defines the rule gives it, before any `override:`.
    public var handWeight: Int
    public var sign: CoefficientSign
}

/// One labeled page, as the fit sees it.
public struct FitExample: Sendable, Equatable {
    public var path: String
    public var isScam: Bool
    public var group: String
    /// Indexes of the binary features that fired on the page, ascending.
    public var active: [Int]
    /// The page's distinct token hashes (for the text model's column).
    public var tokens: [UInt64]
    /// The text model's column for this page, `max(0, 2p − 1)` with p from a token model that did not learn
    /// the page (see `TextStacking`); 0 until a fit fills it in.
    public var textValue: Double = 0

    public init(path: String, isScam: Bool, group: String, active: [Int], tokens: [UInt64] = []) {
        self.path = path
        self.isScam = isScam
        self.group = group
        self.active = active
        self.tokens = tokens
    }
}

/// Every labeled page against every scored rule. Features are binary: a rule's hits are
/// counted once, so its fitted points are exactly what it adds (the scores file sets
/// `per_hit: 0`). Offer magnitudes enter through rules too (`offers.yearly_over_1000pct`
/// and `offers.yearly_over_10000pct` step up with log10 of the yearly return), so the points
/// on a report still add up to its score.
public struct FeatureTable: Sendable, Equatable {
    public var features: [FitFeature]
    public var examples: [FitExample]
    /// The text model's column, if the fit has one: a real value per page (`textValue`), not
    /// a 0/1 rule hit. Its fitted points are the scores file's `text_model: {weight:}`.
    public var textColumn: Int?

    public init(features: [FitFeature], examples: [FitExample], textColumn: Int? = nil) {
        self.features = features
        self.examples = examples
        self.textColumn = textColumn
    }

    /// The value of feature `j` on example `e`: 1 or 0 for a rule, `textValue` for the text model.
    func value(_ j: Int, _ e: FitExample) -> Double {
        j == textColumn ? e.textValue : (e.active.contains(j) ? 1 : 0)
    }

    /// Builds the table from scored pages. Helpers and disabled rules are no features;
    /// ambiguous pages and pages that failed to score are left out (see `skipped`).
    /// A rule's hand weight is the one its own file writes (`CompiledRule.writtenWeight`), not
    /// one a loaded scores file set: the signs for the fit, and the points kept for rules the
    /// training pages never fire.
    /// With `textModel`, a last column is the text model (see `textColumn`); the reports must
    /// carry their token hashes (`Engine.keepTokens`).
    public static func build(pages: [LabeledPage], outcomes: [ScoreOutcome], rules: RuleSet, textModel: Bool = false) -> (table: FeatureTable, skipped: [String]) {
        var features: [FitFeature] = []
        var column: [String: Int] = [:]
        for rule in rules.rules where !rule.isHelper && !rule.isDisabled {
            let hand = rule.writtenWeight
            column[rule.id] = features.count
            features.append(FitFeature(ruleID: rule.id, handWeight: hand, sign: CoefficientSign(handWeight: hand)))
        }
        var textColumn: Int?
        if textModel {
            textColumn = features.count
            features.append(FitFeature(ruleID: TextModelHit.id, handWeight: rules.textModelWeight ?? 0, sign: .nonNegative))
        }
        var examples: [FitExample] = []
        var skipped: [String] = []
        for (page, outcome) in zip(pages, outcomes) where page.label != .ambiguous {
            guard case let .report(report) = outcome else { skipped.append(page.path); continue }
            let active = Set(report.hits.compactMap { column[$0.id] }).sorted()
            examples.append(FitExample(path: page.path, isScam: page.label == .scam, group: SiteGroup.of(page), active: active,
                                       tokens: report.tokenHashes ?? []))
        }
        return (FeatureTable(features: features, examples: examples, textColumn: textColumn), skipped)
    }
}
