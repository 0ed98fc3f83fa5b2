import ArgumentParser

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check, test and inspect rules files.",
        subcommands: [RulesLintCommand.self, RulesTestCommand.self, RulesListCommand.self, RulesShowCommand.self, RulesLexiconCommand.self, RulesNewCommand.self]
    )
}
