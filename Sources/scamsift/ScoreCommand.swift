import ArgumentParser
import Foundation
import ScamSift
import ScamSiftFetch

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score saved pages: a risk score from 0 to 100, a verdict, and every reason behind it.",
        discussion: """
        Exit codes: 0 when every page scores below --fail-at, 1 when at least one is at or above it, \
        2 on unreadable input or bad rules (the other pages are still scored).
        """
    )

    @Argument(help: ArgumentHelp("HTML files or http(s) URLs to score; - reads standard input.", valueName: "path"))
    var paths: [String]

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var ruleOptions: RuleOptions

    @OptionGroup var textModelOptions: TextModelOptions

    /// For URL arguments: fetched with the same fetcher as `scamsift batch`.
    @OptionGroup(title: "Fetching (for URL arguments)") var fetchOptions: FetchOptions

    @Option(name: .customLong("base-url"), help: "The address the page was saved from, to resolve its relative links.")
    var baseURL: String?

    @Option(help: "The page's character set, if known; it beats what the page declares.")
    var charset: String?

    @Option(name: .customLong("fail-at"), help: "Exit 1 when a page scores at or above this (default: the likely-scam cut-off).")
    var failAt: Int?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one page to score (a path, or - for standard input)") }
        try fetchOptions.validateFetch()
        if let failAt, !(0...100).contains(failAt) { throw ValidationError("--fail-at must be between 0 and 100") }
        if let baseURL, URL(string: baseURL)?.scheme == nil { throw ValidationError("--base-url must be an absolute URL, such as https://example.com/") }
    }

    func run() async throws {
        let rules = try CLI.loadRules(ruleOptions)
        var engine = Engine(rules: rules)
        try textModelOptions.configure(&engine)
        let threshold = failAt ?? rules.cutoffs.likelyScam
        let fetched = await fetchOptions.fetchAndScore(paths, engine: engine, charset: charset)
        // Local files are independent: score them on all cores, keeping the order given.
        let local = paths.filter { fetched[$0] == nil }
        let scored = Dictionary(zip(local, ParallelScorer.score(paths: local, engine: engine, baseURL: baseURL, charset: charset)),
                                uniquingKeysWith: { first, _ in first })
        let outcomes: [ScoreOutcome] = paths.map { fetched[$0] ?? scored[$0]! }
        for case let .failure(source, message) in outcomes {
            CLI.stderr("scamsift: \(TerminalSafe.clean(source)): \(message)")
        }
        switch format {
        case .text: print(ReportFormatter.text(outcomes), terminator: "")
        case .json: print(ReportFormatter.json(outcomes, rulesVersion: rules.version), terminator: "")
        }
        let failed = outcomes.contains { if case .failure = $0 { true } else { false } }
        let flagged = outcomes.contains { if case let .report(r) = $0 { r.score >= threshold } else { false } }
        let unknown = outcomes.contains { if case let .report(r) = $0 { r.verdict == .unknown } else { false } }
        if failed { throw ExitCode(2) }
        if flagged { throw ExitCode(1) }
        // Not 0: a page that could not be judged is no clean result.
        if unknown { throw ExitCode(3) }
    }
}
