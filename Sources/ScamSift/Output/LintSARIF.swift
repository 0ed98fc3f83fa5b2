import Foundation

/// `rules lint --format sarif`: the lint problems as a SARIF 2.1.0 log, the format code-scanning
/// tools (GitHub code scanning, IDE viewers) read. One run, one result per problem, each with a
/// stable `ruleId` naming the kind of problem, so that a scanner matches the same problem across
/// runs.
public enum LintSARIF {
    /// A kind of lint problem: its SARIF rule id, a one-line description, and the words of a
    /// message that mark it. Messages are matched in table order; the last kind takes the rest.
    public struct Kind: Sendable, Equatable {
        public var id: String
        public var summary: String
        var markers: [String]
    }

    public static let kinds: [Kind] = [
        Kind(id: "file-unreadable", summary: "The rules file cannot be read, is too large or is not UTF-8 text.",
             markers: ["cannot read the file", "not UTF-8", "above the limit", "no such rules file"]),
        Kind(id: "yaml-syntax", summary: "The file is not valid YAML, or its aliases expand too far.", markers: ["YAML"]),
        Kind(id: "unknown-key", summary: "A key that rules files do not have (often a misspelling).", markers: ["unknown key"]),
        Kind(id: "missing-translation", summary: "A rule a person is shown lacks a description in a language ScamSift speaks.",
             markers: ["description ("]),
        Kind(id: "missing-key", summary: "A rule lacks a key it needs (an id, a description, a matcher...).",
             markers: ["has no '", "has no matcher", "needs a", "needs '"]),
        Kind(id: "wrong-type", summary: "A value of the wrong type or out of range.", markers: ["must be"]),
        Kind(id: "test-page", summary: "A `tests:` entry names a page that does not exist.", markers: ["test page"]),
        Kind(id: "unknown-rule", summary: "A reference, override, disable or test names a rule or category that is not loaded.",
             markers: ["unknown rule", "unknown category"]),
        Kind(id: "duplicate-id", summary: "Two rules have the same id.", markers: ["duplicate rule id"]),
        Kind(id: "reference-cycle", summary: "Rules refer to each other in a cycle.", markers: ["cycle"]),
        Kind(id: "unused-helper", summary: "A helper rule that no other rule uses.", markers: ["used by no other rule"]),
        Kind(id: "no-examples", summary: "A rule without examples, so nothing tests it.", markers: ["no examples"]),
        Kind(id: "slow-pattern", summary: "A pattern that may run slowly: it backtracks, or is tried on nearly every page.",
             markers: ["backtrack", "nearly every page", "slow"]),
        Kind(id: "regex", summary: "A regular expression that does not compile.", markers: ["regex"]),
        Kind(id: "xpath", summary: "An XPath expression that does not compile.", markers: ["XPath"]),
        Kind(id: "phrase", summary: "A phrase that is empty or too short once normalised.", markers: ["phrase '"]),
        Kind(id: "lexicon", summary: "A lexicon, concept or language problem.", markers: ["concept", "lexicon", "language", "stopword"]),
        Kind(id: "rule-file", summary: "Any other problem in a rules file.", markers: []),
    ]

    public static func kind(of message: String) -> Kind {
        kinds.first { $0.markers.contains { message.contains($0) } } ?? kinds[kinds.count - 1]
    }

    /// The whole log. `toolVersion` is scamsift's version.
    public static func log(_ problems: [RuleFileError], toolVersion: String) -> String {
        let used = Set(problems.map { kind(of: $0.message).id })
        let rules = kinds.filter { used.contains($0.id) }
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results = problems.sorted().map { p -> Result in
            let id = kind(of: p.message).id
            return Result(ruleId: id, ruleIndex: ruleIndex[id] ?? 0, level: p.severity == .error ? "error" : "warning",
                          message: Message(text: p.message),
                          locations: [Location(physicalLocation: PhysicalLocation(
                              artifactLocation: artifact(p.file),
                              region: Region(startLine: max(1, p.line), startColumn: max(1, p.column))))])
        }
        let run = Run(tool: Tool(driver: Driver(name: "scamsift", semanticVersion: toolVersion,
                                                rules: rules.map { Rule(id: $0.id, shortDescription: Message(text: $0.summary)) })),
                      results: results)
        return ReportFormatter.jsonDocument(Log(schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [run]))
    }

    /// A relative path stays relative to the folder lint ran in, under the conventional base
    /// `%SRCROOT%` (left for the reader to define, so the log's bytes do not depend on the
    /// machine); an absolute path becomes a file URI.
    static func artifact(_ path: String) -> ArtifactLocation {
        if path.hasPrefix("/") { return ArtifactLocation(uri: "file://" + percentEncoded(path), uriBaseId: nil) }
        return ArtifactLocation(uri: percentEncoded(path), uriBaseId: "%SRCROOT%")
    }

    static func percentEncoded(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    struct Log: Encodable {
        var schema: String
        var version: String
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }
    struct Run: Encodable { var tool: Tool; var results: [Result] }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable { var name: String; var semanticVersion: String; var rules: [Rule] }
    struct Rule: Encodable { var id: String; var shortDescription: Message }
    struct Message: Encodable { var text: String }
    struct Result: Encodable { var ruleId: String; var ruleIndex: Int; var level: String; var message: Message; var locations: [Location] }
    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation; var region: Region }
    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
        // A relative address names its base; an absolute one has none (the key is left out,
        // as SARIF wants, rather than written as null).
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(uri, forKey: .uri)
            try c.encodeIfPresent(uriBaseId, forKey: .uriBaseId)
        }
        enum CodingKeys: String, CodingKey { case uri, uriBaseId }
    }
    struct Region: Encodable { var startLine: Int; var startColumn: Int }
}
