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
    /// Indexes of the features that fired on the page, ascending.
    public var active: [Int]

    public init(path: String, isScam: Bool, group: String, active: [Int]) {
        self.path = path
        self.isScam = isScam
        self.group = group
        self.active = active
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

    public init(features: [FitFeature], examples: [FitExample]) {
        self.features = features
        self.examples = examples
    }

    /// Builds the table from scored pages. Helpers and disabled rules are no features;
    /// ambiguous pages and pages that failed to score are left out (see `skipped`).
    /// A rule's hand weight is the one its own file writes (`CompiledRule.writtenWeight`), not
    /// one a loaded scores file set: the signs for the fit, and the points kept for rules the
    /// training pages never fire.
    public static func build(pages: [LabeledPage], outcomes: [ScoreOutcome], rules: RuleSet) -> (table: FeatureTable, skipped: [String]) {
        var features: [FitFeature] = []
        var column: [String: Int] = [:]
        for rule in rules.rules where !rule.spec.isHelper && !rule.isDisabled {
            let hand = rule.writtenWeight
            column[rule.id] = features.count
            features.append(FitFeature(ruleID: rule.id, handWeight: hand, sign: CoefficientSign(handWeight: hand)))
        }
        var examples: [FitExample] = []
        var skipped: [String] = []
        for (page, outcome) in zip(pages, outcomes) where page.label != .ambiguous {
            guard case let .report(report) = outcome else { skipped.append(page.path); continue }
            let active = Set(report.hits.compactMap { column[$0.id] }).sorted()
            examples.append(FitExample(path: page.path, isScam: page.label == .scam, group: SiteGroup.of(page), active: active))
        }
        return (FeatureTable(features: features, examples: examples), skipped)
    }
}
