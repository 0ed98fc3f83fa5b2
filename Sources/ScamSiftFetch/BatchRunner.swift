import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import ScamSift

/// Settings of one batch run (the fetch settings inside).
public struct BatchOptions: Sendable {
    public var fetch = FetchConfig()
    /// URLs in progress at once (fetching, waiting for their host, or being scored).
    public var concurrency = 16
    /// Extra same-site pages per URL (`--crawl`).
    public var crawl = 0
    public var shard = Shard.all
    /// Threads that parse and score pages, away from the network event loops.
    public var scoringThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Hits listed per row.
    public var topHits = 5
    /// After a stop request, seconds that in-flight URLs get to finish before they are abandoned.
    public var grace: Double = 1.0
    /// What the pages of a folder named in the list must match (`--glob`; empty: web pages).
    public var globs: [String] = []

    public init() {}
}

/// Fetches, scores and writes a URL list: streamed in, bounded in flight, rows written as they
/// finish, stoppable at any time without losing a finished row.
public final class BatchRunner: Sendable {
    public let engine: Engine
    public let options: BatchOptions
    public let progress = BatchProgress()
    private let stopSignal = StopSignal()
    private let largePages = LargePageGate()

    public init(engine: Engine, options: BatchOptions) {
        self.engine = engine
        self.options = options
    }

    /// Asks the run to stop: nothing new starts, in-flight URLs get `options.grace` seconds,
    /// then are abandoned (no row: `--resume` will do them). Safe from any thread.
    public func stop() { stopSignal.fire() }

    enum Event: Sendable {
        case row(BatchRow)
        case lines([(Int, String)])
        case readFailed(String)
        case readCancelled
        case stopRequested
        case graceOver
        case idle
    }

