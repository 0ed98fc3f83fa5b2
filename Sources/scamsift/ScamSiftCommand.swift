import ArgumentParser
import Foundation
import ScamSift

@main
struct ScamSiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scamsift",
        abstract: "Tells whether an \"earn money online\" site is a real marketplace or an investment-first scam.",
        version: ReportFormatter.version,
        subcommands: [ScoreCommand.self, BatchCommand.self, ServeCommand.self, RulesCommand.self, EvaluateCommand.self, FitCommand.self, LearnCommand.self]
    )

    /// Like the default, but usage errors exit 2 (our "bad input" code) instead of 64.
    static func main() async {
        StartupWarmup.begin()
        RulePreload.begin(CommandLine.arguments)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
