/// Turns a `Report` into an `Explanation` in one language: the headline from the strongest
/// reasons grouped by theme (`ThemeMap`), each reason's own description in that language, and
/// advice by verdict. Every word comes from the catalogue (`Catalog/<lang>.yaml`) or from the
/// rules' descriptions; nothing a person reads is written here.
public struct Explainer: Sendable {
    public let localizer: Localizer
    public let themes: ThemeMap
    /// Whose helplines and agencies the advice names.
    public let region: Region

    public init(localizer: Localizer = .english, themes: ThemeMap = .builtIn, region: Region = .bangladesh) {
        self.localizer = localizer
        self.themes = themes
        self.region = region
    }

    public static let english = Explainer()

    /// How many warning themes a headline names at most, so it stays one sentence; a
    /// reassuring headline names only the strongest good theme.
    static let headlineThemes = 3

    public func explain(_ report: Report) -> Explanation {
        let reasons = report.hits.filter { !$0.id.hasPrefix("_") }.map { reason($0, in: report) }
        return Explanation(language: localizer.language, headline: headline(report, reasons), verdict: verdict(report.verdict),
                           reasons: reasons, advice: advice(report.verdict))
    }

    public func verdict(_ v: Verdict) -> String { localizer("verdict.\(v.rawValue)") }

    /// Why a page could not be judged, as a person reads it.
    public func thinReason(_ thin: ThinContent) -> String {
        localizer("thin.\(thin.kind.rawValue)", ["count": localizer.number(thin.textCharacters)])
    }

    // MARK: - Reasons

    func reason(_ hit: Hit, in report: Report) -> Explanation.Reason {
        let l = localizer
        if hit.id == TextModelHit.id {
            let percent = l.number(Int(((report.textProbability ?? 0.5) * 100).rounded()))
            let quotes = hit.evidence.map { e -> Explanation.Quote in
                let counts = TextModelHit.counts(fromContext: e.context)
                let text = { (word: String) in
                    l("quote.word_counts", ["word": word, "scam": l.number(counts?.scam ?? 0), "legit": l.number(counts?.legit ?? 0)])
                }
                return Explanation.Quote(place: l("place.word"), text: text(e.match), rule: nil,
                                         highlight: Self.highlight(text(Self.slot), word: e.match))
            }
            return Explanation.Reason(id: hit.id, theme: nil, points: hit.points, count: hit.count,
                                      text: l("reason.text_model", ["percent": percent]), quotes: quotes)
        }
        let quotes = hit.evidence.compactMap { quote($0, among: report.hits) }
        return Explanation.Reason(id: hit.id, theme: themes.theme(rule: hit.id, category: hit.category), points: hit.points,
                                  count: hit.count, text: hit.descriptions.text(for: l.language), quotes: quotes)
    }

    func quote(_ e: Evidence, among hits: [Hit]) -> Explanation.Quote? {
        let l = localizer
        if e.target == "rule" {
            // A combining rule quotes the rule it read: its words from the page, or (when that
            // rule quoted nothing) its description, which a person reads in their language.
            let id = e.match.hasPrefix("not ") ? String(e.match.dropFirst(4)) : e.match
            var text = ReportFormatter.marked(e)
            if let child = hits.first(where: { $0.id == id }), e.context == child.descriptions.english {
                text = child.descriptions.text(for: l.language)
            } else if text == e.match {
                text = ""
            }
            guard !text.isEmpty else { return nil }
            // Words from the page are what the rule it read found there: all of them the match.
            let fromPage = text == e.context && e.context != hits.first(where: { $0.id == id })?.descriptions.english
            return Explanation.Quote(place: l("place.rule"), text: text, rule: id.hasPrefix("_") ? nil : id,
                                     highlight: fromPage ? Explanation.Highlight(before: "", match: text, after: "") : nil)
        }
        return Explanation.Quote(place: l.place(e.target), text: ReportFormatter.marked(e), rule: nil, highlight: Self.highlight(e))
    }

    /// The evidence's context split around its match (the first place it occurs), or nil.
    static func highlight(_ e: Evidence) -> Explanation.Highlight? {
        guard !e.match.isEmpty, let found = e.context.range(of: e.match) else { return nil }
        let r = characterAligned(found, in: e.context)
        return Explanation.Highlight(before: String(e.context[..<r.lowerBound]), match: String(e.context[r]),
                                     after: String(e.context[r.upperBound...]))
    }

    /// `r` widened to whole characters: a match can end inside one (a Bengali consonant whose
    /// vowel sign follows), and a vowel sign cut from its consonant is drawn on a dotted circle.
    static func characterAligned(_ r: Range<String.Index>, in s: String) -> Range<String.Index> {
        // Moving from an index inside a character first rounds it down to that character's
        // start, looking only at the text near it (evidence can be long).
        func start(ofCharacterAt i: String.Index) -> String.Index {
            i == s.endIndex ? i : s.index(before: s.index(after: i))
        }
        let lower = start(ofCharacterAt: r.lowerBound)
        let upperStart = start(ofCharacterAt: r.upperBound)
        return lower..<(upperStart == r.upperBound ? r.upperBound : s.index(after: upperStart))
    }

