import Foundation
import ScamSift

/// One self-contained HTML page for a batch (`batch --report`): how many sites got each
/// verdict, a histogram of scores, and the riskiest sites first, each with its strongest
/// reasons and a link to its details further down the same page.
///
/// Rows keep no full reports, so a site's details are what its row holds: addresses, title,
/// score, verdict, its top reasons (in words, from the rules' descriptions), its biggest
/// offer, and with `--crawl` the other pages' scores. The page lists at most
/// `BatchReportCollector.kept` sites (200), and clips every text, so it stays bounded for any
/// batch (about 2.5 KB per listed site; tests hold 200 sites of long text under 2 MB).
public enum BatchHTMLReport {
    public struct Options: Sendable {
        /// A time to print in the footer, as given; none by default.
        public var generatedAt: String?
        public var version = ReportFormatter.version
        /// The rule set's version, named in the footer.
        public var rulesVersion = ""
        /// Reasons shown per site in the list (all of a row's, up to 5, in its details).
        public var listReasons = 3
        /// Crawled pages shown per site, and the scalars kept of their addresses.
        public var maxPages = 10
        public var maxPageURLScalars = 120
        public var maxURLScalars = 200
        public var maxTitleScalars = 150
        public var maxReasonScalars = 300

        public init() {}
    }

    /// - Parameters:
    ///   - describe: a rule's description by id (from the rule set that scored the rows), nil
    ///     for a rule it does not know (shown by its id).
    public static func render(_ data: BatchReportData, cutoffs: VerdictCutoffs, explainer: Explainer = .english,
                              describe: (String) -> LocalizedText? = { _ in nil }, options: Options = Options()) -> String {
        var descriptions: [String: LocalizedText] = [:]
        for hit in data.riskiest.flatMap(\.topHits) where descriptions[hit.id] == nil { descriptions[hit.id] = describe(hit.id) }
        let page = SummaryPage(data: data, cutoffs: cutoffs, l: explainer.localizer, descriptions: descriptions, options: options)
        var w = HTMLWriter()
        let title = page.l("html.batch.title", ["count": page.l.number(data.rows)])
        HTMLReport.document(&w, language: page.l.language, title: title, wide: true) { w in
            page.write(&w, title: title)
        }
        return w.html
    }
}

private struct SummaryPage {
    let data: BatchReportData
    let cutoffs: VerdictCutoffs
    let l: Localizer
    /// Rule id → description, for the rules the listed rows name.
    let descriptions: [String: LocalizedText]
    let options: BatchHTMLReport.Options

    func write(_ w: inout HTMLWriter, title: String) {
        w.element("header") { w in
            w.element("p", [("class", "brand")], text: "ScamSift")
            w.element("h1", text: title)
        }
        w.newline()
        guard data.rows > 0 else {
            w.element("p", text: l("html.batch.none"))
            footer(&w)
            return
        }
        counts(&w)
        histogram(&w)
        if !data.riskiest.isEmpty {
            riskiest(&w)
            details(&w)
        }
        footer(&w)
    }

    func counts(_ w: inout HTMLWriter) {
        section(&w, "verdicts", "html.batch.verdicts") { w in
            w.element("ul", [("class", "counts")]) { w in
                for v in [Verdict.likelyScam, .suspicious, .lowRisk, .unknown] {
                    w.element("li", [("class", "v-\(v.rawValue)")]) { w in
                        w.element("span", [("class", "count")], text: l.number(data.verdicts[v.rawValue, default: 0]))
                        w.text(HTMLReport.verdictWords(v, l))
                    }
                }
            }
            let failed = data.errors.values.reduce(0, +)
            if failed > 0 {
                let kinds = data.errors.sorted { $0.key < $1.key }.map { "\(clip($0.key, 40)) \(l.number($0.value))" }
                w.element("p", text: l("html.batch.errors", ["count": l.number(failed)]) + " (" + kinds.joined(separator: ", ") + ")")
            }
        }
    }

