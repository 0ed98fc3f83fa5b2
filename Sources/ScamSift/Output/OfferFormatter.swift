import Foundation

/// Offers as people read them: "3%", "daily", "30 days", "50–999 USD", "1,095%".
public enum OfferFormatter {
    /// The "Offers" section of the text report: a table, then each offer's evidence by number.
    public static func section(_ offers: [Offer]) -> [String] {
        guard !offers.isEmpty else { return [] }
        var lines = ["Offers:"]
        let rows = offers.enumerated().map { i, o in
            [String(i + 1), o.plan ?? "-", rate(o), period(o), term(o), deposit(o), o.annualPercent.map { number($0) + "%" } ?? "-",
             o.doublingDays.map { number($0) + " d" } ?? "-", o.kind.rawValue]
        }
        let table = TextTable.render(header: ["#", "plan", "rate", "period", "term", "deposit", "a year", "doubles in", "kind"],
                                     rows: rows, rightAligned: [0, 2, 6, 7])
        lines += table.split(separator: "\n").map { "  " + $0 }
        for (i, o) in offers.enumerated() {
            lines.append("  \(i + 1). [\(TerminalSafe.clean(o.evidence.target))] " + TerminalSafe.clean(ReportFormatter.marked(o.evidence)))
        }
        return lines
    }

    /// One offer on one line: "Gold: 3% daily for 30 days (1,095%/yr)".
    public static func brief(_ o: Offer) -> String {
        var s = (o.plan.map { $0 + ": " } ?? "") + rate(o) + " " + period(o)
        let t = term(o)
        if t != "-" && o.kind != .afterTerm { s += " for " + t }
        if let a = o.annualPercent { s += " (\(number(a))%/yr)" }
        if o.kind == .referral, let total = o.totalPercent { s += " (referral, \(number(total))% in all)" }
        return s
    }

    static func rate(_ o: Offer) -> String {
        if o.levels.count > 1 { return o.levels.map(number).joined(separator: "-") + "%" }
        guard let r = o.ratePercent else { return "-" }
        if let low = o.rateLowPercent { return number(low) + "–" + number(r) + "%" }
        return number(r) + "%"
    }

    static func period(_ o: Offer) -> String {
        guard let d = o.periodDays else { return o.kind == .referral ? "per deposit" : "-" }
        if o.kind == .afterTerm { return "after " + duration(d) }
        switch d {
        case OfferMath.rounded(OfferMath.hour): return "hourly"
        case 1: return "daily"
        case OfferMath.rounded(OfferMath.businessDay): return "per business day"
        case 7: return "weekly"
        case OfferMath.rounded(OfferMath.month): return "monthly"
        case 365: return "yearly"
        default: return "every " + duration(d)
        }
    }

    static func term(_ o: Offer) -> String {
        if o.lifetime { return "lifetime" }
        return o.termDays.map(duration) ?? "-"
    }

    static func duration(_ days: Double) -> String {
        if days < 1 { return number(days * 24) + " hours" }
        if days == 1 { return "1 day" }
        return number(days) + " days"
    }

    static func deposit(_ o: Offer) -> String {
        switch (o.minDeposit, o.maxDeposit) {
        case let (min?, max?) where min.currency == max.currency:
            return number(min.amount) + "–" + number(max.amount) + (min.currency.map { " " + $0 } ?? "")
        case let (min?, max?): return money(min) + " – " + money(max)
        case let (min?, nil): return "from " + money(min)
        case let (nil, max?): return "up to " + money(max)
        case (nil, nil): return "-"
        }
    }

    static func money(_ m: Offer.Money) -> String { number(m.amount) + (m.currency.map { " " + $0 } ?? "") }

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
