import Foundation
import ScamSift
import ScamSiftFetch
import ScamSiftTestServer
import Testing

@Suite struct LimitTests {
    @Test func perHostLimitHoldsWhateverTheConcurrency() async throws {
        let engine = try TestRules.engine()
        var options = testOptions(timeout: 5)
        options.concurrency = 8
        options.fetch.perHost = 2
        try await withServer { server in
            let lines = (0..<8).map { "\(server.baseURL)/slow?ms=300&key=ph&i=\($0)" }
            let (rows, _, _) = try await runBatch(lines, options: options, engine: engine)
            #expect(rows.count == 8 && rows.allSatisfy { $0.error == nil }, "\(rows.map { $0.error ?? "-" })")
            #expect(server.maxInFlight("slow:ph") == 2)
        }
    }

    @Test func concurrencyLimitHoldsAcrossRequests() async throws {
        let engine = try TestRules.engine()
        var options = testOptions(timeout: 5)
        options.concurrency = 3
        options.fetch.perHost = 8
        try await withServer { server in
            let lines = (0..<9).map { "\(server.baseURL)/slow?ms=300&key=cc&i=\($0)" }
            let (rows, _, _) = try await runBatch(lines, options: options, engine: engine)
            #expect(rows.count == 9)
            #expect(server.maxInFlight("slow:cc") == 3)
        }
    }

    @Test func stopAbandonsInFlightWorkWithinTheGracePeriod() async throws {
        let engine = try TestRules.engine()
        var options = testOptions(timeout: 20)
        options.concurrency = 4
        options.grace = 0.5
        try await withServer { server in
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt")
            // Four quick pages, then slow ones that cannot finish within the grace period.
            let lines = (0..<4).map { "\(server.baseURL)/page/scam?i=\($0)" } + (0..<20).map { "\(server.baseURL)/slow?ms=10000&key=st&i=\($0)" }
            try lines.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("out.jsonl")
            let runner = BatchRunner(engine: engine, options: options)
            let writer = try RowWriter(path: out.path, format: .jsonl, append: false)
            let source = try LineSource.open(list.path)
            let stopper = Task {
                while runner.progress.snapshot.done < 4 { try await Task.sleep(for: .milliseconds(20)) }
                try await Task.sleep(for: .milliseconds(100))
                runner.stop()
                return ContinuousClock.now
            }
            let summary = try await options.fetch.withClient { client in
                try await runner.run(source: source, writer: writer, client: client)
            }
            let stoppedAt = try await stopper.value
            let afterStop = Double((ContinuousClock.now - stoppedAt) / .milliseconds(1)) / 1000
            #expect(summary.interrupted)
            #expect(afterStop < options.grace + 2.0, "took \(afterStop) s after the stop")
            let rows = try readRows(out.path)
            #expect(rows.count == 4, "only the finished pages have rows")
            #expect(summary.abandoned == 4, "the slow ones in flight were abandoned")
            #expect(rows.allSatisfy { $0.errorKind != "cancelled" })
        }
    }
}

@Suite struct CrawlTests {
    @Test func crawlFetchesTellingSameSiteLinksAndScoresTheSiteAsItsWorstPage() async throws {
        let engine = try TestRules.engine()
        let scam = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8)).score
        let landing = try engine.score(html: Data(FaultServer.BuiltIn.site.utf8)).score
        let about = try engine.score(html: Data(FaultServer.BuiltIn.legit.utf8)).score
        #expect(scam > landing, "the test needs a scam page that outscores the landing page")
        var options = testOptions()
        options.crawl = 2
        try await withServer { server in
            let (rows, _, _) = try await runBatch(["\(server.baseURL)/site/"], options: options, engine: engine)
            let row = try #require(rows.first)
            #expect(row.score == landing)
            let pages = try #require(row.pages)
            #expect(pages.map(\.url) == ["\(server.baseURL)/site/plans", "\(server.baseURL)/site/about"])
            #expect(pages.map(\.score) == [scam, about])
            #expect(row.siteScore == max(landing, scam, about))
            #expect(row.siteVerdict == engine.rules.cutoffs.verdict(for: max(landing, scam, about)).rawValue)
            #expect(server.count("/site/contact") == 0 && server.count("/site/blog") == 0)
        }
    }

    @Test func plannerKeepsToTheSiteAndRanksPlansFirst() {
        let links: [(href: String, text: String)] = [
            (href: "https://www.example.com/about", text: "About us"),
            (href: "https://other.example/plans", text: "Plans elsewhere"),
            (href: "https://example.com/?a=deposit", text: "Make a deposit"),
            (href: "https://example.com/contact", text: "Contact"),
            (href: "https://example.com/", text: "Home"),
            (href: "mailto:x@example.com", text: "FAQ by mail"),
            (href: "https://example.com/faq", text: "Questions"),
        ]
        let chosen = CrawlPlanner.choose(links, base: "https://example.com/", limit: 5).map(\.url)
        // Deposit ranks first; about and FAQ rank alike and keep their order on the page.
        #expect(chosen == ["https://example.com/?a=deposit", "https://www.example.com/about", "https://example.com/faq"])
        #expect(CrawlPlanner.choose(links, base: "https://example.com/", limit: 0).isEmpty)
    }
}

