import Foundation

/// One page's result as a self-contained HTML document a person can read on a phone or on
/// paper: the verdict with a gauge, the headline and advice, every reason with the page's own
/// words highlighted, the offers with a plain comparison, the text model's line, and what a
/// real marketplace looks like. In the explainer's language; every word a person reads comes
/// from the catalogue or from the rules' descriptions.
///
/// The document loads nothing: its CSS and SVG are inline, it has no script, and its only
/// links are to anchors in itself (see `HTMLWriter`). A Content-Security-Policy forbids
/// anything else even to a browser that would try. Page text is escaped and isolated
/// (`<bdi>`), and long text is cut where the report says so, so a hostile or huge page still
/// gives a report of at most `Options.maxBytes`.
public enum HTMLReport {
    public struct Options: Sendable {
        /// Show each reason's rule id, for rule writers (`--rule-ids`).
        public var ruleIDs = false
        /// A time to print in the footer, as given; none by default, so the same page gives
        /// the same bytes.
        public var generatedAt: String?
        /// ScamSift's version, named in the footer.
        public var version = ReportFormatter.version
        /// The size bound of the whole document, in bytes of UTF-8.
        public var maxBytes = 200_000
        /// Reasons listed at most (the rest are counted, with their points).
        public var maxReasons = 100
        /// Quotes of the page shown per reason.
        public var maxQuotes = 3
        /// Unicode scalars kept of one quote of the page, and of any other page text (title,
        /// address, plan name) or rule description; the rest is cut, and the report says so.
        public var maxQuoteScalars = 300
        public var maxTextScalars = 400
        /// Offers listed at most.
        public var maxOffers = 50

        public init() {}
    }

    /// The whole document.
    public static func render(report: Report, explainer: Explainer = .english, options: Options = Options()) -> String {
        ReportPage(report: report, explainer: explainer, options: options).render()
    }

    /// A verdict in plain words ("Likely a scam").
    public static func verdictWords(_ v: Verdict, _ l: Localizer) -> String { l("html.verdict.\(v.rawValue)") }

    /// `+59 points`, `−20 points`, `1 point`, in the localizer's digits.
    public static func points(_ n: Int, _ l: Localizer) -> String {
        let sign = n > 0 ? "+" : n < 0 ? "\u{2212}" : ""
        return l(abs(n) == 1 ? "html.points_one" : "html.points", ["points": sign + l.number(abs(n))])
    }

    /// The colour class of points: warning red when they add, green when they take away.
    public static func pointsClass(_ n: Int) -> String {
        n > 0 ? "pts v-likely-scam" : n < 0 ? "pts v-low-risk" : "pts"
    }

