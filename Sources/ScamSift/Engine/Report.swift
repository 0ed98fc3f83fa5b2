/// The outcome of scoring one page: the score, the verdict, and every rule behind them.
public struct Report: Sendable, Codable, Equatable {
    /// What was scored: a file path, a URL or "-" for stdin.
    public var source: String
    public var url: String?
    public var title: String
    /// The language the page is written in, told from its text (script and common words).
    public var lang: String?
    /// The language the page declares in `<html lang>`, if any.
    public var declaredLang: String?
    public var encoding: String
    /// 0 to 100: the sum of `points` of all hits, clamped.
    public var score: Int
    /// The sum before clamping, so nothing is hidden by the clamp.
    public var rawScore: Int
    public var verdict: Verdict
    public var cutoffs: VerdictCutoffs
    /// Every rule that fired and is scored, by points (largest first), then id.
    public var hits: [Hit]
    /// Rules that could not finish on this page (for example a regex over its time budget),
    /// and offers dropped as outside the sane range (rule "offers").
    public var ruleErrors: [RuleRuntimeError]
    /// Every offer the page makes, in page order (see `OfferExtractor`).
    public var offers: [Offer] = []
    /// Why the page could not be judged, when it shows too little (verdict `unknown`, unless
    /// its rules raised it to suspicious or above); nil when it shows enough.
    public var thinContent: ThinContent?
    /// The version of the rule set that scored the page (`RuleSet.version`).
    public var rulesVersion = ""

    /// The version of this JSON shape: raised when a key changes meaning or goes away (new
    /// keys may appear without it).
    public static let schemaVersion = 1
    /// The text model's probability that the page is a scam (nil: no text model ran).
    public var textProbability: Double?
    /// The page's distinct token hashes, when the engine was asked to keep them (not in JSON).
    public var tokenHashes: [UInt64]?

    /// The highest simple yearly return of any offer on the page.
    public var maxAnnualPercent: Double? { offers.compactMap(\.annualPercent).max() }

    enum CodingKeys: String, CodingKey {
        case source, url, title, lang, declaredLang = "declared_lang", encoding, score, rawScore = "raw_score", verdict, cutoffs, hits, ruleErrors = "rule_errors"
        case offers, textProbability = "text_probability", thinContent = "thin_content"
        case rulesVersion = "rules_version", schemaVersion = "schema_version"
        case headline, advice
    }

    /// Every key is written, null when unknown, so a reader never has to guess whether a key
    /// is missing or empty.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(url, forKey: .url)
        try c.encode(title, forKey: .title)
        try c.encode(lang, forKey: .lang)
        try c.encode(declaredLang, forKey: .declaredLang)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(score, forKey: .score)
        try c.encode(rawScore, forKey: .rawScore)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(cutoffs, forKey: .cutoffs)
        try c.encode(hits, forKey: .hits)
        try c.encode(ruleErrors, forKey: .ruleErrors)
        try c.encode(offers, forKey: .offers)
        try c.encode(textProbability, forKey: .textProbability)
        try c.encode(thinContent, forKey: .thinContent)
        try c.encode(rulesVersion, forKey: .rulesVersion)
        try c.encode(Self.schemaVersion, forKey: .schemaVersion)
        // For a person, in the language the encoder was given (`Explainer.userInfoKey`).
        let explainer = Explainer.of(encoder)
        try c.encode(explainer.headline(self), forKey: .headline)
        try c.encode(explainer.advice(verdict), forKey: .advice)
    }
}

extension Report {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        title = try c.decode(String.self, forKey: .title)
        lang = try c.decodeIfPresent(String.self, forKey: .lang)
        declaredLang = try c.decodeIfPresent(String.self, forKey: .declaredLang)
        encoding = try c.decode(String.self, forKey: .encoding)
        score = try c.decode(Int.self, forKey: .score)
        rawScore = try c.decode(Int.self, forKey: .rawScore)
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        cutoffs = try c.decode(VerdictCutoffs.self, forKey: .cutoffs)
        hits = try c.decode([Hit].self, forKey: .hits)
        ruleErrors = try c.decode([RuleRuntimeError].self, forKey: .ruleErrors)
        offers = try c.decodeIfPresent([Offer].self, forKey: .offers) ?? []
        textProbability = try c.decodeIfPresent(Double.self, forKey: .textProbability)
        thinContent = try c.decodeIfPresent(ThinContent.self, forKey: .thinContent)
        rulesVersion = try c.decodeIfPresent(String.self, forKey: .rulesVersion) ?? ""
    }
}

public struct Hit: Sendable, Codable, Equatable {
    public var id: String
    public var category: String
    /// The rule's description in every language it has (JSON writes the one asked for).
    public var descriptions: LocalizedText
    /// The English description.
    public var description: String { descriptions.english }
    /// The rule's weight (after any override).
    public var weight: Int
    /// What this hit adds to the score: the weight, plus `per_hit` for repeats up to `max_hits`.
    public var points: Int
    /// How many times the rule matched on the page.
    public var count: Int
    /// The rules file that defined the rule.
    public var file: String
    /// The rules file whose `override:` set its weight or description, if any.
    public var overriddenBy: String?
    public var evidence: [Evidence]

    enum CodingKeys: String, CodingKey {
        case id, category, description, weight, points, count, file, overriddenBy = "overridden_by", evidence
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(category, forKey: .category)
        try c.encode(descriptions.text(for: Explainer.of(encoder).localizer.language), forKey: .description)
        try c.encode(weight, forKey: .weight)
        try c.encode(points, forKey: .points)
        try c.encode(count, forKey: .count)
        try c.encode(file, forKey: .file)
        try c.encode(overriddenBy, forKey: .overriddenBy)
        try c.encode(evidence, forKey: .evidence)
    }
}

extension Hit {
    public init(id: String, category: String, description: String, weight: Int, points: Int, count: Int, file: String,
                overriddenBy: String?, evidence: [Evidence]) {
        self.init(id: id, category: category, descriptions: LocalizedText(description), weight: weight, points: points,
                  count: count, file: file, overriddenBy: overriddenBy, evidence: evidence)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), category: try c.decode(String.self, forKey: .category),
                  description: try c.decode(String.self, forKey: .description), weight: try c.decode(Int.self, forKey: .weight),
                  points: try c.decode(Int.self, forKey: .points), count: try c.decode(Int.self, forKey: .count),
                  file: try c.decode(String.self, forKey: .file), overriddenBy: try c.decodeIfPresent(String.self, forKey: .overriddenBy),
                  evidence: try c.decode([Evidence].self, forKey: .evidence))
    }
}

public struct Evidence: Sendable, Codable, Equatable {
    /// Where it was seen: text, title, hidden, links, forms, scripts, meta, url, xpath:…, or rule (for combinations).
    public var target: String
    /// The matched text as the page wrote it (or the XPath of a node, or a rule id).
    public var match: String
    /// The match with about 40 characters of context on each side, within its block.
    public var context: String
}

public struct RuleRuntimeError: Sendable, Codable, Equatable, Error {
    public var rule: String
    public var message: String
}

extension VerdictCutoffs {
    enum CodingKeys: String, CodingKey { case suspicious, likelyScam = "likely_scam" }
}