    /// Runs the list. Throws only when the results cannot be written or the list cannot be read.
    public func run(source: any BatchLines, writer: RowWriter, resume: ResumeState = ResumeState(),
                    client: HTTPClient) async throws -> BatchSummary {
        let pool = NIOThreadPool(numberOfThreads: options.scoringThreads)
        pool.start()
        let hosts = HostLimiter(limit: options.fetch.perHost)
        let fetcher = Fetcher(client: client, config: options.fetch, hosts: hosts)
        var summary = BatchSummary()
        summary.resumedRows = resume.rows
        summary.maxScore = resume.maxScore
        let started = ContinuousClock.now
        var seen: Set<UInt64> = []
        let concurrency = max(1, options.concurrency)
        let shard = options.shard
        let grace = options.grace

        do {
            try await withThrowingTaskGroup(of: Event.self) { group in
                group.addTask { [stopSignal] in await stopSignal.wait() ? .stopRequested : .idle }
                var inFlight = 0
                var reading = false
                var inputDone = false
                var stopping = false
                var pending: [(Int, String)] = []
                pending.reserveCapacity(256)
                // The pages of a folder named in the list, still to start (with the folder's line).
                var expanded: [(Int, String)] = []
                var nextExpanded = 0
                // A WARC file named in the list, read a record at a time: each HTML page is a row.
                var warc: (reader: WARCPageReader, line: Int, key: String)?
                /// Whether an entry is this run's to do: in this shard, not done before the resume,
                /// not a duplicate. Counts the ones it turns away.
                func admit(_ key: String) -> Bool {
                    guard shard.contains(key: key) else { summary.otherShards += 1; return false }
                    let h = URLNormalizer.stableHash(key)
                    if resume.done.contains(h) { summary.resumedSkipped += 1; progress.add(skipped: 1); return false }
                    guard seen.insert(h).inserted else { summary.duplicates += 1; progress.add(skipped: 1); return false }
                    return true
                }
                /// Writes a row known without fetching anything (an invalid line, a folder's problem).
                func record(_ row: BatchRow) throws {
                    var row = row
                    row.rulesVersion = engine.rules.version
                    try writer.write(row)
                    summary.add(row)
                    progress.add(row)
                }
                var next = 0

                while true {
                    // Start work while there is room and input.
                    while !stopping && inFlight < concurrency {
                        if let archive = warc {
                            switch archive.reader.next() {
                            case let .page(page)?:
                                // The record's number after '#', on the archive's own key.
                                let key = archive.key + "#" + (page.source.split(separator: "#").last.map(String.init) ?? "")
                                guard admit(key) else { continue }
                                inFlight += 1
                                let line = archive.line
                                group.addTask { [self] in
                                    .row(await self.processRecord(line: line, page: page, key: key, pool: pool))
                                }
                            case let .failure(source, message)?:
                                var row = BatchRow(line: archive.line, input: TerminalSafe.clean(source))
                                row.url = archive.key
                                guard admit(archive.key + "#error") else { continue }
                                row.errorKind = FetchError.Kind.unparseable.rawValue
                                row.error = TerminalSafe.clean(message)
                                try record(row)
                            case nil:
                                warc = nil
                            }
                            continue
                        }
                        let lineNo: Int, text: String, entry: InputArgument.ListEntry
                        if nextExpanded < expanded.count {
                            (lineNo, text) = expanded[nextExpanded]
                            nextExpanded += 1
                            if nextExpanded == expanded.count { expanded.removeAll(); nextExpanded = 0 }
                            entry = .local(text)
                        } else if next < pending.count {
                            (lineNo, text) = pending[next]
                            next += 1
                            entry = InputArgument.listEntry(text)
                        } else {
                            break
                        }
                        switch entry {
                        case .skip:
                            continue
                        case let .invalid(reason):
                            var row = BatchRow(line: lineNo, input: TerminalSafe.clean(text))
                            guard admit(row.key) else { continue }
                            row.errorKind = FetchError.Kind.invalidURL.rawValue
                            row.error = "line \(lineNo): \(reason)"
                            try record(row)
                        case let .url(url):
                            guard admit(url) else { continue }
                            inFlight += 1
                            group.addTask { [self] in
                                .row(await self.process(line: lineNo, input: text, url: url, fetcher: fetcher, pool: pool))
                            }
                        case let .local(path) where Self.isFolder(path):
                            // A folder's pages join the queue, in the order `score` would take them.
                            for item in PathExpansion.expand([path], globs: options.globs.isEmpty ? PathExpansion.defaultGlobs + PathExpansion.warcGlobs : options.globs,
                                                             isURL: { _ in false }) {
                                switch item {
                                case let .item(file):
                                    expanded.append((lineNo, file))
                                case let .problem(problemPath, why, kind):
                                    var row = BatchRow(line: lineNo, input: TerminalSafe.clean(problemPath))
                                    row.url = InputArgument.fileKey(problemPath)
                                    guard admit(row.key) else { continue }
                                    row.errorKind = kind
                                    row.error = TerminalSafe.clean(why)
                                    try record(row)
                                }
                            }
                        case let .local(path) where WARCInput.isWARCFile(path):
                            if case let .warc(reader) = WARCInput.open(path, limit: options.fetch.maxBytes) {
                                warc = (reader, lineNo, InputArgument.fileKey(path))
                            }
                        case let .local(path):
                            let key = InputArgument.fileKey(path)
                            guard admit(key) else { continue }
                            inFlight += 1
                            group.addTask { [self] in
                                .row(await self.processFile(line: lineNo, input: text, path: path, key: key, pool: pool))
                            }
                        }
                    }
                    if next >= pending.count {
                        pending.removeAll(keepingCapacity: true)
                        next = 0
                    }
                    // Ask for more lines (one read in flight at a time, never blocking this loop).
                    if !stopping && !inputDone && !reading && pending.isEmpty && expanded.isEmpty && warc == nil {
                        reading = true
                        group.addTask {
                            do { return .lines(try await source.nextBatch(max: 256)) } catch is CancellationError { return .readCancelled } catch {
                                return .readFailed("\(error)")
                            }
                        }
                    }
                    if inFlight == 0 && (stopping || (inputDone && pending.isEmpty && expanded.isEmpty && warc == nil)) { break }

                    guard let event = try await group.next() else { break }
                    switch event {
                    case let .row(row):
                        inFlight -= 1
                        if row.errorKind == FetchError.Kind.cancelled.rawValue {
                            summary.abandoned += 1
                        } else {
                            try writer.write(row)
                            summary.add(row)
                            progress.add(row)
                        }
                    case let .lines(batch):
                        reading = false
                        if batch.isEmpty { inputDone = true } else { pending = batch; next = 0 }
                    case .readCancelled:
                        reading = false
                    case let .readFailed(message):
                        reading = false
                        inputDone = true
                        summary.readError = message
                    case .stopRequested:
                        stopping = true
                        summary.interrupted = true
                        group.addTask {
                            try? await Task.sleep(for: .nanoseconds(Int64(grace * 1e9)))
                            return .graceOver
                        }
                    case .graceOver:
                        // Abandon what is still in flight; each returns a `cancelled` row at once.
                        group.cancelAll()
                    case .idle:
                        break
                    }
                }
                summary.unread = !inputDone || next < pending.count || !expanded.isEmpty || warc != nil
                group.cancelAll()
            }
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
        try? await pool.shutdownGracefully()
        summary.elapsed = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
        return summary
    }

    /// Fetches, parses and scores one URL (and, with `--crawl`, its chosen links).
    func process(line: Int, input: String, url: String, fetcher: Fetcher, pool: NIOThreadPool) async -> BatchRow {
        var row = BatchRow(line: line, input: TerminalSafe.clean(input))
        row.rulesVersion = engine.rules.version
        row.url = url
        let fetched = await fetcher.fetch(url)
        if Task.isCancelled {
            row.errorKind = FetchError.Kind.cancelled.rawValue
            return row
        }
        row.finalURL = fetched.finalURL
        let base = fetched.finalURL ?? url
        row.status = fetched.status
        row.fetchedAt = fetched.fetchedAt.formatted(.iso8601)
        row.elapsedMs = fetched.elapsedMs
        row.bytes = fetched.body.count
        row.truncated = fetched.truncated
        row.contentType = fetched.contentType
        row.redirects = fetched.redirects
        row.attempts = fetched.attempts
        if let error = fetched.error {
            row.errorKind = error.kind.rawValue
            row.error = error.message
            return row
        }
        let landing: ScoredPage
        do {
            landing = try await score(consume fetched, pool: pool)
        } catch {
            let e = Self.scoringError(error)
            row.errorKind = e.kind.rawValue
            row.error = e.message
            return row
        }
        row.title = TerminalSafe.clean(landing.report.title)
        row.encoding = landing.report.encoding
        row.score = landing.report.score
        row.verdict = landing.report.verdict.rawValue
        row.topHits = topHits(landing.report)
        row.maxAnnualPercent = landing.report.maxAnnualPercent

        if options.crawl > 0 {
            var pages: [BatchRow.CrawledPage] = []
            var best = landing.report.score
            for link in CrawlPlanner.choose(landing.links.map { ($0.href, $0.text) }, base: base, limit: options.crawl) {
                if Task.isCancelled { break }
                let f = await fetcher.fetch(link.url)
                var page = BatchRow.CrawledPage(url: link.url, finalURL: f.finalURL, status: f.status,
                                                linkText: TerminalSafe.clean(link.text), score: nil, verdict: nil,
                                                topHits: [], truncated: f.truncated, errorKind: nil, error: nil)
                if let e = f.error {
                    page.errorKind = e.kind.rawValue
                    page.error = e.message
                } else {
                    do {
                        let s = try await score(consume f, pool: pool)
                        page.score = s.report.score
                        page.verdict = s.report.verdict.rawValue
                        page.topHits = topHits(s.report)
                        best = max(best, s.report.score)
                    } catch {
                        let e = Self.scoringError(error)
                        page.errorKind = e.kind.rawValue
                        page.error = e.message
                    }
                }
                pages.append(page)
            }
            row.pages = pages
            row.siteScore = best
            row.siteVerdict = engine.rules.cutoffs.verdict(for: best).rawValue
        }
        return row
    }

    /// Scores a saved page named in the list, on the scoring threads, as `score` would.
    func processFile(line: Int, input: String, path: String, key: String, pool: NIOThreadPool) async -> BatchRow {
        var row = BatchRow(line: line, input: TerminalSafe.clean(input))
        row.rulesVersion = engine.rules.version
        row.url = key
        let engine = self.engine
        let started = ContinuousClock.now
        var info = stat()
        let size = stat(path, &info) == 0 ? Int(info.st_size) : nil
        let outcome = (try? await largePages.run(bytes: size ?? 0) { try await pool.runIfActive { PageScorer.score(path: path, engine: engine) } })
            ?? .failure(source: path, message: "cancelled", kind: FetchError.Kind.cancelled.rawValue)
        return fill(row, with: outcome, started: started, bytes: size)
    }

    /// Scores one HTML page of a WARC file named in the list; its row's url is the archive's key
    /// and the record's number (`file:///…/crawl.warc.gz#12`), its final_url the page's address.
    func processRecord(line: Int, page: WARCPage, key: String, pool: NIOThreadPool) async -> BatchRow {
        var row = BatchRow(line: line, input: TerminalSafe.clean(page.source))
        row.rulesVersion = engine.rules.version
        row.url = key
        row.finalURL = page.url
        row.truncated = page.truncated
        row.contentType = page.contentType
        let engine = self.engine
        let started = ContinuousClock.now
        let outcome = (try? await largePages.run(bytes: page.body.count) { try await pool.runIfActive { PageScorer.score(record: page, engine: engine) } })
            ?? .failure(source: page.source, message: "cancelled", kind: FetchError.Kind.cancelled.rawValue)
        return fill(row, with: outcome, started: started, bytes: page.body.count)
    }

    /// A local page's row, from its outcome.
    func fill(_ row: BatchRow, with outcome: ScoreOutcome, started: ContinuousClock.Instant, bytes: Int?) -> BatchRow {
        var row = row
        if Task.isCancelled {
            row.errorKind = FetchError.Kind.cancelled.rawValue
            return row
        }
        row.elapsedMs = Int((ContinuousClock.now - started) / .milliseconds(1))
        switch outcome {
        case let .report(report):
            row.title = TerminalSafe.clean(report.title)
            row.encoding = report.encoding
            row.score = report.score
            row.verdict = report.verdict.rawValue
            row.topHits = topHits(report)
            row.maxAnnualPercent = report.maxAnnualPercent
            row.bytes = bytes
        case let .failure(_, message, kind):
            row.errorKind = kind
            row.error = TerminalSafe.clean(message)
        }
        return row
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    struct ScoredPage: Sendable {
        var report: Report
        var links: [Page.Link]
    }

    /// Parsing and scoring are CPU work: they run on the scoring threads, never on an event loop.
    /// Takes the fetched body over (the caller gives `fetched` up), so that a large one, parked
    /// on disk while it waits for the large-page gate, is no longer held in memory.
    func score(_ fetched: consuming FetchResult, pool: NIOThreadPool) async throws -> ScoredPage {
        let engine = self.engine
        let size = fetched.body.count
        let parked = size > LargePageGate.threshold ? ParkedBody(fetched.body) : nil
        let inMemory = parked == nil ? fetched.body : Data()
        fetched.body = Data()
        let url = fetched.finalURL ?? fetched.url
        let charset = fetched.charset
        let contentType = fetched.contentType
        let source = fetched.url
        return try await largePages.run(bytes: size) { try await pool.runIfActive {
            var body = inMemory
            if let parked {
                guard let read = parked.read() else {
                    throw FetchError(.other, "the page's body, kept in a temporary file while it waited to be scored, could not be read back")
                }
                body = read
            }
            var timings = StageTimings()
            let page = try PageInput.read(body, charset: charset, url: url, contentType: contentType)
                .parse(xpaths: engine.rules.xpaths, timings: &timings)
            let report = engine.score(page: page, source: source)
            return ScoredPage(report: report, links: page.links)
        }}
    }

    static func scoringError(_ error: Error) -> FetchError {
        switch error {
        case PageError.empty: return FetchError(.unparseable, "the server sent an empty body")
        case PageError.binary: return FetchError(.notHTML, "the body looks binary, not HTML")
        case let e as PageError: return FetchError(.unparseable, e.description)
        case let InputError.notAWebPage(type): return FetchError(.notHTML, "the body is \(type.description), not a web page")
        case let e as InputError: return FetchError(.unparseable, e.description)
        default: return FetchError.classify(error)
        }
    }

    func topHits(_ report: Report) -> [BatchRow.TopHit] {
        report.hits.prefix(options.topHits).map { BatchRow.TopHit(id: $0.id, weight: $0.weight, points: $0.points) }
    }
}

/// A one-shot stop request that any thread can fire and any task can wait for.
// @unchecked: `fired` and `waiters` are read and written only under `lock`.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [CheckedContinuation<Bool, Never>] = []

    func fire() {
        lock.lock()
        let ws = fired ? [] : waiters
        fired = true
        waiters = []
        lock.unlock()
        for w in ws { w.resume(returning: true) }
    }

    /// True when fired; false when the waiting task is cancelled first.
    func wait() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                lock.lock()
                if fired || Task.isCancelled {
                    let f = fired
                    lock.unlock()
                    c.resume(returning: f)
                } else {
                    waiters.append(c)
                    lock.unlock()
                }
            }
        } onCancel: {
            lock.lock()
            let ws = waiters
            waiters = []
            lock.unlock()
            for w in ws { w.resume(returning: false) }
        }
    }
}
