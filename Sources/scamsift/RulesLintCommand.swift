import ArgumentParser
import Foundation
import ScamSift

struct RulesLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate rules files without scoring anything.",
        discussion: "Checks every given file in one pass: each file on its own, then against the others and the built-in rules, then the pages and rule ids its tests name. Prints file:line:column: error|warning: message. Exit 0 when clean, 1 when there are only warnings and --strict was given, 2 on errors."
    )

    @Argument(help: ArgumentHelp("Rules files or folders.", valueName: "file|dir"))
    var paths: [String]

    @Flag(help: "Treat warnings as a failure (exit 1).")
    var strict = false

    @Option(name: [.short, .long], help: "Output format: text, json, or sarif (SARIF 2.1.0, for code-scanning tools).")
    var format: LintFormat = .text

    enum LintFormat: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    func run() throws {
        let problems = RuleLinter.lint(paths: paths)
        let errors = problems.filter { $0.severity == .error }.count
        let warnings = problems.count - errors
        switch format {
        case .text:
            for p in problems { print(p.description) }
            let files = (try? RulePaths.expand(paths).count) ?? 0
            CLI.stderr("\(files) file(s) checked: \(errors) error(s), \(warnings) warning(s)")
        case .json:
            struct Diagnostic: Encodable { var file: String; var line: Int; var column: Int; var severity: String; var message: String }
            struct Output: Encodable { var diagnostics: [Diagnostic]; var errors: Int; var warnings: Int }
            let out = Output(diagnostics: problems.map { Diagnostic(file: $0.file, line: $0.line, column: $0.column, severity: $0.severity.rawValue, message: $0.message) },
                             errors: errors, warnings: warnings)
            print(ReportFormatter.jsonDocument(out))
        case .sarif:
            print(LintSARIF.log(problems, toolVersion: ReportFormatter.version))
        }
        if errors > 0 { throw ExitCode(2) }
        if warnings > 0 && strict { throw ExitCode(1) }
    }
}
