import ArgumentParser
import Foundation
import ScamSift
import ScamSiftFetch

struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Fetch and score a list of URLs (or saved pages), one row per entry, as they finish.",
        discussion: """
        The list has one entry per line, read as score reads its arguments: a URL, a bare domain \
        (https://domain/), a defanged URL (hxxps://site[.]com), or a saved page on this machine (a path \
        or a file:// URL; a folder means its pages, recursively, filtered by --glob). Blank lines and \
        # comments are skipped, and duplicates are done once. Instead of a list, batch also takes one \
        folder, URL or domain directly. Rows are written and flushed one by one, \
        so an interrupted run keeps every finished row; run the same command with --resume to finish it.

        --shard K/N (0 ≤ K < N) takes only the URLs whose stable hash modulo N is K: N runs with \
        K = 0…N-1 cover the list exactly once, and their JSONL files concatenate into the whole.

        Exit codes: 130 when stopped by SIGINT, 143 by SIGTERM; 2 on bad arguments, an unusable list or \
        results file, or when every row failed (any row, with --fail-on-errors); 1 when a row is at or \
        above --fail-at; 0 otherwise.
        """
    )

    @Argument(help: ArgumentHelp("A file with one URL or path per line, - for standard input, or one folder, URL or domain.", valueName: "list"))
    var list: String

    @Option(help: ArgumentHelp("Which files of a folder to score (repeatable; default: *.html, *.htm, *.mhtml, …).", valueName: "pattern"))
    var glob: [String] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Write the rows here (default: standard output).", valueName: "file"))
    var out: String?

    @Option(name: [.short, .customLong("format")], help: "Output format: jsonl, csv or table.")
    var formatOption: BatchFormat = .jsonl

    /// The format written: --excel means CSV.
    var format: BatchFormat { excel ? .csv : formatOption }

    @Option(help: "URLs in progress at once.")
    var concurrency: Int = 16

    @Option(name: .customLong("per-host"), help: "Requests in flight to one host at once.")
    var perHost: Int = 2

    @Option(help: "Also fetch up to N same-site pages the landing page links to (plans, deposit, FAQ, terms…); the site scores as its highest page.")
    var crawl: Int = 0

    @Flag(help: "Keep the rows already in --out and skip their URLs.")
    var resume = false

    @Option(help: ArgumentHelp("Process only shard K of N (0 ≤ K < N), by URL hash.", valueName: "K/N"))
    var shard: String?

    @Flag(name: [.short, .long], help: "No progress line and no summary on standard error.")
    var quiet = false

    @Option(name: .customLong("fail-at"), help: "Exit 1 when a row scores at or above this (default: the likely-scam cut-off; 101: never).")
    var failAt: Int?

    @Flag(name: .customLong("fail-on-errors"), help: "Exit 2 when any row failed (without it: only when every row failed).")
    var failOnErrors = false

    @Flag(help: "Start CSV output with a UTF-8 byte-order mark.")
    var bom = false

    @Flag(help: "CSV for Excel: --format csv with --bom.")
    var excel = false

    @Option(help: ArgumentHelp("Also write a one-page HTML summary here: sites per verdict, a histogram of scores, and the 200 riskiest sites with their strongest reasons and details (in --lang's language).", valueName: "file.html"))
    var report: String?

    @OptionGroup(title: "Language (of --report)") var languageOptions: LanguageOptions

    @OptionGroup var fetchOptions: FetchOptions

    @OptionGroup var ruleOptions: RuleOptions

    @OptionGroup var textModelOptions: TextModelOptions

    @Option(help: .hidden)
    var grace: Double = 1

    func validate() throws {
        try fetchOptions.validateFetch()
        if !(1...1024).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 1024") }
        if !(1...64).contains(perHost) { throw ValidationError("--per-host must be between 1 and 64") }
        if !(0...20).contains(crawl) { throw ValidationError("--crawl must be between 0 and 20") }
        if let failAt, !(0...101).contains(failAt) { throw ValidationError("--fail-at must be between 0 and 100, or 101 for never") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be K/N with 0 ≤ K < N, such as 0/4") }
        if let report {
            if report == out { throw ValidationError("--report needs a file of its own, not the results file --out") }
            if report == "-" { throw ValidationError("--report needs a file name (the rows go to standard output)") }
        }
        if resume {
            if out == nil { throw ValidationError("--resume needs --out FILE: the rows to keep are read from it") }
            if format == .table { throw ValidationError("--resume needs --format jsonl or csv") }
        }
    }

    func run() async throws {
        let rules = try CLI.loadRules(ruleOptions)
        var engine = Engine(rules: rules)
        try textModelOptions.configure(&engine)
        let threshold = failAt ?? rules.cutoffs.likelyScam

        if list != "-", Self.looksLikeAPage(list) {
            throw CLI.fail("\(TerminalSafe.clean(list)): this is a web page, not a list of URLs; score it with `scamsift score \(TerminalSafe.clean(list))`")
        }
        // --report: counts, a histogram and the riskiest rows, from every row written (and kept).
        let collector = report.map { _ in BatchReportCollector() }
        let source: any BatchLines
        var resumeState = ResumeState()
        let writer: RowWriter
        do {
            source = try Self.entries(list)
            if resume, let out { resumeState = try ResumeState.load(path: out, format: format) { collector?.add($0) } }
            if let out {
                writer = try RowWriter(path: out, format: format, append: resume)
            } else {
                writer = RowWriter(stdoutFormat: format)
            }
            if !resume || resumeState.needsHeader { try writer.writeHeader(bom: bom || excel) }
            if let collector { writer.observer = { collector.add($0) } }
        } catch let e as BatchInputError {
            throw CLI.fail(e.description)
        }
        if resumeState.repairedTail, let out {
            CLI.stderr("scamsift: \(TerminalSafe.clean(out)): dropped a half-written last row; its URL will be done again")
        }

        var options = BatchOptions()
        options.fetch = fetchOptions.config
        options.fetch.perHost = perHost
        options.concurrency = concurrency
        options.crawl = crawl
        options.shard = shard.flatMap(Shard.init) ?? .all
        options.grace = grace
        options.globs = glob
        // A process-wide malloc setting, so it is made here, for this process, not by the library.
        FreedMemory.returnLargeBlocksAtOnce()
        let runner = BatchRunner(engine: engine, options: options)

        let stopper = SignalStopper { runner.stop() }
        defer { stopper.cancel() }

        // Progress only where a person watches, and not on top of a table printed to the same terminal.
        let showProgress = !quiet && isatty(2) != 0 && (out != nil || isatty(1) == 0)
        var progressTask: Task<Void, Never>?
        if showProgress {
            if source is LineSource, list != "-" { Self.countInBackground(list, shard: options.shard, progress: runner.progress) }
            progressTask = Task.detached {
                while !Task.isCancelled {
                    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + BatchProgress.line(runner.progress.snapshot)).utf8))
                    try? await Task.sleep(for: .milliseconds(250))
                }
            }
        }

        let summary: BatchSummary
        do {
            summary = try await options.fetch.withClient { client in
                try await runner.run(source: source, writer: writer, resume: resumeState, client: client)
            }
        } catch let e as BatchInputError {
            progressTask?.cancel()
            throw CLI.fail(e.description)
        }
        progressTask?.cancel()
        await progressTask?.value
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        stopper.cancel()

        if !quiet { FileHandle.standardError.write(Data(summary.text(outName: out.map(TerminalSafe.clean)).utf8)) }
        if let report, let collector {
            // Written after an interrupted run too: it sums up the rows that were written.
            var options = BatchHTMLReport.Options()
            options.rulesVersion = rules.version
            let html = BatchHTMLReport.render(collector.data, cutoffs: rules.cutoffs, explainer: languageOptions.explainer(),
                                              describe: { rules.rule($0)?.spec.descriptions }, options: options)
            guard FileManager.default.createFile(atPath: report, contents: Data(html.utf8)) else {
                throw CLI.fail("\(TerminalSafe.clean(report)): cannot write the HTML summary there")
            }
        }
        if let error = summary.readError { throw CLI.fail("\(TerminalSafe.clean(list)): reading stopped: \(error)") }
        if summary.interrupted { throw ExitCode(stopper.exitCode) }
        // Every row failed (or, with --fail-on-errors, any): not a clean run.
        let failedRows = summary.errors.values.reduce(0, +)
        if failedRows > 0 && (failOnErrors || failedRows == summary.rows) { throw ExitCode(2) }
        if let top = summary.maxScore, top >= threshold { throw ExitCode(1) }
    }

    /// The argument as a list file (or standard input), or as one entry: a folder of pages, a
    /// WARC archive, or a URL or domain that names no file here.
    static func entries(_ argument: String) throws -> any BatchLines {
        if argument == "-" { return try LineSource.open(argument) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) {
            // A folder, or a WARC archive (its HTML pages are rows), is one entry, not a list.
            return isFolder.boolValue || WARCInput.isWARCFile(argument) ? ListedLines([argument]) : try LineSource.open(argument)
        }
        if case .url = InputArgument.listEntry(argument, fileExists: { _ in false }) { return ListedLines([argument]) }
        return try LineSource.open(argument)   // says the file does not exist
    }

    /// Whether a "list" file is really a saved page (its start is an HTML tag or an MHTML
    /// header), a common mix-up that would otherwise give one invalid row per line of HTML.
    static func looksLikeAPage(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 512)) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}"))).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || head.hasPrefix("<head") || head.hasPrefix("<body")
            || (head.hasPrefix("from:") || head.hasPrefix("mime-version:")) && head.contains("multipart/related")
    }

    /// Counts the list's URLs for this shard, for the progress line's total and ETA.
    static func countInBackground(_ path: String, shard: Shard, progress: BatchProgress) {
        Thread.detachNewThread {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { return }
            defer { close(fd) }
            var reader = LineReader(fd: fd)
            var n = 0
            while let line = try? reader.next() {
                switch URLNormalizer.parse(line) {
                case .skip: continue
                case let .url(u): if shard.contains(key: u) { n += 1 }
                case .invalid: if shard.contains(key: "line:\(TerminalSafe.clean(line.trimmingCharacters(in: .whitespacesAndNewlines)))") { n += 1 }
                }
            }
            progress.setTotal(n)
        }
    }
}

