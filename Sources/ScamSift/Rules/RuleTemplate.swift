/// The commented starting point `scamsift rules new` writes: one rule with every common key,
/// its examples (which `rules test` runs), and a note on where each key is explained.
public enum RuleTemplate {
    /// A rule id is lowercase words joined by `_`, in a `category.` namespace.
    public static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { p in
            !p.isEmpty && p.first!.isLetter && p.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
        }
    }

    public static func yaml(id: String) -> String {
        let category = String(id.split(separator: ".").first ?? "custom")
        return """
        # A rules file of your own. Check it with `scamsift rules lint FILE`, run its examples with
        # `scamsift rules test FILE`, and use it with `scamsift score --rules FILE page.html`.
        # Every key is explained in Rules/README.md ("Rule keys"); the built-in rules in Rules/ are
        # worked examples.
        rules:
          - id: \(id)
            category: \(category)
            # One line a person reads in the report: what the page does, not how it is matched,
            # in plain words. Give one per language ScamSift speaks (en, bn; `rules lint` warns
            # about a missing one); a plain text instead of the mapping is English.
            description:
              en: Asks for a "verification deposit" before the first task is paid
              bn: প্রথম কাজের টাকা দেওয়ার আগে "ভেরিফিকেশন ডিপোজিট" চায়
            # Points when it fires (the built-in weights are fitted: see Rules/scores.yaml).
            # A negative weight marks a sign of a legitimate site.
            weight: 20
            # Phrases are matched on whole words, case and accents folded. {concept} names a
            # concept of the lexicons (Rules/lexicon/), so one rule reads every language:
            # `scamsift rules lexicon` lists them.
            phrases:
              - "verification deposit"
              - "{deposit} to verify"
            # A hit is cancelled when a negation stands just before it ("we never ask for a …"),
            # or a denial anywhere in its sentence ("sentence", "sentence_before": Rules/README.md).
            negated_by: {before: ["{no}"], within: 3}
            # Where to look: text (the default), title, meta, links, forms, scripts, hidden, url.
            target: text
            # The rule stays silent on pages where these fire (for example warning articles).
            unless: [context.warning_article]
            # Hits under a warning's heading or question ("How to spot the task scam?") do not count.
            outside: [_warning_section]
            # Examples are tests: every hit must fire and every miss must not.
            examples:
              hit:
                - "<p>Pay a verification deposit of $20 to unlock your first task.</p>"
              miss:
                - "<p>We never ask for a verification deposit.</p>"
                - "<p>Post a task for free.</p>"

        """
    }
}
