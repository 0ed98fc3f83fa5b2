import ArgumentParser
import ScamSift

struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the examples and page tests of rules files (the built-in rules when none are given).",
        discussion: "Ends with 'N passed, N failed'. Exit 0 when all pass, 1 on a failure, 2 when the rules do not load."
    )

    @Argument(help: ArgumentHelp("Rules files or folders.", valueName: "file|dir"))
    var paths: [String] = []

    func run() throws {
        let outcome: RuleFileTester.Outcome
        do {
            outcome = try RuleFileTester.run(paths: paths)
        } catch let error as RuleLoadError {
            CLI.stderr(error.description)
            throw ExitCode(2)
        }
        for failure in outcome.failures { print("FAIL \(failure)") }
        print("\(outcome.passed) passed, \(outcome.failed) failed")
        if outcome.failed > 0 { throw ExitCode(1) }
    }
}