    /// The document's start: `<!DOCTYPE>`, `<html lang>`, a head with the security policy,
    /// the viewport, the title and the style sheet; then `body` inside `<body><main>`.
    /// `wide` gives tables more room on large screens (the batch summary).
    public static func document(_ w: inout HTMLWriter, language: String, title: String, wide: Bool = false,
                                _ body: (inout HTMLWriter) -> Void) {
        w.doctype()
        w.element("html", [("lang", Language.isCode(language) ? language : "en"), ("dir", "ltr")]) { w in
            w.newline()
            w.element("head") { w in
                w.empty("meta", [("charset", "utf-8")])
                w.empty("meta", [("http-equiv", "Content-Security-Policy"), ("content", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")])
                w.empty("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
                w.empty("meta", [("name", "color-scheme"), ("content", "light")])
                w.empty("meta", [("name", "referrer"), ("content", "no-referrer")])
                w.element("title", text: title)
                w.newline()
                w.element("style") { w in w.css(HTMLStyle.css) }
                w.newline()
            }
            w.newline()
            w.element("body") { w in
                w.element("main", wide ? [("class", "wide")] : []) { w in body(&w) }
                w.newline()
            }
            w.newline()
        }
        w.newline()
    }

    /// Which ScamSift and rules wrote the page, that it loads nothing, and the time if one is given.
    public static func footer(_ w: inout HTMLWriter, _ l: Localizer, version: String, rulesVersion: String, generatedAt: String?) {
        w.element("footer") { w in
            w.element("p", text: l("html.footer", ["version": version, "rules": rulesVersion.isEmpty ? "-" : rulesVersion]))
            if let generatedAt { w.element("p", text: l("html.generated", ["time": generatedAt])) }
        }
        w.newline()
    }

    /// Page words, isolated from the report's direction (`<bdi>`) and tagged with the page's
    /// language when it is known, cut at `limit` scalars with a visible note.
    public static func pageWords(_ w: inout HTMLWriter, _ s: String, lang: String?, limit: Int, cutNote: String) {
        let (text, cut) = HTMLEscape.clip(s, to: limit)
        var attributes: [HTMLWriter.Attribute] = [("class", "page-words")]
        if let lang, Language.isCode(lang) { attributes.append(("lang", lang)) }
        w.element("bdi", attributes, text: text + (cut ? "…" : ""))
        if cut { w.text(" "); w.element("span", [("class", "cut")], text: cutNote) }
    }
}

/// Writes one report; `render` is called once.
private struct ReportPage {
    let report: Report
    let explainer: Explainer
    let options: HTMLReport.Options
    let explanation: Explanation

    var l: Localizer { explainer.localizer }

    init(report: Report, explainer: Explainer, options: HTMLReport.Options) {
        self.report = report
        self.explainer = explainer
        self.options = options
        explanation = explainer.explain(report)
    }

    /// Where each part must stop adding items, as a share of `maxBytes`: each item is bounded
    /// (clipped texts, a few quotes), so stopping once past the mark keeps the whole in bounds.
    func budget(_ share: Double) -> Int { Int(Double(options.maxBytes) * share) }

    func render() -> String {
        let clippedTitle = HTMLEscape.clip(report.title.isEmpty ? report.source : report.title, to: 120)
        let title = l("html.title", ["page": clippedTitle.text + (clippedTitle.cut ? "…" : "")])
        var out = HTMLWriter()
        HTMLReport.document(&out, language: l.language, title: title) { w in
            header(&w)
            verdict(&w)
            advice(&w)
            reasons(&w)
            offers(&w)
            textModel(&w)
            marketplace(&w)
            footer(&w)
        }
        return out.html
    }

    // MARK: - Parts

    func header(_ w: inout HTMLWriter) {
        w.element("header") { w in
            w.element("p", [("class", "brand")], text: "ScamSift")
            w.element("h1", text: l("html.heading"))
            w.element("dl", [("class", "facts")]) { w in
                fact(&w, "html.page", report.source, lang: nil)
                if !report.title.isEmpty { fact(&w, "html.page_title", report.title, lang: report.lang) }
                if let lang = report.lang {
                    w.element("dt", text: l("html.language"))
                    w.element("dd") { w in
                        w.text(lang)
                        if let declared = report.declaredLang, LanguageDetector.primary(declared) != lang {
                            w.text(" ")
                            w.element("span", [("class", "note")], text: l("report.declares", ["lang": String(HTMLEscape.clip(declared, to: 20).text)]))
                        }
                    }
                }
            }
        }
        w.newline()
    }

    func fact(_ w: inout HTMLWriter, _ key: String, _ value: String, lang: String?) {
        w.element("dt", text: l(key))
        w.element("dd") { w in HTMLReport.pageWords(&w, value, lang: lang, limit: options.maxTextScalars, cutNote: l("html.quote_cut")) }
    }

    func verdict(_ w: inout HTMLWriter) {
        let v = report.verdict
        let label = l("html.gauge", [
            "score": l.number(report.score), "verdict": HTMLReport.verdictWords(v, l),
            "suspicious_score": l.number(report.cutoffs.suspicious), "suspicious": HTMLReport.verdictWords(.suspicious, l),
            "scam_score": l.number(report.cutoffs.likelyScam), "scam": HTMLReport.verdictWords(.likelyScam, l),
        ])
        w.element("section", [("class", "verdict v-\(v.rawValue)"), ("aria-labelledby", "verdict")]) { w in
            HTMLCharts.gauge(&w, score: report.score, cutoffs: report.cutoffs, label: label)
            w.element("div", [("class", "verdict-words")]) { w in
                w.element("p", [("class", "badge"), ("id", "verdict")], text: HTMLReport.verdictWords(v, l))
                w.element("p", [("class", "score")], text: l("html.score", ["score": l.number(report.score)]))
            }
            w.element("p", [("class", "headline")], text: explanation.headline)
            if let thin = report.thinContent {
                w.element("p", [("class", "thin note")], text: l("report.content_thin", ["why": explainer.thinReason(thin)]))
            }
        }
        w.newline()
    }

    func advice(_ w: inout HTMLWriter) {
        section(&w, "advice", "html.advice") { w in
            w.element("ul", [("class", "advice")]) { w in
                for line in explanation.advice { w.element("li", text: line) }
            }
        }
    }

    func reasons(_ w: inout HTMLWriter) {
        // Warnings first, strongest first; then what speaks for the site, strongest first.
        let shown = explanation.reasons.filter { $0.id != TextModelHit.id }.enumerated()
            .sorted { a, b in
                let ka = (a.element.points > 0 ? 0 : a.element.points < 0 ? 1 : 2, -abs(a.element.points), a.offset)
                let kb = (b.element.points > 0 ? 0 : b.element.points < 0 ? 1 : 2, -abs(b.element.points), b.offset)
                return ka < kb
            }.map(\.element)
        let stop = budget(0.55)
        section(&w, "why", "html.why") { w in
            guard !shown.isEmpty else { w.element("p", text: l("report.no_reason")); return }
            w.element("p", [("class", "note")], text: l("html.why_intro"))
            var listed = 0
            w.element("ol", [("class", "reasons")]) { w in
                for reason in shown {
                    if listed >= options.maxReasons || w.byteCount > stop { break }
                    self.reason(&w, reason)
                    listed += 1
                }
            }
            if listed < shown.count {
                let left = shown[listed...]
                w.element("p", [("class", "note")], text: l("html.more_reasons", [
                    "count": l.number(left.count), "points": l.number(left.reduce(0) { $0 + $1.points })]))
            }
            let total = report.rawScore == report.score
                ? l("html.total", ["sum": l.number(report.rawScore), "score": l.number(report.score)])
                : l("html.total_clamped", ["sum": l.number(report.rawScore), "score": l.number(report.score)])
            w.element("p", [("class", "total")], text: total)
            if !report.ruleErrors.isEmpty {
                w.element("h3", text: l("html.rule_errors"))
                w.element("ul") { w in
                    for error in report.ruleErrors.prefix(10) {
                        w.element("li") { w in
                            w.element("code", text: String(HTMLEscape.clip(error.rule, to: 100).text))
                            w.text(": ")
                            w.text(HTMLEscape.clip(error.message, to: options.maxTextScalars).text)
                        }
                    }
                }
            }
        }
    }

    func reason(_ w: inout HTMLWriter, _ reason: Explanation.Reason) {
        w.element("li", [("class", "reason")]) { w in
            w.element("div", [("class", "reason-head")]) { w in
                w.element("span", [("class", HTMLReport.pointsClass(reason.points))], text: HTMLReport.points(reason.points, l))
                w.element("span") { w in
                    // A description comes from a rules file, which may be anyone's: clipped too.
                    let (text, cut) = HTMLEscape.clip(reason.text, to: options.maxTextScalars)
                    w.text(text + (cut ? "…" : ""))
                    if reason.count > 1 { w.text(" "); w.element("span", [("class", "times")], text: l("html.times", ["count": l.number(reason.count)])) }
                    if options.ruleIDs {
                        w.text(" ")
                        w.element("code", [("class", "rule-id")], text: l("html.rule_id", ["id": String(HTMLEscape.clip(reason.id, to: 100).text)]))
                    }
                }
            }
            quotes(&w, Array(reason.quotes.prefix(options.maxQuotes)))
        }
        w.newline()
    }

    func quotes(_ w: inout HTMLWriter, _ quotes: [Explanation.Quote]) {
        guard !quotes.isEmpty else { return }
        w.element("ul", [("class", "quotes")]) { w in
            for q in quotes {
                w.element("li", [("class", "quote")]) { w in
                    var place = q.place
                    if options.ruleIDs, let rule = q.rule { place += " · " + l("html.rule_id", ["id": String(HTMLEscape.clip(rule, to: 100).text)]) }
                    w.element("span", [("class", "place")], text: place)
                    quoteText(&w, q)
                }
            }
        }
    }

    /// The quote's words with the match in `<mark>`, cut to `maxQuoteScalars` around it: the
    /// words just before and after the match are the ones worth keeping.
    func quoteText(_ w: inout HTMLWriter, _ q: Explanation.Quote) {
        var attributes: [HTMLWriter.Attribute] = [("class", "page-words")]
        if let lang = report.lang, Language.isCode(lang), q.place != l("place.word") { attributes.append(("lang", lang)) }
        guard let h = q.highlight else {
            HTMLReport.pageWords(&w, q.text, lang: report.lang, limit: options.maxQuoteScalars, cutNote: l("html.quote_cut"))
            return
        }
        let side = max(20, options.maxQuoteScalars / 3)
        let match = HTMLEscape.clip(h.match, to: side)
        let before = HTMLEscape.clipStart(h.before, to: side)
        let after = HTMLEscape.clip(h.after, to: side)
        let cut = match.cut || before.cut || after.cut
        w.element("bdi", attributes) { w in
            w.text((before.cut ? "…" : "") + before.text)
            w.element("mark", text: match.text + (match.cut ? "…" : ""))
            w.text(after.text + (after.cut ? "…" : ""))
        }
        if cut { w.text(" "); w.element("span", [("class", "cut")], text: l("html.quote_cut")) }
    }

    func offers(_ w: inout HTMLWriter) {
        guard !report.offers.isEmpty else { return }
        let stop = budget(0.75)
        section(&w, "offers", "html.offers") { w in
            w.element("p", [("class", "note")], text: l("html.offers_intro"))
            let offers = Array(report.offers.prefix(options.maxOffers))
            let columns = ["plan", "rate", "period", "term", "deposit", "yearly", "doubles", "kind"].map { l("offers.\($0)") }
            var listed = 0
            w.element("div", [("class", "table-wrap")]) { w in
                w.element("table", [("class", "offers cards")]) { w in
                    w.element("thead") { w in
                        w.element("tr") { w in
                            w.element("th", [("scope", "col")], text: "#")
                            for c in columns { w.element("th", [("scope", "col")], text: c) }
                        }
                    }
                    w.element("tbody") { w in
                        for (i, o) in offers.enumerated() {
                            if w.byteCount > stop { break }
                            offerRow(&w, i + 1, o, columns)
                            listed += 1
                        }
                    }
                }
            }
            w.element("ol", [("class", "offer-notes")]) { w in
                for o in offers.prefix(listed) {
                    w.element("li") { w in
                        if let compare = comparison(o) { w.element("p", [("class", "compare")], text: compare) }
                        w.element("div", [("class", "quote")]) { w in
                            w.element("span", [("class", "place")], text: l("html.offers.where", ["place": l.place(o.evidence.target)]))
                            quoteText(&w, Explanation.Quote(place: l.place(o.evidence.target), text: ReportFormatter.marked(o.evidence),
                                                            rule: nil, highlight: Explainer.highlight(o.evidence)))
                        }
                    }
                    w.newline()
                }
            }
            if listed < report.offers.count {
                w.element("p", [("class", "note")], text: l("html.more_offers", ["count": l.number(report.offers.count - listed)]))
            }
            if report.offers.contains(where: { $0.annualPercent != nil && $0.kind != .bankRate }) {
                w.element("p", [("class", "bank")], text: l("html.offers.bank"))
            }
        }
    }

    func offerRow(_ w: inout HTMLWriter, _ n: Int, _ o: Offer, _ columns: [String]) {
        let plan = o.plan.map { HTMLEscape.clip($0, to: 60) }
        let figures: [(text: String, numeric: Bool)] = [
            (OfferFormatter.rate(o, l), true), (OfferFormatter.period(o, l), false), (OfferFormatter.term(o, l), false),
            (String(HTMLEscape.clip(OfferFormatter.deposit(o, l), to: 80).text), true),
            (o.annualPercent.map { l("offers.percent", ["n": OfferFormatter.number($0, l)]) } ?? "-", true),
            (o.doublingDays.map { l("offers.days_short", ["n": OfferFormatter.number($0, l)]) } ?? "-", true),
            (l("offers.kind.\(o.kind.rawValue)"), false),
        ]
        w.element("tr") { w in
            w.element("td", [("class", "num"), ("data-label", "#")], text: l.number(n))
            // The plan's name is the page's words.
            w.element("td", [("data-label", columns[0])]) { w in
                if let plan { w.element("bdi", text: plan.text + (plan.cut ? "…" : "")) } else { w.text("-") }
            }
            for (cell, label) in zip(figures, columns.dropFirst()) {
                var attributes: [HTMLWriter.Attribute] = [("data-label", label)]
                if cell.numeric { attributes.insert(("class", "num"), at: 0) }
                w.element("td", attributes, text: cell.text)
            }
        }
        w.newline()
    }

    /// "3% daily is about 1,095% a year." for offers paid by the period; nil for referral
    /// ladders and yearly bank rates, where a year says nothing new.
    func comparison(_ o: Offer) -> String? {
        guard o.kind == .fixedReturn || o.kind == .afterTerm, let yearly = o.annualPercent else { return nil }
        return l("html.offers.compare", ["rate": OfferFormatter.rate(o, l), "period": OfferFormatter.period(o, l),
                                         "yearly": l("offers.percent", ["n": OfferFormatter.number(yearly, l)])])
    }

    func textModel(_ w: inout HTMLWriter) {
        section(&w, "text-model", "html.text_model") { w in
            w.element("p", [("class", "note")], text: l("html.text_model_intro"))
            guard let p = report.textProbability else { w.element("p", text: l("html.text_model_off")); return }
            guard let reason = explanation.reasons.first(where: { $0.id == TextModelHit.id }) else {
                w.element("p", text: l("html.text_model_none", ["percent": l.number(Int((p * 100).rounded()))]))
                return
            }
            w.element("div", [("class", "reason")]) { w in
                w.element("div", [("class", "reason-head")]) { w in
                    w.element("span", [("class", HTMLReport.pointsClass(reason.points))], text: HTMLReport.points(reason.points, l))
                    w.element("span", text: reason.text)
                }
                quotes(&w, Array(reason.quotes.prefix(5)))
            }
            w.element("p", text: l("html.text_model_points", ["points": l.number(reason.points)]))
        }
    }

    func marketplace(_ w: inout HTMLWriter) {
        section(&w, "marketplace", "html.marketplace") { w in
            w.element("ul", [("class", "marketplace")]) { w in
                for key in ["free", "paid", "fee"] { w.element("li", text: l("html.marketplace.\(key)")) }
            }
        }
    }

    func footer(_ w: inout HTMLWriter) {
        HTMLReport.footer(&w, l, version: options.version, rulesVersion: report.rulesVersion, generatedAt: options.generatedAt)
    }

    /// `<section>` with an `<h2>` whose id labels it.
    func section(_ w: inout HTMLWriter, _ id: String, _ headingKey: String, _ body: (inout HTMLWriter) -> Void) {
        w.element("section", [("aria-labelledby", id)]) { w in
            w.element("h2", [("id", id)], text: l(headingKey))
            w.newline()
            body(&w)
        }
        w.newline()
    }
}
