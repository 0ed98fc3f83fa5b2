import ArgumentParser
import ScamSift

struct RulesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the rules in effect: built-in plus custom, after overrides and disables."
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Flag(help: "Include helper rules (ids starting with _) and disabled rules.")
    var all = false

    @OptionGroup(title: "Language") var languageOptions: LanguageOptions

    func run() throws {
        let rules = try CLI.loadRules(ruleOptions)
        let shown = rules.rules.filter { all || (!$0.spec.isHelper && !$0.isDisabled) }.sorted { $0.id < $1.id }
        // Descriptions in the reader's language (English where a rule has none in it).
        let language = languageOptions.language
        switch format {
        case .json:
            struct Row: Encodable {
                var id, category, description, file: String
                /// Every language the rule's description is written in.
                var descriptions: [String: String]
                var weight: Int
                var overridden_by, disabled_by: String?
            }
            print(ReportFormatter.jsonDocument(shown.map {
                Row(id: $0.id, category: $0.spec.category, description: $0.spec.descriptions.text(for: language),
                    file: $0.spec.file, descriptions: $0.spec.descriptions.texts,
                    weight: $0.spec.weight, overridden_by: $0.overriddenBy, disabled_by: $0.disabledBy)
            }))
        case .text:
            let rows = shown.map { r -> [String] in
                var file = r.spec.file
                if let o = r.overriddenBy { file += " (weight from \(o))" }
                if let d = r.disabledBy { file += " (disabled by \(d))" }
                return [r.id, r.spec.category, String(r.spec.weight), file, r.spec.descriptions.text(for: language)]
            }
            print(TextTable.render(header: ["id", "category", "weight", "file", "description"], rows: rows, rightAligned: [2]))
            print("\(shown.count) rules; verdicts: suspicious from \(rules.cutoffs.suspicious), likely-scam from \(rules.cutoffs.likelyScam)"
                  + (rules.cutoffsSource.map { " (set by \($0))" } ?? ""))
        }
    }
}
