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

    /// Whether these are the default sources, the ones `RulePreload` reads ahead.
    var isDefault: Bool { rulePaths.isEmpty && !noBuiltinRules && !noUserRules }

    func load() throws -> RuleSet {
        if isDefault, let preloaded = RulePreload.take() { return try preloaded.get() }
        return try sources.load()
    }
}

/// The default rule set (built-ins, the user's folder, `SCAMSIFT_RULES`), read on a thread of
/// its own before the command line is parsed, for `score` without rule options: reading the
/// rule set's snapshot and parsing the command line (about a fifth of a start each) then
/// overlap instead of following each other. Whether `score` was asked for, and with no rule
/// option, is judged from the raw arguments; `RuleOptions.load` uses the result only when the
/// parsed options are the defaults too, so a guess that was wrong only costs the other core's
/// time. The same `RuleSources.load` runs either way, so the rule set, and any error in a
/// user's rules file (printed once, by `CLI.loadRules`), are the same.
enum RulePreload {
    private static let job = Mutex<BackgroundJob<Result<RuleSet, Error>>?>(nil)

    static func begin(_ arguments: [String]) {
        let ruleOptions: Set<String> = ["--rules", "--no-builtin-rules", "--no-user-rules"]
        guard arguments.count > 1, arguments[1] == "score",
              !arguments.contains(where: { ruleOptions.contains($0) || $0.hasPrefix("--rules=") }) else { return }
        job.withLock { $0 = BackgroundJob { Result { try RuleSources().load() } } }
    }

    /// The read-ahead rule set, waited for, if one was started and not yet taken.
    static func take() -> Result<RuleSet, Error>? {
        job.withLock { job in defer { job = nil }; return job }?.wait()
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
