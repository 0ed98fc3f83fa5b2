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
        first that applies: 2 on unreadable input, a broken WARC record or bad rules (the other pages are still scored), \
        1 when a page scores at or above --fail-at, 3 when a page could not be judged (verdict \
        unknown), 0 otherwise.
        """
    )

    @Argument(help: ArgumentHelp("Saved pages, WARC web archives (every HTML record scored, as FILE#N), folders of them (read recursively), URLs (http(s), bare domains, defanged hxxps://site[.]com, file://), or - for standard input.", valueName: "path"))
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
    /// And no more pages than this many bytes at once (WARC records, standard input).
    static let chunkBytes = 64 * 1024 * 1024

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
        let inputs = PathExpansion.expand(paths.map { InputArgument.resolve($0) },
                                          globs: globs.isEmpty ? PathExpansion.defaultGlobs + PathExpansion.warcGlobs : globs,
                                          isURL: URLScorer.isURL)
        let fetched = await fetchOptions.fetchAndScore(inputs.map(\.name), engine: engine, charset: charset)
        // HTML: one document per page, so several pages (a folder argument, a WARC archive's
        // records) need a folder.
        var folder: HTMLFolder?
        if format == .html && !quiet {
            var isFolder: ObjCBool = false
            let outIsFolder = out.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue } ?? false
            let archive = inputs.contains { if case let .item(path) = $0 { WARCInput.isWARCFile(path) } else { false } }
            if inputs.count > 1 || archive || outIsFolder {
                guard let out else {
                    let what = archive ? "a WARC archive's pages" : "these \(inputs.count) pages"
                    throw CLI.fail("--format html writes one file per page: give -o FOLDER for \(what) (the folder is created if missing)")
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
        let (scorer, base, cs) = (engine, baseURL, charset)
        // Chunk by chunk, in the order given: each chunk's pages scored and rendered on all
        // cores while the chunk before it is written, so the cores never wait for the output.
        // A WARC file's records come a chunk at a time.
        var items = ScoreItems(inputs, fetched: fetched, limit: fetchOptions.maxBytes.value)
        var written = 0
        func startChunk() -> (chunk: [ScoreItem], job: BackgroundJob<[(ScoreOutcome, String?)?]>)? {
            let chunk = items.nextChunk(results: Self.chunk, bytes: Self.chunkBytes)
            if chunk.isEmpty { return nil }
            // Each result's place among all results (CSV's `line` column).
            var places: [Int] = []
            for item in chunk {
                places.append(written)
                if case .note = item {} else { written += 1 }
            }
            let at = places
            return (chunk, BackgroundJob {
                ParallelScorer.map(chunk) { i, item -> (ScoreOutcome, String?)? in
                    guard let outcome = item.outcome(engine: scorer, baseURL: base, charset: cs) else { return nil }
                    return (outcome, render ? renderer.render(outcome, index: at[i]) : nil)
                }
            })
        }
        var upcoming = startChunk()
        while let (chunk, job) = upcoming {
            let done = job.wait()
            upcoming = startChunk()
            for (item, result) in zip(chunk, done) {
                if !quiet, case let .note(line) = item { CLI.stderr("scamsift: \(line)") }
                if !quiet, case let .record(page) = item, page.truncated {
                    CLI.stderr("scamsift: \(TerminalSafe.clean(page.source)): only the first \(page.body.count) bytes of the page were scored (--max-bytes)")
                }
                guard let (outcome, rendered) = result else { continue }
                if case let .failure(source, message, _) = outcome { CLI.stderr("scamsift: \(TerminalSafe.clean(source)): \(message)") }
                if case let .report(r) = outcome {
                    flagged = flagged || r.score >= threshold
                    unknown = unknown || r.verdict == .unknown
                }
                tally.add(outcome)
                if render { try output.write(rendered, source: outcome.source) }
            }
        }
        if !quiet {
            output.end()
            if inputs.count > 1 || tally.pages > 1 {
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
