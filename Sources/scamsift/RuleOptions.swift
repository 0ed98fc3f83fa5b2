import ArgumentParser
import Foundation
import ScamSift

/// Rule options shared by every command that scores.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rules file or folder, added after the built-in rules (repeatable).", valueName: "file|dir"))
    var rulePaths: [String] = []

    @Flag(name: .customLong("no-builtin-rules"), help: "Use only the rules given with --rules.")
    var noBuiltinRules = false

    /// Built-ins, then the user folder, then SCAMSIFT_RULES, then --rules (see `RuleSources`).
    var sources: RuleSources {
        RuleSources(includeBuiltIn: !noBuiltinRules, commandLine: rulePaths)
    }

    func load() throws -> RuleSet {
        try sources.load()
    }
}

/// Errors are printed once, here at the edge, and end the command with code 2.
enum CLI {
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("scamsift: \(message)\n".utf8))
        return ExitCode(2)
    }

    static func stderr(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    /// Loads the rules, printing any problem once (as file:line:column) and exiting 2 on errors.
    /// Warnings about custom files are printed too; the built-ins are kept clean by the tests.
    static func loadRules(_ options: RuleOptions) throws -> RuleSet {
        do {
            let rules = try options.load()
            for warning in rules.warnings where !warning.file.hasPrefix("Rules/") { stderr(warning.description) }
            return rules
        } catch let error as RuleLoadError {
            stderr(error.description)
            throw ExitCode(2)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
