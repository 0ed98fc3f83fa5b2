import Foundation

/// One thing a page promises for money put in: a plan's rate, how often it is paid, for how
/// long, the deposit limits, and the figures worked out from them. Found by `OfferExtractor`.
///
/// All figures are simple (not compounded): `annualPercent = ratePercent × 365 / periodDays`,
/// `totalPercent = ratePercent × termDays / periodDays`, `doublingDays = periodDays × 100 / ratePercent`.
public struct Offer: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A rate paid every hour, day, week or month.
        case fixedReturn = "fixed-return"
        /// A rate paid once, after a number of hours or days ("150% after 48 hours", "x2 in 7 days").
        case afterTerm = "after-term"
        /// A referral ladder ("5% - 3% - 1%"): paid on the deposits of people you bring in.
        case referral
        /// A rate quoted per year, as banks quote deposits.
        case bankRate = "bank-rate"
    }

    public struct Money: Sendable, Equatable, Codable {
        public var amount: Double
        /// An ISO 4217 code where one is known (USD, BDT, INR…), a coin (USDT, BTC), or nil.
        public var currency: String?

        public init(amount: Double, currency: String?) {
            self.amount = amount
            self.currency = currency
        }

        enum CodingKeys: String, CodingKey { case amount, currency }

        /// `currency` is written null when unknown, not left out (the JSON schema's promise).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(amount, forKey: .amount)
            try c.encode(currency, forKey: .currency)
        }
    }

    /// The plan's name as the page writes it ("Gold", "VIP 2"), when one was found.
    public var plan: String?
    /// The rate in percent; for a range ("2% - 7% daily") its top, which is what is scored.
    public var ratePercent: Double?
    /// The bottom of a range, when the page gave one (not in the JSON; shown in the text report).
    public var rateLowPercent: Double?
    /// The length of one period in days: 1/24 for an hour, 7 for a week, 365/12 for a month.
    public var periodDays: Double?
    public var termDays: Double?
    /// The term is "lifetime" or "unlimited" (so `termDays` is nil).
    public var lifetime = false
    public var annualPercent: Double?
    public var totalPercent: Double?
    public var doublingDays: Double?
    public var minDeposit: Money?
    public var maxDeposit: Money?
    public var principalReturned: Bool?
    public var kind: Kind
    /// A referral ladder's levels, in percent, first level first (not in the JSON).
    public var levels: [Double] = []
    public var evidence: Evidence

    public init(kind: Kind, evidence: Evidence) {
        self.kind = kind
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case plan, ratePercent = "rate_percent", periodDays = "period_days", termDays = "term_days"
        case annualPercent = "annual_percent", totalPercent = "total_percent", doublingDays = "doubling_days"
        case minDeposit = "min_deposit", maxDeposit = "max_deposit", principalReturned = "principal_returned"
        case kind, evidence
    }

    // Every key is written, null when unknown, so consumers can rely on the shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(plan, forKey: .plan)
        try c.encode(ratePercent, forKey: .ratePercent)
        try c.encode(periodDays, forKey: .periodDays)
        try c.encode(termDays, forKey: .termDays)
        try c.encode(annualPercent, forKey: .annualPercent)
        try c.encode(totalPercent, forKey: .totalPercent)
        try c.encode(doublingDays, forKey: .doublingDays)
        try c.encode(minDeposit, forKey: .minDeposit)
        try c.encode(maxDeposit, forKey: .maxDeposit)
        try c.encode(principalReturned, forKey: .principalReturned)
        try c.encode(kind, forKey: .kind)
        try c.encode(evidence, forKey: .evidence)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        evidence = try c.decode(Evidence.self, forKey: .evidence)
        plan = try c.decodeIfPresent(String.self, forKey: .plan)
        ratePercent = try c.decodeIfPresent(Double.self, forKey: .ratePercent)
        periodDays = try c.decodeIfPresent(Double.self, forKey: .periodDays)
        termDays = try c.decodeIfPresent(Double.self, forKey: .termDays)
        annualPercent = try c.decodeIfPresent(Double.self, forKey: .annualPercent)
        totalPercent = try c.decodeIfPresent(Double.self, forKey: .totalPercent)
        doublingDays = try c.decodeIfPresent(Double.self, forKey: .doublingDays)
        minDeposit = try c.decodeIfPresent(Money.self, forKey: .minDeposit)
        maxDeposit = try c.decodeIfPresent(Money.self, forKey: .maxDeposit)
        principalReturned = try c.decodeIfPresent(Bool.self, forKey: .principalReturned)
    }
}

