import Foundation

/// Offers as people read them: "3%", "daily", "30 days", "50–999 USD", "1,095%", in the
/// localizer's language and digits.
public enum OfferFormatter {
    /// The "Offers" section of the text report: a table, then each offer's evidence by number.
    public static func section(_ offers: [Offer], localizer l: Localizer = .english) -> [String] {
        guard !offers.isEmpty else { return [] }
        var lines = [l("offers.heading")]
        let rows = offers.enumerated().map { i, o in
            [l.number(i + 1), o.plan.map(TerminalSafe.clean) ?? "-", rate(o, l), period(o, l), term(o, l), deposit(o, l),
             o.annualPercent.map { l("offers.percent", ["n": number($0, l)]) } ?? "-",
             o.doublingDays.map { l("offers.days_short", ["n": number($0, l)]) } ?? "-", l("offers.kind.\(o.kind.rawValue)")]
        }
        let header = ["#"] + ["plan", "rate", "period", "term", "deposit", "yearly", "doubles", "kind"].map { l("offers.\($0)") }
        let table = TextTable.render(header: header, rows: rows, rightAligned: [0, 2, 6, 7])
        lines += table.split(separator: "\n").map { "  " + $0 }
        for (i, o) in offers.enumerated() {
            lines.append("  \(l.number(i + 1)). [\(TerminalSafe.clean(l.place(o.evidence.target)))] " + TerminalSafe.clean(ReportFormatter.marked(o.evidence)))
        }
        return lines
    }

    /// One offer on one line: "Gold: 3% daily for 30 days (1,095%/yr)" (English: for `evaluate`).
    public static func brief(_ o: Offer) -> String {
        let l = Localizer.english
        var s = (o.plan.map { $0 + ": " } ?? "") + rate(o, l) + " " + period(o, l)
        let t = term(o, l)
        if t != "-" && o.kind != .afterTerm { s += " for " + t }
        if let a = o.annualPercent { s += " (\(number(a))%/yr)" }
        if o.kind == .referral, let total = o.totalPercent { s += " (referral, \(number(total))% in all)" }
        return s
    }

    static func rate(_ o: Offer, _ l: Localizer = .english) -> String {
        if o.levels.count > 1 { return l("offers.percent", ["n": o.levels.map { number($0, l) }.joined(separator: "-")]) }
        guard let r = o.ratePercent else { return "-" }
        if let low = o.rateLowPercent { return l("offers.percent", ["n": number(low, l) + "–" + number(r, l)]) }
        return l("offers.percent", ["n": number(r, l)])
    }

    static func period(_ o: Offer, _ l: Localizer) -> String {
        guard let d = o.periodDays else { return o.kind == .referral ? l("offers.per_deposit") : "-" }
        if o.kind == .afterTerm { return l("offers.after", ["duration": duration(d, l)]) }
        switch d {
        case OfferMath.rounded(OfferMath.hour): return l("offers.hourly")
        case 1: return l("offers.daily")
        case OfferMath.rounded(OfferMath.businessDay): return l("offers.business_day")
        case 7: return l("offers.weekly")
        case OfferMath.rounded(OfferMath.month): return l("offers.monthly")
        case 365: return l("offers.yearly_period")
        default: return l("offers.every", ["duration": duration(d, l)])
        }
    }

    static func term(_ o: Offer, _ l: Localizer) -> String {
        if o.lifetime { return l("offers.lifetime") }
        return o.termDays.map { duration($0, l) } ?? "-"
    }

    static func duration(_ days: Double, _ l: Localizer) -> String {
        if days < 1 { return l("offers.hours", ["n": number(days * 24, l)]) }
        if days == 1 { return l("offers.one_day") }
        return l("offers.days", ["n": number(days, l)])
    }

    static func deposit(_ o: Offer, _ l: Localizer) -> String {
        switch (o.minDeposit, o.maxDeposit) {
        case let (min?, max?) where min.currency == max.currency:
            return number(min.amount, l) + "–" + number(max.amount, l) + (min.currency.map { " " + TerminalSafe.clean($0) } ?? "")
        case let (min?, max?): return money(min, l) + " – " + money(max, l)
        case let (min?, nil): return l("offers.from", ["amount": money(min, l)])
        case let (nil, max?): return l("offers.up_to", ["amount": money(max, l)])
        case (nil, nil): return "-"
        }
    }

    static func money(_ m: Offer.Money, _ l: Localizer) -> String {
        number(m.amount, l) + (m.currency.map { " " + TerminalSafe.clean($0) } ?? "")
    }

    /// `number` in the localizer's digits.
    public static func number(_ x: Double, _ l: Localizer) -> String { l.digits(number(x)) }

    /// Up to two decimals, trailing zeros dropped, thousands grouped: 1,095 and 33.33 and 0.5.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        let rounded = (x * 100).rounded() / 100
        var whole = String(Int64(abs(rounded).rounded(.down)))
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        grouped = (rounded < 0 ? "-" : "") + whole + grouped
        let cents = Int((abs(rounded) * 100).rounded()) % 100
        if cents == 0 { return grouped }
        return grouped + (cents % 10 == 0 ? String(format: ".%d", cents / 10) : String(format: ".%02d", cents))
    }
}
