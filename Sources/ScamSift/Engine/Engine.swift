import Foundation

/// Scores pages with a rule set. Cheap to copy and safe to share between threads:
/// each call parses its own document and frees it before returning.
public struct Engine: Sendable {
    public let rules: RuleSet
    /// Wall-clock budget for one regex rule on one page.
    public var regexBudget: TimeInterval = 0.25
    /// The token model that judges a page's words: the built-in one when the rules give it a
    /// weight above 0 (`text_model:` in the scores file). Set it to add a user's learned pages, or to
    /// nil to leave the text model out.
    public var textModel: TextModel? {
        get { compiledText?.model }
        set { compiledText = newValue.map(CompiledTextModel.init) }
    }
    var compiledText: CompiledTextModel?
    /// Keep each page's token hashes in its report (`Report.tokenHashes`), for `fit` and `learn`.
    public var keepTokens = false

    public init(rules: RuleSet) {
        self.rules = rules
        self.compiledText = Self.runsTextModel(rules) ? CompiledTextModel.builtIn : nil
    }


    /// Parses raw page bytes (HTML, or an MHTML archive: see `PageInput`) and scores the page.
    /// - Parameters:
    ///   - charset: the encoding from HTTP, if known; it beats what the page declares.
    ///   - contentType: the HTTP `Content-Type`, if any (a `multipart/related` body is an archive).
    ///   - source: how the page is named in the report (defaults to the URL).
    /// - Throws: `InputError` for a file that is not a page or a broken archive, `PageError`
    ///   for a page the parser refuses.
    public func score(html: Data, url: URL? = nil, charset: String? = nil, contentType: String? = nil,
                      source: String? = nil) throws -> Report {
        try timedScore(html: html, url: url, charset: charset, contentType: contentType, source: source).0
    }

    /// Like `score(html:…)`, and also says where the time went.
    public func timedScore(html: Data, url: URL? = nil, charset: String? = nil, contentType: String? = nil,
                           source: String? = nil) throws -> (Report, StageTimings) {
        var t = StageTimings()
        let input = try PageInput.read(html, charset: charset, url: url?.absoluteString, contentType: contentType)
        let page = try input.parse(xpaths: rules.xpaths, timings: &t)
        var start = now()
        let outcome = evaluator(page).run()
        t.matchNanos = now() - start
        t.regexNanos = outcome.regexNanos
        t.ruleIDs = rules.ruleIDs
        t.normalizeNanos = outcome.normalizeNanos
        t.automatonNanos = outcome.automatonNanos
        t.offerNanos = outcome.offerNanos
        t.languageNanos = outcome.languageNanos
        t.textModelNanos = outcome.textModelNanos
        start = now()
        let report = makeReport(page: page, outcome: outcome, source: source ?? input.url ?? "-")
        t.scoreNanos = now() - start
        t.pages = 1
        t.bytes = html.count
        return (report, t)
    }

    /// Scores a page already parsed with this rule set's `xpaths`.
    public func score(page: Page, source: String) -> Report {
        makeReport(page: page, outcome: evaluator(page).run(), source: source)
    }

    func evaluator(_ page: Page) -> RuleEvaluator {
        RuleEvaluator(rules: rules, page: page, regexBudget: regexBudget,
                      textModel: Self.runsTextModel(rules) ? compiledText : nil, keepTokens: keepTokens)
    }

    /// The token model is read only when the rules give it points: at weight 0 (where a fit can
    /// leave it) it would add nothing to any score, and reading a page's words with it costs
    /// about a seventh of a page's time. `fit` and `evaluate --cv` learn from the pages' token
    /// hashes (`keepTokens`), which are kept either way.
    static func runsTextModel(_ rules: RuleSet) -> Bool { (rules.textModelWeight ?? 0) > 0 }

    func makeReport(page: Page, outcome: RuleEvaluator.Outcome, source: String) -> Report {
        var hits: [Hit] = []
        for (i, rule) in rules.rules.enumerated() where outcome.fired[i] && !rule.isHelper {
            hits.append(Self.hit(rule.spec, count: outcome.count[i], overriddenBy: rule.overriddenBy, evidence: outcome.evidence[i]))
        }
        if let weight = rules.textModelWeight, let judged = outcome.textJudgement {
            hits.append(TextModelHit.make(judged, weight: weight, file: rules.textModelWeightSource ?? ""))
        }
        hits.sort { ($0.points, $1.id) > ($1.points, $0.id) }
        let raw = hits.reduce(0) { $0 + $1.points }
        let score = min(100, max(0, raw))
        let thin = ThinContent.assess(page)
        var verdict = rules.cutoffs.verdict(for: score)
        if thin != nil && verdict == .lowRisk { verdict = .unknown }
        return Report(source: source, url: page.url, title: page.title, lang: outcome.language, declaredLang: page.lang, encoding: page.encoding,
                      score: score, rawScore: raw, verdict: verdict, cutoffs: rules.cutoffs,
                      hits: hits, ruleErrors: outcome.errors.sorted { $0.rule < $1.rule }, offers: outcome.offers,
                      thinContent: thin, rulesVersion: rules.version, textProbability: outcome.textJudgement?.probability, tokenHashes: outcome.tokenHashes)
    }

    /// A fired rule's line in the report. The spec is borrowed, not copied: a copy retains all
    /// it holds (phrases, examples and the rest), for every rule that fired on every page.
    static func hit(_ spec: borrowing RuleSpec, count: Int, overriddenBy: String?, evidence: [Evidence]) -> Hit {
        var points = spec.weight
        if let perHit = spec.perHit {
            let counted = min(count, spec.maxHits ?? 3)
            points += perHit * (counted - 1)
        }
        return Hit(id: spec.id, category: spec.category, descriptions: spec.descriptions, weight: spec.weight,
                   points: points, count: count, file: spec.location.file, overriddenBy: overriddenBy, evidence: evidence)
    }
}
