import ArgumentParser
import Foundation
import ScamSift
import ScamSiftFetch

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score saved pages: a risk score from 0 to 100, a verdict, and every reason behind it.",
        discussion: """
        Results are written as each chunk of pages is scored, in the order given, so memory does \
        not grow with the number of pages. Several pages end with a summary line. Exit codes, the \
        first that applies: 2 on unreadable input or bad rules (the other pages are still scored), \
        1 when a page scores at or above --fail-at, 3 when a page could not be judged (verdict \
        unknown), 0 otherwise.
        """
    )

    @Argument(help: ArgumentHelp("Saved pages, folders of them (read recursively), URLs (http(s), bare domains, defanged hxxps://site[.]com, file://), or - for standard input.", valueName: "path"))
    var paths: [String]

    @Option(name: [.short, .long], help: "Output format: text, json, jsonl (one result per line), csv (the columns of batch) or html (one self-contained page per input, for a person to read).")
    var format: ScoreFormat = .text

    @Option(name: [.short, .customLong("out")], help: ArgumentHelp("Write the results to this file instead of standard output; with --format html and several pages, a folder that gets one file per page.", valueName: "file"))
    var out: String?

    @Flag(name: [.short, .long], help: "Print no results and no summary, only errors: the exit code says it all.")
    var quiet = false

    @Flag(help: "Start CSV output with a UTF-8 byte-order mark.")
    var bom = false

    @Flag(help: "CSV for Excel: --format csv with --bom.")
    var excel = false

    @Option(help: "Colour the verdict: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Print only the headline, the score and the three strongest reasons of each page (text output).")
    var brief = false

    @Flag(name: .customLong("rule-ids"), help: "Show each reason's rule id in the text report (for rule writers).")
    var ruleIDs = false

    @OptionGroup(title: "Language") var languageOptions: LanguageOptions

    @Option(name: .customLong("glob"), help: ArgumentHelp("Which files of a folder to score, such as '*.html' (repeatable; default: the usual saved-page extensions).", valueName: "pattern"))
    var globs: [String] = []

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

    /// Pages scored at once before their results are written: enough to keep every core busy,
    /// few enough that memory does not grow with the number of pages.
    static let chunk = 256

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one page to score (a path, or - for standard input)") }
        try fetchOptions.validateFetch()
        if let failAt, !(0...100).contains(failAt) { throw ValidationError("--fail-at must be between 0 and 100") }
        if let baseURL, URL(string: baseURL)?.scheme == nil { throw ValidationError("--base-url must be an absolute URL, such as https://example.com/") }
        if brief && (format != .text || excel) { throw ValidationError("--brief goes with the text format") }
        if format == .html {
            if excel || bom { throw ValidationError("--excel and --bom are for CSV, not --format html") }
            if paths.count > 1 && out == nil {
                throw ValidationError("--format html writes one file per page: give -o FOLDER for several pages (the folder is created if missing)")
            }
        }
    }

    func run() async throws {
        let rules = try CLI.loadRules(ruleOptions)
        var engine = Engine(rules: rules)
        try textModelOptions.configure(&engine)
        let threshold = failAt ?? rules.cutoffs.likelyScam
        // Read as batch reads its list: bare domains, defanged and file:// URLs too.
        let inputs = PathExpansion.expand(paths.map { InputArgument.resolve($0) }, globs: globs, isURL: URLScorer.isURL)
        let fetched = await fetchOptions.fetchAndScore(inputs.map(\.name), engine: engine, charset: charset)
        // HTML: one document per page, so several pages (a folder argument, say) need a folder.
        var folder: HTMLFolder?
        if format == .html && !quiet {
            var isFolder: ObjCBool = false
            let outIsFolder = out.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue } ?? false
            if inputs.count > 1 || outIsFolder {
                guard let out else {
                    throw CLI.fail("--format html writes one file per page: give -o FOLDER for these \(inputs.count) pages (the folder is created if missing)")
                }
                folder = try HTMLFolder(path: out)
            }
        }
        let handle: FileHandle
        if folder != nil {
            handle = FileHandle.standardOutput
        } else if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let h = FileHandle(forWritingAtPath: out) else {
                throw CLI.fail("\(out): cannot write the results there")
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        // Native digits are for what a person reads: the text report and HTML.
        let textFormat = (format == .text || format == .html) && !excel
        let renderer = ScoreRenderer(format: excel ? .csv : format, rulesVersion: rules.version,
                                     color: color.enabled(terminal: out == nil && isatty(STDOUT_FILENO) == 1), ruleSources: rules.sources,
                                     explainer: languageOptions.explainer(text: textFormat), brief: brief, ruleIDs: ruleIDs)
        let output = ScoreOutput(renderer: renderer, bom: bom || excel, handle: handle, folder: folder)
        if !quiet { output.begin() }
        var tally = ScoreTally()
        var flagged = false, unknown = false
        let render = !quiet
        // Chunk by chunk, in the order given: each chunk's files scored and rendered on all
        // cores while the chunk before it is written, so the cores never wait for the output.
        func startChunk(at start: Int) -> BackgroundJob<[(ScoreOutcome, String?)]> {
            let slice = inputs[start..<min(inputs.count, start + Self.chunk)]
            var local: [String] = [], localIndex: [Int] = []
            for (offset, input) in slice.enumerated() {
                if case let .item(path) = input, fetched[path] == nil { local.append(path); localIndex.append(start + offset) }
            }
            let paths = local, indexes = localIndex, engine = engine
            return BackgroundJob {
                ParallelScorer.score(paths: paths, engine: engine, baseURL: baseURL, charset: charset) { i, outcome in
                    (outcome, render ? renderer.render(outcome, index: indexes[i]) : nil)
                }
            }
        }
        var upcoming = inputs.isEmpty ? nil : startChunk(at: 0)
        var start = 0
        while let job = upcoming {
            let done = job.wait()
            let slice = inputs[start..<min(inputs.count, start + Self.chunk)]
            upcoming = start + Self.chunk < inputs.count ? startChunk(at: start + Self.chunk) : nil
            var next = 0
            for (offset, input) in slice.enumerated() {
                let outcome: ScoreOutcome, rendered: String?
                switch input {
                case let .item(path) where fetched[path] != nil:
                    outcome = fetched[path]!
                    rendered = render ? renderer.render(outcome, index: start + offset) : nil
                case .item:
                    (outcome, rendered) = done[next]
                    next += 1
                case let .problem(path, why, kind):
                    outcome = .failure(source: path, message: why, kind: kind)
                    rendered = render ? renderer.render(outcome, index: start + offset) : nil
                }
                if case let .failure(source, message, _) = outcome { CLI.stderr("scamsift: \(TerminalSafe.clean(source)): \(message)") }
                if case let .report(r) = outcome {
                    flagged = flagged || r.score >= threshold
                    unknown = unknown || r.verdict == .unknown
                }
                tally.add(outcome)
                if render { try output.write(rendered, source: outcome.source) }
            }
            start += Self.chunk
        }
        if !quiet {
            output.end()
            if inputs.count > 1 {
                // On standard output only after a text report; machine formats keep it to stderr.
                let line = tally.line(languageOptions.explainer(text: textFormat))
                if format == .text && out == nil { print("\n" + line) } else { CLI.stderr(line) }
            }
        }
        if tally.errors > 0 { throw ExitCode(2) }
        if flagged { throw ExitCode(1) }
        // Not 0: a page that could not be judged is no clean result.
        if unknown { throw ExitCode(3) }
    }
}

/// Work started on another thread at once, whose result the caller waits for later.
// @unchecked: `result` is written once, before `ready` is signalled, and read only after
// `wait()` has waited for that signal.
final class BackgroundJob<T>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private var result: T?

    init(_ work: @escaping @Sendable () -> T) {
        DispatchQueue.global().async {
            self.result = work()
            self.ready.signal()
        }
    }

    func wait() -> T {
        ready.wait()
        return result!
    }
}
