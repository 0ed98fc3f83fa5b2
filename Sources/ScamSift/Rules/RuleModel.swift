/// A place in a rules file. Lines and columns count from 1.
public struct SourceLocation: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A problem found in a rules file, printed as `file:line:column: error: message`.
public struct RuleFileError: Error, Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int, column: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    init(_ location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.init(file: location.file, line: location.line, column: location.column, message: message, severity: severity)
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    public static func < (a: RuleFileError, b: RuleFileError) -> Bool {
        (a.location, a.message) < (b.location, b.message)
    }
}

/// Several problems at once: loading reports every problem it finds, not just the first.
public struct RuleLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleFileError]
    public var description: String { problems.sorted().map(\.description).joined(separator: "\n") }
}

/// A name written somewhere in a rules file: a rule id or a category.
public struct Reference: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
}

/// Where a rule looks.
public enum RuleTarget: Sendable, Hashable, CustomStringConvertible {
    case text, title, hidden, links, forms, scripts, meta, url
    /// The text of the nodes an XPath expression selects.
    case xpath(String)

    public static let named: [String: RuleTarget] = [
        "text": .text, "title": .title, "hidden": .hidden, "links": .links, "forms": .forms,
        "scripts": .scripts, "meta": .meta, "url": .url,
    ]

    /// Orders targets as their descriptions sort, without building the strings (hot in matching).
    static func precedes(_ a: RuleTarget, _ b: RuleTarget) -> Bool {
        func rank(_ t: RuleTarget) -> Int {
            switch t {
            case .forms: 0
            case .hidden: 1
            case .links: 2
            case .meta: 3
            case .scripts: 4
            case .text: 5
            case .title: 6
            case .url: 7
            case .xpath: 8
            }
        }
        if case let .xpath(x) = a, case let .xpath(y) = b { return x < y }
        return rank(a) < rank(b)
    }

    public var description: String {
        switch self {
        case .text: "text"
        case .title: "title"
        case .hidden: "hidden"
        case .links: "links"
        case .forms: "forms"
        case .scripts: "scripts"
        case .meta: "meta"
        case .url: "url"
        case let .xpath(e): "xpath:\(e)"
        }
    }
}

/// A phrase as written, with where it was written. `*` at either end lifts the word boundary there.
public struct PhraseSpec: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation
}

/// What makes a rule fire.
public enum MatcherSpec: Sendable, Hashable {
    case phrases([PhraseSpec])
    case regex(String, SourceLocation)
    /// A phrase of `a` and a phrase of `b` within `within` words of each other, in either order;
    /// with `sentence`, also in one sentence of one block (no block or sentence end between).
    case near(a: [PhraseSpec], b: [PhraseSpec], within: Int, sentence: Bool = false)
    /// At least `minCount` nodes match the expression.
    case xpath(String, minCount: Int, SourceLocation)
    case all([Reference])
    case any([Reference])
    case not(Reference)
    case nOf(Int, [Reference])
    /// Offers on the page (see `OfferExtractor`) that meet the condition.
    case offer(OfferCondition, SourceLocation)

    /// Rules this matcher reads the outcome of.
    public var references: [Reference] {
        switch self {
        case let .all(ids), let .any(ids), let .nOf(_, ids): ids
        case let .not(id): [id]
        default: []
        }
    }

    public var isBoolean: Bool { !references.isEmpty }
}

/// Words that, close before or after a phrase hit, cancel it ("no deposit", "জমা লাগবে না").
public struct NegationSpec: Sendable, Hashable {
    public var before: [PhraseSpec]
    public var after: [PhraseSpec]
    public var within: Int
    /// Phrases that cancel a hit anywhere in its sentence ("we never ask you to pay …").
    public var sentence: [PhraseSpec] = []
    /// Phrases that cancel a hit when they stand earlier in its sentence ("never … a fee").
    public var sentenceBefore: [PhraseSpec] = []
    /// Phrases that cancel a hit set between quote marks when they stand in its sentence
    /// (don't send money to any scheme that says "daily profit").
    public var quoted: [PhraseSpec] = []

    /// Every phrase the negation names, for the automaton.
    var allPhrases: [PhraseSpec] { before + after + sentence + sentenceBefore + quoted }
}

public struct ExamplesSpec: Sendable, Hashable {
    public var hit: [String] = []
    public var miss: [String] = []
    public var isEmpty: Bool { hit.isEmpty && miss.isEmpty }
}