    func histogram(_ w: inout HTMLWriter) {
        let ranges = data.bins.indices.map { i in (from: i * 10, to: i == 9 ? 100 : i * 10 + 9) }
        let bars = zip(ranges, data.bins).map { range, count in
            HTMLCharts.Bar(label: l.number(range.from) + "–" + l.number(range.to), count: count, verdict: verdict(of: range.from))
        }
        let label = l("html.batch.histogram_label", [
            "suspicious": HTMLReport.verdictWords(.suspicious, l), "suspicious_score": l.number(cutoffs.suspicious),
            "scam": HTMLReport.verdictWords(.likelyScam, l), "scam_score": l.number(cutoffs.likelyScam),
        ])
        let description = zip(ranges, data.bins).map { range, count in
            l("html.batch.bin", ["from": l.number(range.from), "to": l.number(range.to), "count": l.number(count)])
        }
        section(&w, "scores", "html.batch.histogram") { w in
            w.element("p", [("class", "note")], text: label)
            HTMLCharts.histogram(&w, bars: bars, title: l("html.batch.histogram"), description: description.joined(separator: "; "),
                                 number: l.number)
        }
    }

    /// The verdict a bar's scores start in (a bar that straddles a cut-off takes its lower end's).
    func verdict(of score: Int) -> Verdict {
        score >= cutoffs.likelyScam ? .likelyScam : score >= cutoffs.suspicious ? .suspicious : .lowRisk
    }

    func riskiest(_ w: inout HTMLWriter) {
        section(&w, "riskiest", "html.batch.riskiest") { w in
            w.element("p", [("class", "note")], text: l("html.batch.riskiest_intro", [
                "shown": l.number(data.riskiest.count), "total": l.number(data.scored)]))
            let columns = ["#", l("html.batch.score"), l("html.batch.site"), l("html.batch.reasons"), l("html.batch.details")]
            w.element("div", [("class", "table-wrap")]) { w in
                w.element("table", [("class", "cards")]) { w in
                    w.element("thead") { w in
                        w.element("tr") { w in for c in columns { w.element("th", [("scope", "col")], text: c) } }
                    }
                    w.element("tbody") { w in
                        for (i, row) in data.riskiest.enumerated() { listRow(&w, i + 1, row, columns) }
                    }
                }
            }
            if data.scored > data.riskiest.count {
                w.element("p", [("class", "note")], text: l("html.batch.more", ["count": l.number(data.scored - data.riskiest.count)]))
            }
        }
    }

    func listRow(_ w: inout HTMLWriter, _ n: Int, _ row: BatchRow, _ columns: [String]) {
        w.element("tr") { w in
            w.element("td", [("class", "num"), ("data-label", columns[0])], text: l.number(n))
            w.element("td", [("data-label", columns[1])]) { w in badge(&w, row) }
            w.element("td", [("data-label", columns[2])]) { w in site(&w, row) }
            w.element("td", [("data-label", columns[3])]) { w in
                let hits = row.topHits.filter { $0.points != 0 }.prefix(options.listReasons)
                if hits.isEmpty { w.text("-") } else {
                    w.element("ul", [("class", "site-reasons")]) { w in
                        for hit in hits { w.element("li", text: reason(hit.id)) }
                    }
                }
            }
            w.element("td", [("data-label", columns[4])]) { w in
                w.link(toAnchor: anchor(n)) { w in w.text(l("html.batch.details")) }
            }
        }
        w.newline()
    }

    func details(_ w: inout HTMLWriter) {
        section(&w, "details", "html.batch.details_heading") { w in
            for (i, row) in data.riskiest.enumerated() { site(&w, number: i + 1, row) }
        }
    }

