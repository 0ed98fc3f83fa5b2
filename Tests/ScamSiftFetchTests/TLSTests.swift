import Foundation
import ScamSift
import ScamSiftFetch
import ScamSiftTestServer
import Testing

/// HTTPS against local servers whose certificates are made here, in memory, for this run:
/// refused certificates are `tls` rows that say why (never a crash, never scored), `--ca-file`
/// trusts an authority of one's own, and a redirect from HTTP to HTTPS is followed.
@Suite struct TLSTests {
    /// One HTTPS server per kind of certificate, and a plain HTTP one.
    struct Servers {
        let authority: TestAuthority
        let caFile: String
        let trusted: FaultServer
        let selfSigned: FaultServer
        let otherAuthority: FaultServer
        let expired: FaultServer
        let wrongHost: FaultServer
        let plain: FaultServer
        let expiredOn: Date

        var all: [FaultServer] { [trusted, selfSigned, otherAuthority, expired, wrongHost, plain] }
    }

    static func withServers<T>(_ body: (Servers) async throws -> T) async throws -> T {
        let authority = try TestAuthority()
        let stranger = try TestAuthority(name: "Some Other Test CA")
        let day: TimeInterval = 86400
        let expiredOn = Date() - 2 * day
        let dir = try temporaryDirectory()
        let caFile = dir.appendingPathComponent("ca.pem").path
        try authority.pem().write(toFile: caFile, atomically: true, encoding: .utf8)
        var started: [FaultServer] = []
        func start(_ identity: TestIdentity?) async throws -> FaultServer {
            let server = try await FaultServer.start(tls: try identity?.serverContext())
            started.append(server)
            return server
        }
        do {
            let servers = Servers(
                authority: authority, caFile: caFile,
                trusted: try await start(try authority.issue(names: ["127.0.0.1", "localhost"])),
                selfSigned: try await start(try TestAuthority.selfSigned(names: ["127.0.0.1"])),
                otherAuthority: try await start(try stranger.issue(names: ["127.0.0.1"])),
                expired: try await start(try authority.issue(names: ["127.0.0.1"], notBefore: Date() - 30 * day, notAfter: expiredOn)),
                wrongHost: try await start(try authority.issue(names: ["wrong.invalid", "other.invalid"])),
                plain: try await start(nil),
                expiredOn: expiredOn)
            let result = try await body(servers)
            for s in started { try await s.stop() }
            return result
        } catch {
            for s in started { try? await s.stop() }
            throw error
        }
    }

    static func day(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    @Test func refusedCertificatesAreTLSRowsThatSayWhy() async throws {
        let engine = try TestRules.engine()
        let expected = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8))
        try await Self.withServers { s in
            var options = testOptions(timeout: 10)
            options.fetch.connectTimeout = 5
            try options.fetch.trustRoots(inPEMFile: s.caFile)
            let page = "/page/scam"
            let redirect = "\(s.plain.baseURL)/redirect/to?location=\(s.trusted.baseURL)\(page)"
            let urls = [s.trusted, s.selfSigned, s.otherAuthority, s.expired, s.wrongHost].map { $0.baseURL + page } + [redirect]
            let (rows, _, _) = try await runBatch(urls, options: options, engine: engine)
            var byURL: [String: BatchRow] = [:]
            for r in rows { if let u = r.url { byURL[u] = r } }
            func row(_ server: FaultServer) throws -> BatchRow { try #require(byURL[server.baseURL + page]) }
            #expect(rows.count == urls.count)

            let good = try row(s.trusted)
            #expect(good.error == nil && good.status == 200 && good.score == expected.score, "\(good.error ?? "")")

            for (server, why) in [(s.selfSigned, "self-signed"), (s.otherAuthority, "Some Other Test CA"), (s.expired, "expired on"),
                                  (s.wrongHost, "wrong.invalid")] {
                let r = try row(server)
                #expect(r.errorKind == "tls", "\(why): \(r.errorKind ?? "no error") \(r.error ?? "")")
                #expect(r.score == nil && r.verdict == nil && r.status == nil, "\(why): a refused certificate is not scored")
                #expect(r.error?.contains(why) == true, "\(r.error ?? "")")
                #expect(r.attempts == 1, "a TLS failure is final: no retry")
            }
            let other = try row(s.otherAuthority)
            #expect(other.error == "the certificate of 127.0.0.1 is not trusted: its chain ends at CN=Some Other Test CA, which is not among the trusted roots (--ca-file adds one)")
            let selfSigned = try row(s.selfSigned)
            #expect(selfSigned.error == "the certificate of 127.0.0.1 is self-signed: no trusted authority vouches for it (--ca-file adds one)")
            #expect(try row(s.expired).error == "the certificate of 127.0.0.1 expired on \(Self.day(s.expiredOn))")
            #expect(try row(s.wrongHost).error == "the certificate is for wrong.invalid, other.invalid, not 127.0.0.1")

            let followed = try #require(rows.first { $0.input == redirect })
            #expect(followed.error == nil && followed.score == expected.score, "\(followed.error ?? "")")
            #expect(followed.redirects == [s.trusted.baseURL + page] && followed.finalURL == s.trusted.baseURL + page)
            #expect(followed.finalURL?.hasPrefix("https://") == true)
        }
    }

    /// The real binary: an authority of one's own is refused until `--ca-file` names it.
    @Test func caFileTrustsAnAuthorityOfOnesOwn() async throws {
        let engine = try TestRules.engine()
        let expected = try engine.score(html: Data(FaultServer.BuiltIn.scam.utf8))
        try await Self.withServers { s in
            let fast = TestRules.cliArguments + ["--timeout", "10", "--connect-timeout", "5", "--retries", "0"]
            let url = s.trusted.baseURL + "/page/scam"
            let refused = try await Binary.runAsync(["score", url] + fast)
            #expect(refused.status == 2, "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains("tls: the certificate of 127.0.0.1 is not trusted: its chain ends at CN=ScamSift throwaway test CA"), "\(refused.stderr)")

            let trusted = try await Binary.runAsync(["score", url, "--format", "json", "--ca-file", s.caFile] + fast)
            #expect(trusted.status == (expected.score >= expected.cutoffs.likelyScam ? 1 : 0), "stderr: \(trusted.stderr)")
            #expect(trusted.stdout.contains("\"score\" : \(expected.score)"))

            // batch: the same option, the same trust; a row per URL either way.
            let dir = try temporaryDirectory()
            let list = dir.appendingPathComponent("urls.txt").path
            try "\(url)\n\(s.selfSigned.baseURL)/page/scam\n".write(toFile: list, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("out.jsonl").path
            let batch = try await Binary.runAsync(["batch", list, "--out", out, "--quiet", "--ca-file", s.caFile] + fast)
            #expect(batch.status == (expected.score >= expected.cutoffs.likelyScam ? 1 : 0), "stderr: \(batch.stderr)")
            let rows = try readRows(out)
            #expect(rows.count == 2)
            #expect(rows.first { $0.url == url }?.score == expected.score)
            #expect(rows.first { $0.url != url }?.errorKind == "tls")

            let missing = try await Binary.runAsync(["score", url, "--ca-file", dir.appendingPathComponent("nope.pem").path] + fast)
            #expect(missing.status == 2 && missing.stderr.contains("--ca-file") && missing.stderr.contains("nope.pem does not exist"), "\(missing.stderr)")
            let notPEM = try await Binary.runAsync(["score", url, "--ca-file", list] + fast)
            #expect(notPEM.status == 2 && notPEM.stderr.contains("holds no readable PEM certificate"), "\(notPEM.stderr)")
        }
    }
}