/// SIGINT and SIGTERM: the first asks the run to stop (finish or abandon in-flight work within a
/// second, flush, summarise, exit 130); a second one, or a run that does not end within 5 s, exits at once.
// @unchecked: `sources` is filled in `init`, before the stopper is shared; after that it,
// `count` and `cancelled` are touched only on the serial `queue` (signal handlers run there, `cancel` syncs onto it).
final class SignalStopper: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "scamsift.signals")
    private var count = 0
    private var cancelled = false
    private var received: Int32 = SIGINT

    /// The shell's convention for a death by signal: 128 + its number (130 for SIGINT, 143
    /// for SIGTERM, what schedulers such as Kubernetes and Slurm send).
    var exitCode: Int32 { queue.sync { 128 + received } }

    init(onStop: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                self.count += 1
                if self.count == 1 {
                    self.received = sig
                    onStop()
                    self.queue.asyncAfter(deadline: .now() + 5) {
                        guard !self.cancelled else { return }
                        FileHandle.standardError.write(Data("scamsift: stopping took too long; exiting\n".utf8))
                        exit(128 + sig)
                    }
                } else if !self.cancelled {
                    exit(128 + self.received)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        queue.sync {
            for s in sources { s.cancel() }
            sources = []
            cancelled = true  // a late watchdog must not fire after a clean end
        }
    }
}