    func site(_ w: inout HTMLWriter, number n: Int, _ row: BatchRow) {
        w.element("section", [("class", "site"), ("id", anchor(n)), ("aria-labelledby", anchor(n) + "-h")]) { w in
            w.element("h3", [("id", anchor(n) + "-h")]) { w in
                w.text(l.number(n) + ". ")
                words(&w, row.url ?? row.input, options.maxURLScalars)
            }
            badge(&w, row)
            w.element("dl", [("class", "facts")]) { w in
                if let title = row.title, !title.isEmpty {
                    w.element("dt", text: l("html.page_title"))
                    w.element("dd") { w in words(&w, title, options.maxTitleScalars) }
                }
                if let final = row.finalURL, final != row.url {
                    w.element("dt", text: l("html.batch.final_url"))
                    w.element("dd") { w in words(&w, final, options.maxURLScalars) }
                }
                if let status = row.status {
                    w.element("dt", text: l("html.batch.status"))
                    w.element("dd", text: l.number(status))
                }
            }
            let hits = row.topHits
            if !hits.isEmpty {
                w.element("ul", [("class", "site-reasons")]) { w in
                    for hit in hits {
                        w.element("li") { w in
                            w.element("span", [("class", HTMLReport.pointsClass(hit.points))], text: HTMLReport.points(hit.points, l))
                            w.text(" " + reason(hit.id))
                        }
                    }
                }
            }
            if let yearly = row.maxAnnualPercent {
                w.element("p", text: l("html.batch.yearly", ["yearly": l("offers.percent", ["n": OfferFormatter.number(yearly, l)])]))
            }
            if row.truncated { w.element("p", [("class", "note")], text: l("html.batch.truncated")) }
            if let error = row.error {
                w.element("p", text: l("html.batch.error", ["why": clip(error, options.maxReasonScalars)]))
            }
            if let pages = row.pages, !pages.isEmpty {
                w.element("h4", text: l("html.batch.pages"))
                w.element("ul") { w in
                    for page in pages.prefix(options.maxPages) {
                        w.element("li") { w in
                            words(&w, page.finalURL ?? page.url, options.maxPageURLScalars)
                            w.text(": ")
                            if let score = page.score, let v = page.verdict.flatMap(Verdict.init(rawValue:)) {
                                w.text(l("html.batch.page_score", ["score": l.number(score), "verdict": HTMLReport.verdictWords(v, l)]))
                            } else {
                                w.text(l("html.batch.error", ["why": clip(page.error ?? page.errorKind ?? "-", options.maxReasonScalars)]))
                            }
                        }
                    }
                }
            }
            w.element("p") { w in w.link(toAnchor: "riskiest") { w in w.text(l("html.batch.back")) } }
        }
        w.newline()
    }

    /// The site's address and title, as page words.
    func site(_ w: inout HTMLWriter, _ row: BatchRow) {
        words(&w, row.url ?? row.input, options.maxURLScalars)
        if let title = row.title, !title.isEmpty {
            w.empty("br")
            w.element("span", [("class", "note")]) { w in words(&w, title, options.maxTitleScalars) }
        }
    }

    func badge(_ w: inout HTMLWriter, _ row: BatchRow) {
        let v = row.effectiveVerdict.flatMap(Verdict.init(rawValue:)) ?? .unknown
        w.element("span", [("class", "badge v-\(v.rawValue)")], text: l.number(row.effectiveScore ?? 0) + " · " + HTMLReport.verdictWords(v, l))
    }

    /// A reason in words: the rule's description in the report's language, else its id.
    func reason(_ id: String) -> String {
        if id == TextModelHit.id { return l("html.batch.text_model") }
        return clip(descriptions[id]?.text(for: l.language) ?? id, options.maxReasonScalars)
    }

    func words(_ w: inout HTMLWriter, _ s: String, _ limit: Int) {
        HTMLReport.pageWords(&w, s, lang: nil, limit: limit, cutNote: l("html.quote_cut"))
    }

    func clip(_ s: String, _ limit: Int) -> String {
        let (text, cut) = HTMLEscape.clip(s, to: limit)
        return cut ? text + "…" : text
    }

    func anchor(_ n: Int) -> String { "site-\(n)" }

    func section(_ w: inout HTMLWriter, _ id: String, _ key: String, _ body: (inout HTMLWriter) -> Void) {
        w.element("section", [("aria-labelledby", id + "-heading"), ("id", id)]) { w in
            w.element("h2", [("id", id + "-heading")], text: l(key))
            w.newline()
            body(&w)
        }
        w.newline()
    }

    func footer(_ w: inout HTMLWriter) {
        HTMLReport.footer(&w, l, version: options.version, rulesVersion: options.rulesVersion, generatedAt: options.generatedAt)
    }
}
