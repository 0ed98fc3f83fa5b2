import ArgumentParser
import ScamSift

struct RulesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one rule in full, with its examples.")

    @Argument(help: "The rule id.")
    var id: String

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let rules = try CLI.loadRules(ruleOptions)
        guard let rule = rules.rule(id) else {
            throw CLI.fail("no rule '\(id)'" + RuleSuggestions.didYouMean(id, among: rules.rules.map(\.id)))
        }
        print(RuleDescriber.describe(rule), terminator: "")
    }
}
