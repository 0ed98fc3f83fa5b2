import Foundation

/// Where the likely-scam cut-off goes, chosen on held-out margins (the log-odds a page's rules
/// add, by a model that did not train on the page's site).
public struct CutoffChoice: Sendable, Equatable {
    /// Precision wanted at `likely-scam`.
    public var targetPrecision: Double = 0.97
    /// Share of scam pages wanted at or above `suspicious`.
    public var suspiciousRecall: Double = 0.95
    /// The likely-scam threshold is kept above this many times the largest log-odds one rule
    /// may carry: one rule alone never reaches it, nor one rule at the cap with a second that
    /// adds less than a fifth of the cap. (At exactly the cap, small folds put the cut-off just
    /// above it, and a capped rule plus any near-zero rule then flagged legit pages: grouped
    /// cross-validation on the built-in pages gave 2 false alarms at 1.0 and none at 1.2,
    /// with the same recall; 1.5 lost a scam page.)
    public var floorOverOneRule: Double = 1.2

    public init(targetPrecision: Double = 0.97, suspiciousRecall: Double = 0.95, floorOverOneRule: Double = 1.2) {
        self.targetPrecision = targetPrecision
        self.suspiciousRecall = suspiciousRecall
        self.floorOverOneRule = floorOverOneRule
    }

    /// The highest threshold (halfway between margins) at which the share of scam pages at
    /// or above it is still `suspiciousRecall`.
    public func suspiciousThreshold(margins: [Double], isScam: [Bool]) -> Double {
        let scam = margins.enumerated().filter { isScam[$0.offset] }.map(\.element).sorted(by: >)
        guard !scam.isEmpty else { return 0 }
        let keep = min(scam.count, Int((Double(scam.count) * suspiciousRecall).rounded(.up)))
        let lowestKept = scam[max(0, keep - 1)]
        let below = margins.filter { $0 < lowestKept }.max()
        return below.map { ($0 + lowestKept) / 2 } ?? lowestKept
    }

    /// The margin from which a page counts as likely-scam: of the thresholds halfway between
    /// consecutive distinct margins, those that reach the target precision with the most
    /// recall, and of those the middle one (a margin on both sides). When none reaches the
    /// target: the one with the best precision (then the most recall).
    ///
    /// Only thresholds above `floor` are candidates. The fitter passes `floorOverOneRule` times
    /// the largest log-odds one rule may carry, so that one rule alone never makes a page
    /// likely-scam, whatever a small training set says: otherwise a fit where single rules
    /// happen to be precise puts the cut-off at one rule's worth, and the scale at its bound
    /// lets that rule reach it.
    public func threshold(margins: [Double], isScam: [Bool], above floor: Double = -.infinity) -> Double {
        let distinct = Set(margins).sorted()
        guard distinct.count >= 2 else { return max((distinct.first ?? 0) + 1, floor + 1) }
        let candidates = zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 }.filter { $0 > floor }
        guard !candidates.isEmpty else { return floor + (distinct.last! > floor ? (distinct.last! - floor) / 2 : 1) }
        var best: [Double] = [], bestRecall = -1.0
        var fallback = candidates.last!, fallbackKey = (-1.0, -1.0)
        let scams = max(1, isScam.filter { $0 }.count)
        for t in candidates {
            var tp = 0, fp = 0
            for (m, y) in zip(margins, isScam) where m >= t { if y { tp += 1 } else { fp += 1 } }
            guard tp + fp > 0 else { continue }
            let precision = Double(tp) / Double(tp + fp), recall = Double(tp) / Double(scams)
            if (precision, recall) > fallbackKey { fallbackKey = (precision, recall); fallback = t }
            guard precision >= targetPrecision else { continue }
            if recall > bestRecall { bestRecall = recall; best = [t] } else if recall == bestRecall { best.append(t) }
        }
        if best.isEmpty { return fallback }
        return best[(best.count - 1) / 2]
    }

    /// The cut-offs in points: each threshold at this scale, suspicious kept between 1 and
    /// likely-scam − 1.
    /// The cut-offs in points. `oneRuleAtCap`: the most log-odds one rule may carry; a page
    /// with one such rule is at least suspicious. The fit's strongest single sign is worth a
    /// warning, and the 95% line falls on either side of it by chance: with the line just
    /// above the cap in log-odds, a scale of 48.66 rounded both to 49 and one of 48.45 put
    /// the cap at 48 and the line at 49, and a page that asked for a deposit to withdraw was
    /// called low-risk.
    public func cutoffs(threshold: Double, suspiciousThreshold: Double, scale: Double, oneRuleAtCap: Double? = nil) -> VerdictCutoffs {
        // Less a hair before rounding up: with the scale chosen as 60 / threshold, the product
        // is 60 give or take the last bit, and must not round up to 61.
        let likely = max(2, min(100, Int((threshold * scale - 1e-9).rounded(.up))))
        var suspicious = Int((suspiciousThreshold * scale - 1e-9).rounded(.up))
        // The points `PointsScale.points` gives a rule at the cap.
        if let cap = oneRuleAtCap { suspicious = min(suspicious, Int((cap * scale).rounded())) }
        return VerdictCutoffs(suspicious: max(1, min(likely - 1, suspicious)), likelyScam: likely)
    }
}
