import ArgumentParser
import Foundation
import ScamSift
import Synchronization

/// Rule options shared by every command that scores.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rules file or folder, added after the built-in rules (repeatable).", valueName: "file|dir"))
    var rulePaths: [String] = []

    @Flag(name: .customLong("no-builtin-rules"), help: "Leave out the built-in rules.")
    var noBuiltinRules = false

    @Flag(name: .customLong("no-user-rules"), help: "Leave out the user's rules folder and SCAMSIFT_RULES.")
    var noUserRules = false

    /// Built-ins, then the user folder, then SCAMSIFT_RULES, then --rules (see `RuleSources`).
    var sources: RuleSources {
        RuleSources(includeBuiltIn: !noBuiltinRules, includeUser: !noUserRules, commandLine: rulePaths)
    }

    func load() throws -> RuleSet {
        try sources.load()
    }
}

/// Errors are printed once, here at the edge, and end the command with code 2.
enum CLI {
    /// Every rule set loaded, kept until the process exits: freeing one (hundreds of thousands
    /// of phrases, tables and strings) when a command returns cost a few milliseconds of a
    /// one-page run, for memory the process was about to give back anyway.
    static let loaded = Mutex<[RuleSet]>([])

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
            loaded.withLock { $0.append(rules) }
            return rules
        } catch let error as RuleLoadError {
            stderr(error.description)
            throw ExitCode(2)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