    /// Stands for the word in a catalogue text, to find where the word goes (a private-use
    /// character no catalogue or page word holds).
    static let slot = "\u{E000}"

    /// A catalogue text filled with `slot` for the word, split there; the «» the catalogue puts
    /// around the word give way to the highlight.
    static func highlight(_ template: String, word: String) -> Explanation.Highlight? {
        guard let r = template.range(of: slot) else { return nil }
        var before = String(template[..<r.lowerBound]), after = String(template[r.upperBound...])
        if before.hasSuffix("«") && after.hasPrefix("»") { before.removeLast(); after.removeFirst() }
        return Explanation.Highlight(before: before, match: word, after: after)
    }

    // MARK: - Headline

    func headline(_ report: Report, _ reasons: [Explanation.Reason]) -> String {
        let l = localizer
        let bad = themesOf(reasons.filter { $0.points > 0 })
        let good = Array(themesOf(reasons.filter { $0.points < 0 }).prefix(1))
        let actions = list(bad.map { l("theme.\($0)") })
        let goods = list(good.map { l("theme.\($0)") })
        var text: String
        switch report.verdict {
        case .likelyScam, .suspicious:
            let key = "headline.\(report.verdict.rawValue)"
            text = bad.isEmpty ? l(key + ".plain") : l(key, ["actions": actions])
        case .lowRisk:
            switch (good.isEmpty, bad.isEmpty) {
            case (false, true): text = l("headline.low-risk.good", ["good": goods])
            case (false, false): text = l("headline.low-risk.good_and_weak", ["good": goods, "actions": actions])
            case (true, false): text = l("headline.low-risk.weak", ["actions": actions])
            case (true, true): text = l("headline.low-risk.none")
            }
        case .unknown:
            text = l("headline.unknown", ["why": report.thinContent.map(thinReason) ?? ""])
        }
        if let thin = report.thinContent, report.verdict != .unknown {
            text += " " + l("headline.partial", ["why": thinReason(thin)])
        }
        return text
    }

    /// The distinct themes of `reasons`, strongest first: by their strongest reason's points,
    /// then in the order `Catalog/themes.yaml` lists them (fitted weights cap many rules at the
    /// same points, and paying first matters more to a reader than a fake counter), at most
    /// `headlineThemes`.
    func themesOf(_ reasons: [Explanation.Reason]) -> [String] {
        var strongest: [String: Int] = [:]
        for r in reasons { if let t = r.theme { strongest[t] = max(strongest[t] ?? 0, abs(r.points)) } }
        let order = { (t: String) in themes.themes.firstIndex(of: t) ?? themes.themes.count }
        return Array(strongest.sorted { ($0.value, order($1.key), $1.key) > ($1.value, order($0.key), $0.key) }.map(\.key)
            .prefix(Self.headlineThemes))
    }

    /// "a", "a and b", "a, b and c", with the language's own joining words.
    func list(_ items: [String]) -> String {
        guard var out = items.first else { return "" }
        if items.count == 1 { return out }
        for item in items.dropFirst().dropLast() { out = localizer("list.comma", ["a": out, "b": item]) }
        return localizer("list.and", ["a": out, "b": items.last!])
    }

    // MARK: - Advice

    /// Short and specific: what a real marketplace does, never paying to earn, how to check a
    /// site, and where to report it (in the reader's region), depending on the verdict.
    public func advice(_ verdict: Verdict) -> [String] {
        let keys: [String] = switch verdict {
        case .likelyScam: ["never_deposit", "marketplace", region.sentMoneyKey, region.reportKey, "report_ad"]
        case .suspicious: ["check", "never_deposit", "marketplace", region.sentMoneyKey, region.reportKey]
        case .unknown: ["unknown", "check", "never_deposit"]
        case .lowRisk: ["low-risk"]
        }
        return keys.map { localizer("advice.\($0)") }
    }
}

extension Explainer {
    /// Give an encoder an `Explainer` under this key to have JSON's `headline`, `advice` and
    /// rule descriptions written in its language (English without one).
    public static let userInfoKey = CodingUserInfoKey(rawValue: "scamsift.explainer")!

    static func of(_ encoder: Encoder) -> Explainer {
        encoder.userInfo[userInfoKey] as? Explainer ?? .english
    }

    /// The headline alone (JSON writes it without building the whole explanation). The headline
    /// reads only each reason's theme and points, so the reasons here carry no text or quotes:
    /// building those for every page was a tenth of `score -f jsonl`'s time.
    public func headline(_ report: Report) -> String {
        headline(report, report.hits.filter { !$0.id.hasPrefix("_") }.map { hit in
            Explanation.Reason(id: hit.id, theme: hit.id == TextModelHit.id ? nil : themes.theme(rule: hit.id, category: hit.category),
                               points: hit.points, count: hit.count, text: "", quotes: [])
        })
    }
}

extension Localizer {
    /// Where evidence was seen ("on the page", "in a link"), from its target.
    public func place(_ target: String) -> String {
        self("place.\(target.hasPrefix("xpath:") ? "xpath" : target)")
    }
}
