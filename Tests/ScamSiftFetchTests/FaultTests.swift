import Foundation
import ScamSift
import ScamSiftFetch
import ScamSiftTestServer
import Testing

/// Every fault the server knows, in one batch run: each gives the right row, and the whole
/// run ends within a bound set by the timeouts.
@Suite struct FaultTests {
    /// Bodies over 1 MiB wait for the large-page gate parked on disk, then are read back and
    /// scored one at a time: each row is the same as for the page scored from memory.
    @Test func largeBodiesAreParkedAndScoredWhole() async throws {
        let engine = try TestRules.engine()
        let expectedScam = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8))
        var options = testOptions(timeout: 20)
        options.fetch.maxBytes = 2 * 1024 * 1024
        options.fetch.perHost = 8
        try await withServer { server in
            let b = server.baseURL
            let lines = (0..<3).flatMap { k in ["\(b)/large?bytes=3000000&k=\(k)", "\(b)/endless?k=\(k)", "\(b)/gzip-endless?k=\(k)"] }
            let (rows, _, _) = try await runBatch(lines, options: options, engine: engine)
            #expect(rows.count == lines.count)
            for r in rows {
                let url = r.url ?? ""
                #expect(r.error == nil && r.truncated && r.bytes == options.fetch.maxBytes, "\(url): \(r.error ?? "")")
                if !url.contains("gzip-endless") {
                    #expect(r.score == expectedScam.score, "\(url): the kept 2 MiB are scored")
                } else {
                    #expect(r.score != nil, "\(url)")
                }
            }
        }
    }

    @Test func everyFaultGivesTheRightRowWithinTheTimeouts() async throws {
        let engine = try TestRules.engine()
        let expectedScam = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8))
        #expect(expectedScam.score > 0, "the test rules must fire on the built-in scam page")
        let closed = try await FaultServer.closedPort()
        var options = testOptions(timeout: 4)
        options.fetch.maxBytes = 256 * 1024
        options.fetch.retries = 2
        // Every case in one wave (they all share one host), so the bound below is one deadline.
        options.fetch.perHost = 32

        try await withServer { server in
            let b = server.baseURL
            let cases: [String: String] = [
                "scam": "\(b)/page/scam",
                "404": "\(b)/status/404",
                "flaky": "\(b)/flaky?key=f1&fail=1",
                "always500": "\(b)/flaky?key=f2&fail=99",
                "429": "\(b)/retry-after?key=r1&seconds=1",
                "chain": "\(b)/redirect/chain?n=3",
                "longchain": "\(b)/redirect/chain?n=7",
                "loop": "\(b)/redirect/loop",
                "ftp": "\(b)/redirect/ftp",
                "trickle": "\(b)/trickle?ms=100",
                "large": "\(b)/large?bytes=3000000",
                "endless": "\(b)/endless",
                "gzip": "\(b)/gzip",
                "deflate": "\(b)/deflate",
                "deflate-raw": "\(b)/deflate-raw",
                "gzip-endless": "\(b)/gzip-endless",
                "brotli": "\(b)/brotli",
                "stall": "\(b)/stall",
                "bomb": "\(b)/gzip-bomb?mb=8",
                "png": "\(b)/not-html",
                "latin1": "\(b)/latin1",
                "cut": "\(b)/close-mid-body",
                "dns": "http://no-such-host.invalid/",
                "closed": "http://127.0.0.1:\(closed)/",
                "ua": "\(b)/echo-ua",
            ]
            let names = cases.keys.sorted()
            var lines = names.map { cases[$0]! }
            lines += ["", "# a comment", "ftp://example.com/file", cases["scam"]!]
            let (rows, summary, seconds) = try await runBatch(lines, options: options, engine: engine)

            // Bounded by the timeouts, not by luck: everything runs at once and no URL may take
            // longer than its total deadline. The trickle never ends, so without the deadline this
            // run would never finish. The bound is a few deadlines wide because the other suites
            // (and their child processes) compete for the same 2 cores while this one runs.
            #expect(seconds < options.fetch.timeout * 3 + 5, "the fault run took \(seconds) s")

            var byURL: [String: BatchRow] = [:]
            for r in rows { if let u = r.url { byURL[u] = r } }
            func row(_ name: String) throws -> BatchRow {
                let url = cases[name]!
                let key: String
                if case let .url(u) = URLNormalizer.parse(url) { key = u } else { key = url }
                return try #require(byURL[key], "no row for \(name)")
            }
            #expect(rows.count == names.count + 1, "one row per distinct URL plus the invalid line")
            #expect(summary.duplicates == 1)

            let scam = try row("scam")
            #expect(scam.status == 200 && scam.error == nil)
            #expect(scam.score == expectedScam.score && scam.verdict == expectedScam.verdict.rawValue)
            #expect(scam.topHits.map(\.id) == expectedScam.hits.prefix(5).map(\.id))
            #expect(scam.bytes == FaultServer.BuiltIn.scam.utf8.count)
            #expect(scam.fetchedAt != nil && (scam.elapsedMs ?? -1) >= 0)

            let notFound = try row("404")
            #expect(notFound.errorKind == "http-status" && notFound.status == 404 && notFound.attempts == 1)

            let flaky = try row("flaky")
            #expect(flaky.error == nil && flaky.attempts == 2 && flaky.score == expectedScam.score, "\(flaky.error ?? "")")
            #expect(server.requestTimes("flaky:f1").count == 2)

            let always = try row("always500")
            #expect(always.errorKind == "http-status" && always.status == 500 && always.attempts == 3)
            #expect(server.requestTimes("flaky:f2").count == 3)

            let limited = try row("429")
            #expect(limited.error == nil && limited.attempts == 2, "\(limited.error ?? "")")
            let times = server.requestTimes("retry-after:r1")
            #expect(times.count == 2)
            if times.count == 2 { #expect(times[1].timeIntervalSince(times[0]) >= 0.95, "Retry-After: 1 was not honoured") }

            let chain = try row("chain")
            #expect(chain.error == nil && chain.redirects.count == 3)
            #expect(chain.finalURL?.hasSuffix("/redirect/chain?n=0") == true)

            #expect(try row("longchain").errorKind == "too-many-redirects")
            let loop = try row("loop")
            #expect(loop.errorKind == "redirect-loop")
            let ftp = try row("ftp")
            #expect(ftp.errorKind == "bad-redirect" && ftp.error?.contains("ftp") == true)

            let trickle = try row("trickle")
            #expect(trickle.errorKind == "timeout")
            let limitMs = Int(options.fetch.timeout * 1000)
            #expect((trickle.elapsedMs ?? 0) >= limitMs - 100 && (trickle.elapsedMs ?? 0) < limitMs + 1500, "\(trickle.elapsedMs ?? -1) ms")

            for name in ["large", "endless"] {
                let r = try row(name)
                #expect(r.error == nil && r.truncated && r.bytes == options.fetch.maxBytes, "\(name)")
                #expect(r.score == expectedScam.score, "\(name): the kept prefix is scored")
            }
            // Inflated only up to the cap, then the connection is dropped: the server sees it go.
            let gzipEndless = try row("gzip-endless")
            #expect(gzipEndless.error == nil && gzipEndless.truncated && gzipEndless.bytes == options.fetch.maxBytes, "\(gzipEndless.error ?? "")")
            #expect(gzipEndless.score != nil)
            try await eventually { server.abandoned("/gzip-endless") == 1 && server.abandoned("/endless") == 1 }
            #expect(try row("brotli").errorKind == "bad-encoding")
            #expect(try row("stall").errorKind == "timeout")

            for name in ["gzip", "deflate", "deflate-raw"] {
                let r = try row(name)
                #expect(r.error == nil && r.bytes == FaultServer.BuiltIn.scam.utf8.count, "\(name) was not decoded")
                #expect(r.score == expectedScam.score, "\(name)")
            }
            #expect(try row("bomb").errorKind == "decompression-bomb")

            let png = try row("png")
            #expect(png.errorKind == "not-html" && png.contentType == "image/png" && png.score == nil)

            // The header's charset reached the parser: read as UTF-8 the title would be "Café è la carte".
            let latin1 = try row("latin1")
            #expect(latin1.title == "CafÃ© Ã¨ la carte")

            let cut = try row("cut")
            #expect(cut.errorKind == "connection-closed" && cut.attempts == 3)

            #expect(try row("dns").errorKind == "dns")
            let closedRow = try row("closed")
            #expect(closedRow.errorKind == "connect" && closedRow.attempts == 3)

            #expect(try row("ua").title == FetchConfig.defaultUserAgent)

            let invalid = try #require(rows.first { $0.url == nil })
            #expect(invalid.errorKind == "invalid-url" && invalid.line == names.count + 3)
            #expect(invalid.error?.contains("line \(names.count + 3)") == true)
        }
    }
}
