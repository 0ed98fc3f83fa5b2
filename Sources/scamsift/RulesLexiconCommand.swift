import ArgumentParser
import ScamSift

struct RulesLexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Print the concept × language table: how many phrases each language gives each concept.",
        discussion: "A '-' marks a concept a language lacks. Rules name concepts as {name}; see Rules/README.md."
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func run() throws {
        let rules = try CLI.loadRules(ruleOptions)
        let table = LexiconTable(rules.concepts)
        switch format {
        case .json: print(ReportFormatter.jsonDocument(table))
        case .text: print(table.text, terminator: "")
        }
    }
}
