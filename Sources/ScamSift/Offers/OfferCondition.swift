import Yams

/// What an `offer:` matcher asks of an offer: its kind, bounds on its figures, and whether the
/// principal comes back. A rule fires once per offer on the page that meets every condition;
/// a figure the offer lacks (null) never meets a bound.
///
/// ```yaml
/// offer:
///   kind: [fixed-return, after-term]
///   period_days: {max: 7}
///   annual_percent: {min: 109.5}
/// ```
public struct OfferCondition: Sendable, Hashable {
    /// The figures a bound can be put on, by their names in YAML and JSON.
    public enum Figure: String, Sendable, Hashable, CaseIterable {
        case ratePercent = "rate_percent", periodDays = "period_days", termDays = "term_days"
        case annualPercent = "annual_percent", totalPercent = "total_percent", doublingDays = "doubling_days"
        case minDeposit = "min_deposit", maxDeposit = "max_deposit"

        func value(_ o: Offer) -> Double? {
            switch self {
            case .ratePercent: o.ratePercent
            case .periodDays: o.periodDays
            case .termDays: o.termDays
            case .annualPercent: o.annualPercent
            case .totalPercent: o.totalPercent
            case .doublingDays: o.doublingDays
            case .minDeposit: o.minDeposit?.amount
            case .maxDeposit: o.maxDeposit?.amount
            }
        }
    }

    /// `min` and `max` are both inclusive.
    public struct Bounds: Sendable, Hashable {
        public var min: Double?
        public var max: Double?

        func admits(_ x: Double?) -> Bool {
            guard let x else { return false }
            if let min, x < min { return false }
            if let max, x > max { return false }
            return true
        }
    }

    /// Offer kinds that qualify (empty: any).
    public var kinds: [Offer.Kind] = []
    public var bounds: [Figure: Bounds] = [:]
    public var principalReturned: Bool?

    public func matches(_ offer: Offer) -> Bool {
        if !kinds.isEmpty, !kinds.contains(offer.kind) { return false }
        if let p = principalReturned, offer.principalReturned != p { return false }
        for (figure, b) in bounds where !b.admits(figure.value(offer)) { return false }
        return true
    }

    /// Short, for `rules show`: "kind fixed-return; period_days ≤ 7; annual_percent ≥ 109.5".
    public var summary: String {
        var parts: [String] = []
        if !kinds.isEmpty { parts.append("kind " + kinds.map(\.rawValue).joined(separator: " or ")) }
        for figure in Figure.allCases {
            guard let b = bounds[figure] else { continue }
            if let min = b.min { parts.append("\(figure.rawValue) ≥ \(Self.number(min))") }
            if let max = b.max { parts.append("\(figure.rawValue) ≤ \(Self.number(max))") }
        }
        if let p = principalReturned { parts.append("principal_returned \(p)") }
        return parts.isEmpty ? "any offer" : parts.joined(separator: "; ")
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    static let keys = ["kind"] + Figure.allCases.map(\.rawValue) + ["principal_returned"]

    /// Reads `offer:` from a rules file; problems go to the reader with their place.
    static func read(_ node: Node, reader: inout YAMLReader) -> OfferCondition? {
        guard let entries = reader.mapping(node, what: "'offer'", known: keys) else { return nil }
        var condition = OfferCondition()
        var ok = true
        for (key, _, value) in entries {
            switch key {
            case "kind":
                for (name, n) in reader.strings(value, what: "'offer.kind'") ?? [] {
                    guard let kind = Offer.Kind(rawValue: name) else {
                        let names = Offer.Kind.allCases.map(\.rawValue)
                        reader.error(n, "unknown offer kind '\(name)'" + Suggest.didYouMean(name, among: names) + "; kinds are \(names.joined(separator: ", "))")
                        ok = false
                        continue
                    }
                    condition.kinds.append(kind)
                }
            case "principal_returned":
                condition.principalReturned = reader.bool(value, what: "'offer.principal_returned'")
                if condition.principalReturned == nil { ok = false }
            default:
                guard let figure = Figure(rawValue: key),
                      let e = reader.mapping(value, what: "'offer.\(key)'", known: ["min", "max"]) else { ok = false; continue }
                var b = Bounds()
                for (bound, _, v) in e {
                    guard let text = reader.string(v, what: "'offer.\(key).\(bound)'"),
                          let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                        reader.error(v, "'offer.\(key).\(bound)' must be a number")
                        ok = false
                        continue
                    }
                    if bound == "min" { b.min = x } else { b.max = x }
                }
                if b.min == nil && b.max == nil {
                    reader.error(value, "'offer.\(key)' needs 'min' or 'max'")
                    ok = false
                }
                if let lo = b.min, let hi = b.max, lo > hi {
                    reader.error(value, "'offer.\(key)': min (\(number(lo))) is above max (\(number(hi)))")
                    ok = false
                }
                condition.bounds[figure] = b
            }
        }
        return ok ? condition : nil
    }
}