/// One rule as written in a rules file.
public struct RuleSpec: Sendable, Hashable {
    public var id: String
    public var category: String
    /// What a person reads in the report, per language (`description: {en: …, bn: …}`).
    public var descriptions: LocalizedText
    public var weight: Int
    public var perHit: Int?
    public var maxHits: Int?
    public var targets: [RuleTarget]
    public var matcher: MatcherSpec
    public var negation: NegationSpec?
    public var unless: [Reference]
    /// Rules whose warning sections (see `opensSection`) this rule's hits do not count in.
    public var outside: [Reference] = []
    /// The rule's hits count only in a heading (or also a question), and mark the section it
    /// opens as a warning ("How to recognise the task scam?"): see `SectionOutline`.
    public var opensSection: SectionOpeners?
    public var examples: ExamplesSpec
    public var allowSlow: Bool
    public var location: SourceLocation

    /// Helper rules (id starting with `_`) feed other rules and are never scored or reported.
    public var isHelper: Bool { Self.isHelper(id: id) }
    static func isHelper(id: String) -> Bool { id.hasPrefix("_") }
    public var file: String { location.file }
    /// The English description (the fallback for every language without its own).
    public var description: String { descriptions.english }
    public var references: [Reference] { matcher.references + unless + outside }
}

/// Which blocks a rule with `opens_section` reads as the heads of warning sections.
public enum SectionOpeners: UInt8, Sendable, Hashable {
    /// Headings, `dt`s, summaries and short questions (`opens_section: true`).
    case headingsAndQuestions = 1
    /// `h1`–`h6` that ask nothing (`opens_section: headings`): "Beware of fraud" heads a
    /// warning, "Is this a scam?" heads a scheme's own answer.
    case headings = 2
}

/// A change to an existing rule's weight or description, made by a later file.
public struct OverrideSpec: Sendable, Hashable {
    public var id: String
    public var weight: Int?
    /// Extra points per further hit; a fitted scores file sets 0 so a rule's points are its weight.
    public var perHit: Int?
    /// Replaces the rule's descriptions in every language (a plain string is English only).
    public var descriptions: LocalizedText?
    public var location: SourceLocation
}

public struct DisableSpec: Sendable, Hashable {
    public var ids: [Reference] = []
    public var categories: [Reference] = []
}

/// A page-level test carried by a rules file.
public struct PageTestSpec: Sendable, Hashable {
    public var page: String
    public var verdict: Verdict?
    public var fires: [String]
    public var notFires: [String]
    public var location: SourceLocation
}

/// Score bands. A score at or above a cut-off is in that band.
public struct VerdictCutoffs: Sendable, Hashable, Codable {
    public var suspicious: Int
    public var likelyScam: Int

    public static let standard = VerdictCutoffs(suspicious: 30, likelyScam: 60)

    public func verdict(for score: Int) -> Verdict {
        score >= likelyScam ? .likelyScam : score >= suspicious ? .suspicious : .lowRisk
    }
}

public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
    case lowRisk = "low-risk"
    case suspicious
    case likelyScam = "likely-scam"
    /// Not enough content to judge (see `ThinContent`): never read as low-risk. Last, so the
    /// other verdicts keep their places in snapshots; it ranks above the others only in order.
    case unknown

    var rank: Int { Verdict.allCases.firstIndex(of: self)! }
    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
}

/// Everything one rules file says.
public struct RuleFile: Sendable {
    public var path: String
    public var rules: [RuleSpec] = []
    public var overrides: [OverrideSpec] = []
    public var disable = DisableSpec()
    public var verdicts: VerdictCutoffs?
    public var verdictsLocation: SourceLocation?
    /// `text_model: {weight: N}`: the points the text model adds at full certainty (a page's
    /// share is `round(N × max(0, 2p − 1))`, p the model's probability that it is a scam).
    public var textModelWeight: Int?
    public var tests: [PageTestSpec] = []
    /// A lexicon file's language (`language:`), such as `fr`; nil in an ordinary rules file.
    public var language: String?
    /// The language's own name (`name:`), for `rules lexicon`.
    public var languageName: String?
    /// Very common words of the language, used only to tell which language a page is in.
    public var stopwords: [PhraseSpec] = []
    /// Concepts defined here: a lexicon file's `concepts:`, or a rules file's `lexicon:` section.
    public var concepts: [ConceptSpec] = []
    /// Where `concepts:` (or `lexicon:`) stands, for warnings about the whole lexicon.
    public var conceptsLocation: SourceLocation?
    /// Warnings found while reading (errors are thrown).
    public var warnings: [RuleFileError] = []
}

/// One concept's phrases in one file: `deposit: [deposit, "dépôt*"]`. A rule that names
/// `{deposit}` matches the phrases of every loaded file that defines it.
public struct ConceptSpec: Sendable, Hashable {
    public var name: String
    public var phrases: [PhraseSpec]
    public var location: SourceLocation
}
