/// What a page's result means for a person, in one language: a headline, every reason in
/// plain words with what it saw, and what to do. Built by `Explainer` from a `Report`; the text
/// report, `--brief` and JSON's `headline` and `advice` print it, and an HTML report can too.
public struct Explanation: Sendable, Equatable {
    /// The language it is written in (`en`, `bn`).
    public var language: String
    /// One or two sentences: what the site does and what that means.
    public var headline: String
    /// The verdict in words (`likely-scam`, `সম্ভবত প্রতারণা`).
    public var verdict: String
    /// Every reason a person is shown, in the report's order (points, largest first).
    /// Helper rules are never among them.
    public var reasons: [Reason]
    /// What to do, a few short sentences, depending on the verdict.
    public var advice: [String]

    public struct Reason: Sendable, Equatable {
        /// The rule's id, for rule writers (`--rule-ids`); `text_model` for the text model.
        public var id: String
        /// What it belongs to for the headline (`pays-first`, `marketplace`…), if anything.
        public var theme: String?
        public var points: Int
        /// How often it matched on the page.
        public var count: Int
        /// The reason in plain words, in the explanation's language.
        public var text: String
        /// Where it was seen and what the page said.
        public var quotes: [Quote]
    }

    /// One piece of evidence: a place ("on the page", "in a link") and the page's words, with
    /// the match in «…». The words are the page's own and are never translated.
    public struct Quote: Sendable, Equatable {
        public var place: String
        public var text: String
        /// For rule writers only: the non-helper rule a combining rule read this from.
        public var rule: String?
        /// The same words split around what was found, so a renderer can pick it out (HTML's
        /// `<mark>`) instead of the «…»; nil when nothing in the text is the match.
        public var highlight: Highlight? = nil
    }

    /// A quote's text as the words before the match, the match, and the words after it.
    public struct Highlight: Sendable, Equatable {
        public var before: String
        public var match: String
        public var after: String

        public init(before: String, match: String, after: String) {
            self.before = before
            self.match = match
            self.after = after
        }
    }

    /// The reasons that weigh most (by points, either way), leaving out those worth nothing.
    public func strongest(_ n: Int) -> [Reason] {
        Array(reasons.filter { $0.points != 0 }
            .sorted { (abs($0.points), $1.id) > (abs($1.points), $0.id) }
            .prefix(n))
    }
}
