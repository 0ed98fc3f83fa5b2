/// A text written in one or more languages, such as a rule's description
/// (`description: {en: …, bn: …}`). A plain string is English.
public struct LocalizedText: Sendable, Hashable {
    /// Language code (`en`, `bn`) → text. Never empty.
    public private(set) var texts: [String: String]

    /// English text: what a plain `description:` string is.
    public init(_ english: String) { texts = ["en": english] }

    /// Texts by language code; an empty map becomes an empty English text.
    public init(texts: [String: String]) { self.texts = texts.isEmpty ? ["en": ""] : texts }

    /// The languages it is written in, sorted.
    public var languages: [String] { texts.keys.sorted() }

    /// The English text, or the fallback when there is none.
    public var english: String { text(for: "en") }

    /// The text in `language`, else English, else the first language in code order.
    public func text(for language: String) -> String {
        texts[language] ?? texts["en"] ?? texts[languages[0]]!
    }

    /// Whether `language` has its own text (not a fallback).
    public func has(_ language: String) -> Bool { texts[language] != nil }
}