/// Period lengths in days, and the arithmetic of an offer's figures.
public enum OfferMath {
    public static let hour = 1.0 / 24
    public static let day = 1.0
    public static let week = 7.0
    public static let month = 365.0 / 12
    public static let year = 365.0
    /// A business (working, trading) day: about 261 of them in a year.
    public static let businessDay = 365.0 / 261

    /// Offers outside these bounds are read as mistakes or nonsense and dropped (and counted).
    public static let maxRatePercent = 100_000.0
    public static let maxPeriodDays = 3650.0

    /// Rounds a figure to 4 decimals, so output is stable and readable.
    static func rounded(_ x: Double?) -> Double? {
        guard let x, x.isFinite else { return nil }
        return (x * 10_000).rounded() / 10_000
    }

    /// Fills in the derived figures of an offer from its rate, period and term.
    static func derive(_ offer: inout Offer) {
        offer.annualPercent = nil
        offer.totalPercent = nil
        offer.doublingDays = nil
        if offer.kind == .referral {
            // The whole ladder is paid on each deposit brought in.
            offer.totalPercent = rounded(offer.levels.isEmpty ? offer.ratePercent : offer.levels.reduce(0, +))
            return
        }
        guard let rate = offer.ratePercent, let period = offer.periodDays, rate > 0, period > 0 else { return }
        offer.annualPercent = rounded(rate * year / period)
        offer.doublingDays = rounded(period * 100 / rate)
        if offer.kind == .afterTerm {
            offer.totalPercent = rounded(rate)
        } else if let term = offer.termDays, term > 0 {
            offer.totalPercent = rounded(rate * term / period)
        }
    }

    /// A bank's table gives one rate per way of paying the profit out ("monthly", "at
    /// maturity"): a monthly or quarterly figure standing alone in its cell, beside a yearly
    /// cell of about its size (within a quarter) on the same page, is that yearly rate paid out
    /// monthly ("14.90%" under "monthly payment", "15.40%" under "at maturity"), not 14.9% a
    /// month. Only cells: a scheme's sentence "banks pay 8% a year, we pay 8% a month" keeps
    /// its monthly rate.
    static func yearlyRatesPaidOutMonthly(_ offers: inout [Offer]) {
        func isCell(_ o: Offer) -> Bool { o.evidence.context.count <= o.evidence.match.count + 2 }
        let yearly = offers.compactMap { $0.kind == .bankRate && isCell($0) ? $0.ratePercent : nil }
        guard !yearly.isEmpty else { return }
        for k in offers.indices where offers[k].kind == .fixedReturn && isCell(offers[k]) {
            guard let rate = offers[k].ratePercent, let period = offers[k].periodDays, period >= 28, period < year,
                  yearly.contains(where: { $0 >= rate * 0.8 && $0 <= rate * 1.25 }) else { continue }
            offers[k].kind = .bankRate
            offers[k].periodDays = year
            derive(&offers[k])
        }
    }

    /// Why an offer is out of the sane range, or nil when it is fine.
    static func insanity(_ offer: Offer) -> String? {
        if let rate = offer.ratePercent {
            if !rate.isFinite || rate > maxRatePercent { return "rate above \(Int(maxRatePercent))%" }
            if rate <= 0 { return "rate of zero or less" }
        }
        for level in offer.levels where !(level > 0 && level <= 100) { return "referral level outside 0–100%" }
        if let period = offer.periodDays, !(period > 0 && period <= maxPeriodDays) { return "period outside 0–\(Int(maxPeriodDays)) days" }
        if let term = offer.termDays, !(term > 0 && term <= maxPeriodDays * 10) { return "term outside 0–\(Int(maxPeriodDays * 10)) days" }
        return nil
    }
}
