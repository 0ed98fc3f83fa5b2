import Foundation

/// The report's `text model` line: the points the token model adds, and the words that
/// pushed it most as its evidence.
public enum TextModelHit {
    /// The hit's id in reports and batch rows' `top_hits`.
    public static let id = "text_model"

    /// Points for a page: `round(weight × lean(p))`, from 0 to the weight (surely a scam).
    static func points(probability p: Double, weight: Int) -> Int {
        Int((Double(weight) * lean(p)).rounded())
    }

    /// How far the words lean to "scam": `max(0, 2p − 1)`. Words that lean to "legit", or
    /// that the model does not know (a language it never learned gives p = 0.5), add nothing.
    /// On grouped cross-validation this kept the rules' precision and raised recall, where
    /// `2p − 1` (which also takes points away) and `p` (which gives an unknown page half the
    /// weight) did not; see the README's "The text model".
    static func lean(_ p: Double) -> Double {
        max(0, 2 * p - 1)
    }

    static func make(_ judged: TextModel.Judgement, weight: Int, file: String) -> Hit {
        let evidence = judged.tokens.map { t in
            Evidence(target: "word", match: t.text,
                     context: tokenContext(t))
        }
        return Hit(id: id, category: "text", description: description(judged.probability),
                   weight: weight, points: points(probability: judged.probability, weight: weight), count: 1,
                   file: file, overriddenBy: nil, evidence: evidence)
    }

    static func description(_ p: Double) -> String {
        "text model: the page's words, as a token model learned on labeled pages reads them (scam probability "
            + String(format: "%.2f", p) + ")"
    }

    static func tokenContext(_ t: TextModel.Judgement.Pushed) -> String {
        "\(t.text): on \(t.scamPages) scam and \(t.legitPages) legit training pages"
    }

    /// The page counts `tokenContext` wrote, for a report in another language.
    static func counts(fromContext context: String) -> (scam: Int, legit: Int)? {
        guard let on = context.range(of: ": on ", options: .backwards) else { return nil }
        let words = context[on.upperBound...].split(separator: " ")
        guard words.count >= 4, let scam = Int(words[0]), let legit = Int(words[3]) else { return nil }
        return (scam, legit)
    }
}