@Suite struct InputTests {
    @Test func linesAreNormalised() {
        #expect(URLNormalizer.parse("example.com") == .url("https://example.com/"))
        #expect(URLNormalizer.parse("  HTTP://Example.COM:80/Plans?x=1#top ") == .url("http://example.com/Plans?x=1"))
        #expect(URLNormalizer.parse("https://example.com:443") == .url("https://example.com/"))
        #expect(URLNormalizer.parse("hxxps://evil[.]example/deposit") == .url("https://evil.example/deposit"))
        #expect(URLNormalizer.parse("localhost:8080/x") == .url("https://localhost:8080/x"))
        #expect(URLNormalizer.parse("# comment") == .skip)
        #expect(URLNormalizer.parse("   ") == .skip)
        for bad in ["ftp://example.com/", "mailto:a@b.example", "javascript:alert(1)", "http://", "not a url", "http://exa mple.com/", "https://a..b/"] {
            if case .invalid = URLNormalizer.parse(bad) {} else { Issue.record("\(bad) should be invalid") }
        }
    }

    @Test func shardsCoverEveryKeyExactlyOnce() {
        let keys = (0..<2000).map { "https://site\($0).example/p?\($0 * 7)" }
        for n in [1, 2, 3, 7] {
            var counts = [Int](repeating: 0, count: n)
            for key in keys {
                let owners = (0..<n).filter { Shard(index: $0, count: n).contains(key: key) }
                #expect(owners.count == 1)
                if let o = owners.first { counts[o] += 1 }
            }
            // Roughly even: no shard gets less than half its share.
            #expect(counts.allSatisfy { $0 > keys.count / n / 2 }, "\(counts)")
        }
        #expect(Shard("2/4") == Shard(index: 2, count: 4))
        #expect(Shard("4/4") == nil && Shard("-1/4") == nil && Shard("1/0") == nil && Shard("x") == nil)
    }

    @Test func lineReaderStreamsLinesOfAnyLength() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("lines.txt")
        let long = String(repeating: "x", count: 100_000)
        try ("a\r\n\nb\n" + long + "\nc").write(to: file, atomically: true, encoding: .utf8)
        let fd = open(file.path, O_RDONLY)
        defer { close(fd) }
        var reader = LineReader(fd: fd, bufferSize: 1024, maxLine: 4096)
        var lines: [String] = []
        while let l = try reader.next() { lines.append(l) }
        #expect(lines.count == 5)
        #expect(lines[0] == "a" && lines[1] == "" && lines[2] == "b" && lines[4] == "c")
        #expect(lines[3].utf8.count == 4096)
        #expect(reader.lineNumber == 5)
    }
}

@Suite struct OutputTests {
    @Test func csvCellsCannotBecomeFormulas() {
        for bad in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)"] {
            let cell = BatchRowFormatter.csvCell(bad)
            let unquoted = cell.hasPrefix("\"") ? String(cell.dropFirst()) : cell
            #expect(unquoted.hasPrefix("'"), "\(bad) → \(cell)")
        }
        let tabbed = BatchRowFormatter.csvCell("\t=1")
        #expect(!tabbed.contains("\t") && tabbed.hasPrefix("'"), "control characters are blanked, and the formula still defused: \(tabbed)")
        #expect(BatchRowFormatter.csvCell("a,b") == "\"a,b\"")
        #expect(BatchRowFormatter.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(!BatchRowFormatter.csvCell("line\nbreak").contains("\n"))
        var row = BatchRow(line: 3, input: "=cmd|' /C calc'!A0")
        row.title = "a, \"b\""
        let cells = BatchRowFormatter.parseCSVLine(String(BatchRowFormatter.csvLine(row).dropLast()))
        #expect(cells.count == BatchRowFormatter.csvColumns.count)
        #expect(cells[0] == "3" && cells[1] == "=cmd|' /C calc'!A0" && cells[12] == "a, \"b\"")
    }

    @Test func tableLinesAreSafeForATerminal() {
        var row = BatchRow(line: 1, input: "https://x.example/")
        row.url = "https://x.example/"
        row.title = "Evil\u{1B}]0;pwned\u{07} title \u{1B}[31mred\u{202E}"
        row.score = 80
        row.verdict = "likely-scam"
        let line = BatchRowFormatter.tableLine(row)
        #expect(!line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(line.contains("Evil") && line.contains("red"))
    }

    @Test func errorMessagesQuotingTheServerAreCleaned() {
        let e = FetchError(.httpStatus, "HTTP 404 \u{1B}[31mNot\u{202E} Found\u{07}")
        #expect(!e.message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x07 })
        #expect(e.message.contains("Not") && e.message.contains("Found"))
    }

    @Test func jsonRowsRoundTripWithEveryKeyPresent() throws {
        var row = BatchRow(line: 1, input: "a")
        row.url = "https://a.example/"
        let line = BatchRowFormatter.line(row, .jsonl)
        #expect(line.hasSuffix("\n") && !line.dropLast().contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["line", "input", "url", "final_url", "status", "fetched_at", "elapsed_ms", "bytes", "truncated",
                                                  "score", "verdict", "top_hits", "error_kind", "error"]))
        #expect(try JSONDecoder().decode(BatchRow.self, from: Data(line.utf8)) == row)
    }

    @Test func resumeDropsAHalfWrittenLastRow() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("out.jsonl")
        var a = BatchRow(line: 1, input: "a"); a.url = "https://a.example/"; a.score = 70
        var b = BatchRow(line: 2, input: "b"); b.url = "https://b.example/"; b.score = 10
        let text = BatchRowFormatter.line(a, .jsonl) + BatchRowFormatter.line(b, .jsonl) + "{\"line\":3,\"inp"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let state = try ResumeState.load(path: file.path, format: .jsonl)
        #expect(state.rows == 2 && state.repairedTail && state.maxScore == 70)
        #expect(state.done.contains(URLNormalizer.stableHash("https://a.example/")))
        #expect(try String(contentsOf: file, encoding: .utf8).hasSuffix("}\n"))

        try "not json\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: BatchInputError.self) { try ResumeState.load(path: file.path, format: .jsonl) }
    }
}
