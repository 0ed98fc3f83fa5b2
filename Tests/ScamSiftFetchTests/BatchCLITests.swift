import Foundation
import ScamSift
import ScamSiftFetch
import ScamSiftTestServer
import Testing

/// Lines in a file that end with a newline (rows fully written).
func completeLines(_ path: String) -> Int {
    (FileManager.default.contents(atPath: path) ?? Data()).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
}

/// The real binary, end to end, against the local server.
@Suite struct BatchCLITests {
    func fast(_ extra: [String] = []) -> [String] {
        TestRules.cliArguments + ["--timeout", "5", "--connect-timeout", "1", "--retry-base-delay", "0.05"] + extra
    }

    /// SIGINT (Ctrl-C) and SIGTERM (what Kubernetes, Slurm and systemd send) alike: the
    /// finished rows are kept, the exit code is 128 + the signal, and --resume completes exactly.
    @Test(arguments: [SIGINT, SIGTERM])
    func interruptedRunKeepsFinishedRowsAndResumeFinishesWithNoDuplicates(signal: Int32) async throws {
        try await withServer { server in
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt")
            let out = dir.appendingPathComponent("out.jsonl")
            // 60 URLs at 400 ms, 4 at a time: a full run takes about 6 s, far longer than the wait below.
            let urls = (0..<60).map { "\(server.baseURL)/slow?ms=400&key=int&i=\($0)" }
            try (urls + urls.prefix(3)).joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
            let args = ["batch", list.path, "--out", out.path, "--concurrency", "4", "--per-host", "4", "--fail-at", "100", "--grace", "0.5"] + fast()

            let running = try Binary.start(args)
            // Wait for some rows, bounded, then interrupt.
            let waitLimit = ContinuousClock.now + .seconds(20)
            // Count finished lines, not decodable rows: a row being written must not look like "none yet".
            while completeLines(out.path) < 4 && ContinuousClock.now < waitLimit {
                try await Task.sleep(for: .milliseconds(50))
            }
            let interruptedAt = ContinuousClock.now
            kill(running.0.processIdentifier, signal)
            let first = await Binary.finishAsync(running)
            let stopSeconds = Double((ContinuousClock.now - interruptedAt) / .milliseconds(1)) / 1000
            #expect(first.status == 128 + signal, "stderr: \(first.stderr)")
            #expect(stopSeconds < 3, "stopping took \(stopSeconds) s")
            #expect(first.stderr.contains("interrupted"))
            let partial = try readRows(out.path)
            #expect(partial.count >= 4 && partial.count < urls.count)
            // Every row the run counted as finished is in the file, whole, once; the URLs in flight
            // left no row (no "cancelled" row that --resume would then skip).
            let counted = first.stderr.firstMatch(of: /scamsift batch: (\d+) row\(s\)/).flatMap { Int($0.1) }
            #expect(counted == partial.count, "summary: \(first.stderr)")
            #expect(completeLines(out.path) == partial.count)
            #expect(partial.allSatisfy { $0.error == nil && $0.score != nil })
            #expect(Set(partial.compactMap(\.url)).count == partial.count)
            #expect(first.stderr.contains("left for --resume:"))

            // A crash could also leave half a row; resume must cope with that too.
            let handle = try FileHandle(forWritingTo: out)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"line\":99,\"input\":\"http://half".utf8))
            try handle.close()

            let second = try await Binary.runAsync(args + ["--resume"])
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stderr.contains("already in"))
            let rows = try readRows(out.path)
            #expect(rows.count == urls.count)
            #expect(Set(rows.compactMap(\.url)) == Set(urls))
            #expect(rows.allSatisfy { $0.error == nil })

            // A third run has nothing left to do.
            let third = try await Binary.runAsync(args + ["--resume"])
            #expect(third.status == 0)
            #expect(try readRows(out.path).count == urls.count)
            #expect(server.requestTimes("slow:int").count <= urls.count + 4, "finished URLs were fetched again")
        }
    }

    @Test func urlsFromASlowStandardInputAreDoneAsTheyArrive() async throws {
        try await withServer { server in
            let dir = try temporaryDirectory()
            let out = dir.appendingPathComponent("out.jsonl")
            let input = Pipe()
            let running = try Binary.start(["batch", "-", "--out", out.path, "--fail-at", "100"] + fast(), stdin: input)
            input.fileHandleForWriting.write(Data("\(server.baseURL)/page/legit?i=1\n".utf8))
            // The row must appear while standard input is still open (no waiting for a full batch).
            let limit = ContinuousClock.now + .seconds(10)
            while ((try? readRows(out.path))?.count ?? 0) < 1 && ContinuousClock.now < limit {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect((try? readRows(out.path))?.count == 1)
            input.fileHandleForWriting.write(Data("\(server.baseURL)/page/legit?i=2\n".utf8))
            try input.fileHandleForWriting.close()
            let r = await Binary.finishAsync(running)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(try readRows(out.path).count == 2)
        }
    }

    @Test func shardsSplitTheListAndConcatenateIntoTheWhole() async throws {
        try await withServer { server in
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt")
            let urls = (0..<30).map { "\(server.baseURL)/page/legit?i=\($0)" } + ["not a url"]
            try urls.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
            var all: [BatchRow] = []
            for k in 0..<3 {
                let r = try await Binary.runAsync(["batch", list.path, "--shard", "\(k)/3", "--quiet"] + fast())
                #expect(r.status == 0, "stderr: \(r.stderr)")
                #expect(r.stderr.isEmpty, "--quiet prints nothing: \(r.stderr)")
                let rows = try r.stdout.split(separator: "\n").map { try JSONDecoder().decode(BatchRow.self, from: Data($0.utf8)) }
                #expect(!rows.isEmpty && rows.count < urls.count)
                all += rows
            }
            #expect(all.count == urls.count)
            #expect(Set(all.map(\.key)).count == urls.count)
            #expect(Set(all.compactMap(\.url)) == Set(urls.dropLast()))
        }
    }

    @Test func exitCodesFollowScore() async throws {
        try await withServer { server in
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt")
            try "\(server.baseURL)/page/scam\n\(server.baseURL)/page/legit\n".write(to: list, atomically: true, encoding: .utf8)
            let engine = try TestRules.engine()
            let scam = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8)).score

            let flagged = try await Binary.runAsync(["batch", list.path, "--fail-at", "\(scam)", "--format", "table"] + fast())
            #expect(flagged.status == 1, "stderr: \(flagged.stderr)")
            #expect(flagged.stdout.contains("/page/scam") && flagged.stdout.hasPrefix("score"))
            #expect(flagged.stderr.contains("verdicts:"))
            let clean = try await Binary.runAsync(["batch", list.path, "--fail-at", "\(scam + 1)"] + fast())
            #expect(clean.status == 0)

            let missing = try await Binary.runAsync(["batch", dir.appendingPathComponent("nope.txt").path] + fast())
            #expect(missing.status == 2 && missing.stderr.contains("no such file"))
            // A folder is scored page by page; one with no page is an error row, and exit 2.
            let folder = try await Binary.runAsync(["batch", dir.path] + fast())
            #expect(folder.status == 2 && folder.stdout.contains("\"error_kind\":\"not-found\""), "\(folder.stdout)")
            let noOut = try await Binary.runAsync(["batch", list.path, "--resume"] + fast())
            #expect(noOut.status == 2 && noOut.stderr.contains("--out"))
            let badShard = try await Binary.runAsync(["batch", list.path, "--shard", "3/3"] + fast())
            #expect(badShard.status == 2)
            let notOurs = dir.appendingPathComponent("other.jsonl")
            try "hello\n".write(to: notOurs, atomically: true, encoding: .utf8)
            let badResume = try await Binary.runAsync(["batch", list.path, "--resume", "--out", notOurs.path] + fast())
            #expect(badResume.status == 2 && badResume.stderr.contains("cannot resume"))
        }
    }

    @Test func csvOutputIsFormulaSafeAndResumable() async throws {
        try await withServer { server in
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt")
            let out = dir.appendingPathComponent("out.csv")
            try "\(server.baseURL)/echo-ua\n\(server.baseURL)/page/scam\n".write(to: list, atomically: true, encoding: .utf8)
            let args = ["batch", list.path, "--out", out.path, "--format", "csv", "--user-agent", "=HYPERLINK(\"http://x\")", "--fail-at", "100"] + fast()
            let r = try await Binary.runAsync(args)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3 && lines[0] == BatchRowFormatter.csvColumns.joined(separator: ","))
            #expect(lines.contains { $0.contains("'=HYPERLINK") })
            #expect(!lines.contains { $0.contains(",=HYPERLINK") || $0.contains(",\"=HYPERLINK") })

            try "\(server.baseURL)/echo-ua\n\(server.baseURL)/page/scam\n\(server.baseURL)/page/legit\n".write(to: list, atomically: true, encoding: .utf8)
            let again = try await Binary.runAsync(args + ["--resume"])
            #expect(again.status == 0, "stderr: \(again.stderr)")
            let after = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
            #expect(after.count == 4, "one header, three rows")
            #expect(after.filter { $0.hasPrefix("line,") }.count == 1)
        }
    }

    @Test func failedRowsAndExcelCSV() async throws {
        try await withServer { server in
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt")
            // Every row fails: not a clean run.
            try "\(server.baseURL)/status/500\n\(server.baseURL)/status/404\n".write(to: list, atomically: true, encoding: .utf8)
            let allFailed = try await Binary.runAsync(["batch", list.path, "--retries", "0"] + fast())
            #expect(allFailed.status == 2, "stderr: \(allFailed.stderr)")
            // Each row carries the versions of its shape and of the rules, like score's results.
            for line in allFailed.stdout.split(separator: "\n") {
                let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(row["schema_version"] as? Int == BatchRow.schemaVersion)
                #expect((row["rules_version"] as? String)?.count == 16)
                #expect(row["error_kind"] as? String == "http-status")
            }
            // One fails, one scores below --fail-at: clean, unless --fail-on-errors.
            try "\(server.baseURL)/status/500\n\(server.baseURL)/page/legit\n".write(to: list, atomically: true, encoding: .utf8)
            let some = ["batch", list.path, "--retries", "0", "--fail-at", "100"] + fast()
            #expect(try await Binary.runAsync(some).status == 0)
            #expect(try await Binary.runAsync(some + ["--fail-on-errors"]).status == 2)

            // --excel: CSV behind a byte-order mark, and --resume still reads its header.
            let out = dir.appendingPathComponent("excel.csv")
            let excel = ["batch", list.path, "--retries", "0", "--fail-at", "100", "--excel", "-o", out.path] + fast()
            #expect(try await Binary.runAsync(excel).status == 0)
            let bytes = try Data(contentsOf: out)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self).hasPrefix("line,input,"))
            try "\(server.baseURL)/status/500\n\(server.baseURL)/page/legit\n\(server.baseURL)/page/scam\n".write(to: list, atomically: true, encoding: .utf8)
            let resumed = try await Binary.runAsync(excel + ["--resume"])
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            let lines = String(decoding: try Data(contentsOf: out), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 4, "one header, three rows: \(lines)")
        }
    }

    @Test func scoreFetchesASingleURL() async throws {
        try await withServer { server in
            let engine = try TestRules.engine()
            let scam = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8))
            let r = try await Binary.runAsync(["score", "\(server.baseURL)/redirect/chain?n=2", "--format", "json"] + fast())
            #expect(r.status == (scam.score >= scam.cutoffs.likelyScam ? 1 : 0), "stderr: \(r.stderr)")
            #expect(r.stdout.contains("\"score\" : \(scam.score)"))
            #expect(r.stderr.contains("redirected to"))

            let gone = try await Binary.runAsync(["score", "\(server.baseURL)/status/404"] + fast())
            #expect(gone.status == 2 && gone.stderr.contains("http-status"))
            let notHTML = try await Binary.runAsync(["score", "\(server.baseURL)/not-html"] + fast())
            #expect(notHTML.status == 2 && notHTML.stderr.contains("not-html"))
            // A multipart/related response is an MHTML archive: its page part is scored.
            let archive = try await Binary.runAsync(["score", "\(server.baseURL)/mhtml", "--format", "json"] + fast())
            #expect(archive.status == r.status, "stderr: \(archive.stderr)")
            #expect(archive.stdout.contains("\"score\" : \(scam.score)"))
            // A defanged URL is fetched like the plain one.
            let defanged = server.baseURL.replacingOccurrences(of: "http://", with: "hxxp://").replacingOccurrences(of: ".", with: "[.]")
            let d = try await Binary.runAsync(["score", "\(defanged)/page/scam", "--format", "json"] + fast())
            #expect(d.stdout.contains("\"score\" : \(scam.score)"), "stderr: \(d.stderr)")
        }
    }

    @Test func scoreArgumentsAreReadAsBatchReadsItsList() {
        let none: (String) -> Bool = { _ in false }
        #expect(InputArgument.resolve("example.com", fileExists: none) == "https://example.com/")
        #expect(InputArgument.resolve("Example.COM/plans", fileExists: none) == "https://example.com/plans")
        #expect(InputArgument.resolve("hxxps://site[.]com/join", fileExists: none) == "https://site.com/join")
        #expect(InputArgument.resolve("file:///tmp/saved%20page.html", fileExists: none) == "/tmp/saved page.html")
        // A missing page is a missing file, not a domain; a file on disk wins over a domain.
        #expect(InputArgument.resolve("missing.html", fileExists: none) == "missing.html")
        #expect(InputArgument.resolve("./example.com", fileExists: none) == "./example.com")
        #expect(InputArgument.resolve("example.com", fileExists: { $0 == "example.com" }) == "example.com")
        #expect(InputArgument.resolve("-", fileExists: none) == "-")
    }

    @Test func listLinesNameSavedPagesAsScoreArgumentsDo() {
        let none: (String) -> Bool = { _ in false }
        #expect(InputArgument.listEntry("example.com", fileExists: none) == .url("https://example.com/"))
        #expect(InputArgument.listEntry("hxxps://site[.]com/join", fileExists: none) == .url("https://site.com/join"))
        #expect(InputArgument.listEntry("  # a comment", fileExists: none) == .skip)
        #expect(InputArgument.listEntry("file:///tmp/saved%20page.html", fileExists: none) == .local("/tmp/saved page.html"))
        #expect(InputArgument.listEntry("/srv/pages/a.html", fileExists: none) == .local("/srv/pages/a.html"))
        #expect(InputArgument.listEntry("./example.com", fileExists: none) == .local("./example.com"))
        #expect(InputArgument.listEntry("missing.html", fileExists: none) == .local("missing.html"))
        #expect(InputArgument.listEntry("example.com", fileExists: { $0 == "example.com" }) == .local("example.com"))
        #expect(InputArgument.listEntry("saved page.html", fileExists: { $0 == "saved page.html" }) == .local("saved page.html"))
        if case .invalid = InputArgument.listEntry("ftp://example.com/", fileExists: none) {} else { Issue.record("ftp is not fetched") }
    }

    /// A list may mix URLs with saved pages and folders of them; each page is scored as `score`
    /// scores it, problems get their own rows, one page reached twice is done once, and
    /// `--resume` completes the list exactly.
    @Test func batchScoresSavedPagesAndFoldersNamedInItsList() async throws {
        try await withServer { server in
            let engine = try TestRules.engine()
            let dir = try temporaryDirectory()
            let pages = dir.appendingPathComponent("pages")
            let sub = pages.appendingPathComponent("sub")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let scam = pages.appendingPathComponent("scam.html"), legit = sub.appendingPathComponent("legit.htm")
            try FaultServer.BuiltIn.scam.write(to: scam, atomically: true, encoding: .utf8)
            try FaultServer.BuiltIn.legit.write(to: legit, atomically: true, encoding: .utf8)
            try "not a page".write(to: sub.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: sub.appendingPathComponent("loop").path, withDestinationPath: "..")
            let list = dir.appendingPathComponent("list.txt"), out = dir.appendingPathComponent("out.jsonl")
            try [scam.path, "file://" + legit.path, pages.path, dir.appendingPathComponent("gone.html").path,
                 "\(server.baseURL)/page/scam"].joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)

            let r = try await Binary.runAsync(["batch", list.path, "-o", out.path, "-q"] + fast())
            #expect(r.status == 1, "stderr: \(r.stderr)")   // the scam page is at the cut-off
            let rows = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            func row(_ url: String) -> [String: Any]? { rows.first { ($0["url"] as? String) == url } }
            let scamKey = "file://" + scam.resolvingSymlinksInPath().path
            let legitKey = "file://" + legit.resolvingSymlinksInPath().path
            #expect(row(scamKey)?["score"] as? Int == (try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8)).score))
            #expect(row(legitKey)?["score"] as? Int == (try engine.score(html: Data(FaultServer.BuiltIn.legit.utf8)).score))
            #expect(row(legitKey)?["line"] as? Int == 2)
            #expect(rows.contains { ($0["error_kind"] as? String) == "not-found" && ($0["line"] as? Int) == 4 })
            #expect(rows.contains { ($0["error_kind"] as? String) == "unreadable" && (($0["error"] as? String) ?? "").contains("loop") })
            #expect(rows.contains { ($0["url"] as? String) == "\(server.baseURL)/page/scam" && $0["score"] is Int })
            // scam.html, legit.htm (named, then again through the folder and the loop), the missing
            // page, the loop, the URL: each once; notes.txt is not a page.
            #expect(rows.count == 5, "\(rows.map { $0["url"] ?? "" })")

            // Nothing is left to do on --resume, and a new line is done alone.
            let again = try await Binary.runAsync(["batch", list.path, "-o", out.path, "-q", "--resume"] + fast())
            #expect(again.status == 1 && completeLines(out.path) == 5, "stderr: \(again.stderr)")

            // A folder may be given instead of a list; --glob chooses its files.
            let folder = try await Binary.runAsync(["batch", pages.path, "--glob", "*.htm", "-q"] + fast())
            let folderRows = folder.stdout.split(separator: "\n")
            #expect(folderRows.count == 2 && folderRows.contains { $0.contains(legitKey) }, "\(folder.stdout)")
        }
    }
}
