import AsyncHTTPClient
import Foundation
import NIOCore
import ScamSift
@testable import ScamSiftServe
import ScamSiftTestServer
import Testing

/// `scamsift serve` in this process on a free port, asked over HTTP as a browser would.
/// One at a time: each starts a server, and a busy two-core machine is slow to start many.
@Suite(.serialized) struct ServeEndToEndTests {
    static let scamSample = "Samples/scam/en-hyip-plans-goldrise.html"

    /// What the engine says of a page on its own, to compare the server's page with.
    static func expected(_ bytes: Data, language: String, contentType: String? = nil) throws -> (Report, Explanation) {
        let report = try builtInEngine.score(html: bytes, contentType: contentType, source: "expected")
        return (report, Explainer(localizer: Localizer(language: language)).explain(report))
    }

    // MARK: - The form

    @Test func theFormPageHasBothFormsTheSecurityHeadersAndNothingFromElsewhere() async throws {
        try await withServer { s in
            let page = try await s.send(.GET, "/")
            #expect(page.status == 200)
            #expect(page.headers.first(name: "content-type") == "text/html; charset=utf-8")
            #expect(page.headers.first(name: "content-security-policy")
                    == "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
            #expect(page.headers.first(name: "x-content-type-options") == "nosniff")
            #expect(page.headers.first(name: "referrer-policy") == "no-referrer")
            #expect(page.headers.first(name: "cache-control") == "no-store")
            #expect(page.headers.first(name: "set-cookie") == nil)
            #expect(page.body.contains("<form method=\"post\" action=\"/check?lang=en\">"))
            #expect(page.body.contains("enctype=\"multipart/form-data\""))
            #expect(page.body.contains("name=\"url\"") && page.body.contains("name=\"page\" type=\"file\""))
            #expect(page.body.contains(shown(localized("en", "serve.title"))))
            // Self-contained: no script, and every address it names is a path on this server.
            #expect(!page.body.lowercased().contains("<script"))
            #expect(!page.body.contains("src="))
            let refs = Self.attributeValues(page.body, names: ["href", "action", "src"])
            #expect(refs.count >= 3)
            for ref in refs { #expect(ref.hasPrefix("/") && !ref.hasPrefix("//"), "\(ref)") }
            #expect(!page.body.contains("http://") && !page.body.contains("https://example") && !page.body.contains("url("))
        }
    }

    /// Every value of the named attributes (`href="…"`).
    static func attributeValues(_ html: String, names: [String]) -> [String] {
        var out: [String] = []
        for name in names {
            var rest = Substring(html)
            while let r = rest.range(of: " \(name)=\"") {
                let after = rest[r.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                out.append(String(after[..<end]))
                rest = after[end...]
            }
        }
        return out
    }

    @Test func theLanguageComesFromTheQueryThenTheBrowserThenTheServer() async throws {
        try await withServer(testSettings { $0.language = "bn" }) { s in
            let byServer = try await s.send(.GET, "/")
            #expect(byServer.body.contains("<html lang=\"bn\">"))
            #expect(byServer.body.contains(shown(localized("bn", "serve.title"))))
            let byBrowser = try await s.send(.GET, "/", headers: [("Accept-Language", "fr-FR, en-GB;q=0.8, bn;q=0.5")])
            #expect(byBrowser.body.contains("<html lang=\"en\">"))
            let byQuery = try await s.send(.GET, "/?lang=en", headers: [("Accept-Language", "bn")])
            #expect(byQuery.body.contains("<html lang=\"en\">") && byQuery.body.contains("action=\"/check?lang=en\""))
        }
        #expect(LanguageChoice.preferred("bn-BD,bn;q=0.9,en;q=0.8") == "bn")
        #expect(LanguageChoice.preferred("en;q=0.2, bn;q=0.9") == "bn")
        #expect(LanguageChoice.preferred("bn;q=0, fr") == nil)
        #expect(LanguageChoice.choose(query: "xx", acceptLanguage: nil, fallback: "bn") == "bn")
    }

    // MARK: - Uploads

    @Test func anUploadedHTMLPageGetsItsReportInBengali() async throws {
        let html = try repoFile(Self.scamSample)
        let (report, bn) = try Self.expected(html, language: "bn")
        try await withServer { s in
            let page = try await s.upload(html, name: "goldrise.html", query: "?lang=bn")
            #expect(page.status == 200)
            // The same document `score --format html` writes, with a way back to the form.
            #expect(page.body.contains("<html lang=\"bn\""))
            #expect(page.body.contains(inReport(localized("bn", "html.heading"))))
            #expect(page.body.contains(inReport(bn.headline)))
            #expect(page.body.contains(inReport(localized("bn", "html.score", ["score": Localizer(language: "bn").number(report.score)]))))
            #expect(page.body.contains(inReport(localized("bn", "html.verdict.\(report.verdict.rawValue)"))))
            #expect(page.body.contains("<a href=\"/?lang=bn\">\(shown(localized("bn", "serve.again")))</a>"))
            #expect(page.body.contains(inReport(bn.advice[0])))
            for reason in bn.reasons.prefix(3) { #expect(page.body.contains(inReport(reason.text))) }
            #expect(page.headers.first(name: "content-security-policy")?.hasPrefix("default-src 'none'") == true)
            #expect(!page.body.lowercased().contains("<script"))
        }
        #expect(report.verdict == .likelyScam)
    }

    @Test func anMHTMLArchiveIsReadUploadedOrAsTheWholeBody() async throws {
        let mhtml = try repoFile("Tests/ScamSiftTests/Fixtures/mhtml/bn-shapla-qp.mhtml")
        let (report, en) = try Self.expected(mhtml, language: "en")
        try await withServer { s in
            let uploaded = try await s.upload(mhtml, name: "shapla.mhtml", type: "multipart/related")
            #expect(uploaded.status == 200)
            #expect(uploaded.body.contains(inReport(en.headline)))
            let raw = try await s.send(.POST, "/check", headers: [("Content-Type", "application/x-mimearchive"), ("Origin", s.origin)], body: mhtml)
            #expect(raw.status == 200)
            #expect(raw.body.contains(inReport(en.headline)))
            #expect(raw.body.contains(inReport(localized("en", "html.score", ["score": String(report.score)]))))
        }
    }

    @Test func aRawHTMLBodyIsScoredInTheBrowsersLanguage() async throws {
        let html = try repoFile(Self.scamSample)
        let (_, bn) = try Self.expected(html, language: "bn")
        try await withServer { s in
            let page = try await s.send(.POST, "/check", headers: [("Content-Type", "text/html; charset=utf-8"), ("Accept-Language", "bn-BD")], body: html)
            #expect(page.status == 200)
            #expect(page.body.contains(inReport(bn.headline)))
        }
    }

    // MARK: - Limits

    @Test func anOversizeBodyIsRefusedWith413() async throws {
        let settings = testSettings()
        let big = Data(repeating: UInt8(ascii: "a"), count: settings.bodyLimit + 1)
        let fileTooBig = Data(repeating: UInt8(ascii: "b"), count: settings.pageLimit + 1)  // the body itself fits
        try await withServer(settings) { s in
            let raw = try await s.send(.POST, "/check?lang=bn", headers: [("Content-Type", "text/html"), ("Origin", s.origin)], body: big)
            #expect(raw.status == 413)
            let bn = Localizer(language: "bn")
            #expect(raw.body.contains(shown(bn("serve.error.too_large", ["size": ServeFailure.size(settings.pageLimit, bn)]))))
            #expect(raw.body.contains(shown(bn("serve.kilobytes", ["n": "256"]))))
            let uploaded = try await s.upload(fileTooBig, name: "big.html")
            #expect(uploaded.status == 413)
            // Without a Content-Length (chunked), the body is counted as it comes.
            var request = HTTPClientRequest(url: s.base + "/check")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "text/html")
            let (chunks, feed) = AsyncStream<ByteBuffer>.makeStream()
            for _ in 0..<(settings.bodyLimit / (64 * 1024) + 2) { feed.yield(ByteBuffer(bytes: Data(repeating: 0x61, count: 64 * 1024))) }
            feed.finish()
            request.body = .stream(chunks, length: .unknown)
            let response = try await s.client.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 413)
            // And a page just under the limit is taken.
            let fits = try await s.send(.POST, "/check", headers: [("Content-Type", "text/html")],
                                        body: Data("<title>x</title>".utf8) + Data(repeating: 0x20, count: settings.pageLimit - 100))
            #expect(fits.status == 200)
        }
    }

    @Test func aCheckThatOutlivesTheRequestDeadlineGets422() async throws {
        try await withServerAndPages(testSettings { $0.requestTimeout = 1; $0.addresses = .any }) { s, pages in
            let start = ContinuousClock.now
            let page = try await s.postForm(["url": "\(pages.baseURL)/trickle?ms=200"])
            #expect(page.status == 422)
            #expect(page.body.contains(shown(localized("en", "serve.error.timeout", ["seconds": "1"]))))
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test func aBodyThatStopsComingGets408AtTheDeadline() async throws {
        try await withServer(testSettings { $0.requestTimeout = 1 }) { s in
            var request = HTTPClientRequest(url: s.base + "/check")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "text/html")
            // One chunk, then nothing until well after the deadline.
            let (chunks, feed) = AsyncStream<ByteBuffer>.makeStream()
            feed.yield(ByteBuffer(string: "<title>slow</title>"))
            request.body = .stream(chunks, length: .unknown)
            let start = ContinuousClock.now
            let response = try await s.client.execute(request, timeout: .seconds(20))
            #expect(response.status.code == 408)
            #expect(ContinuousClock.now - start < .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(body.contains(shown(localized("en", "serve.error.slow_upload", ["seconds": "1"]))))
            feed.finish()
        }
    }

    // MARK: - Private addresses

    @Test func loopbackAndPrivateAddressesAreRefusedWith403() async throws {
        try await withServerAndPages { s, pages in
            // Only addresses on this machine: should the check ever fail, nothing leaves it
            // (private ranges elsewhere are covered by AddressPolicyTests without a request).
            for url in ["\(pages.baseURL)/page/scam", "http://localhost:\(pages.port)/page/scam", "http://[::1]:\(pages.port)/",
                        "http://127.1.2.3:\(pages.port)/page/scam", "http://[::ffff:127.0.0.1]:\(pages.port)/page/scam",
                        "http://0.0.0.0:\(pages.port)/page/scam", "http://2130706433:\(pages.port)/page/scam"] {
                let page = try await s.postForm(["url": url])
                #expect(page.status == 403, "\(url)")
                // The message names the host and the address it led to; its end is the same for all.
                let message = localized("en", "serve.error.private_address", ["host": "HOST", "address": "ADDRESS"])
                #expect(page.body.contains(shown(String(message[message.range(of: "ADDRESS")!.upperBound...]))), "\(url)")
            }
            let bn = try await s.postForm(["url": "\(pages.baseURL)/page/scam"], query: "?lang=bn")
            #expect(bn.body.contains(shown(localized("bn", "serve.error.private_address", ["host": "127.0.0.1", "address": "127.0.0.1"]))))
            #expect(pages.count("/page/scam") == 0)
        }
    }

    @Test func withAllowPrivateAPastedAddressIsFetchedAndScored() async throws {
        let (_, en) = try Self.expected(Data(FaultServer.BuiltIn.scam.utf8), language: "en")
        try await withServerAndPages(testSettings { $0.addresses = .any }) { s, pages in
            let page = try await s.postForm(["url": "\(pages.baseURL)/page/scam"])
            #expect(page.status == 200)
            #expect(page.body.contains(shown(en.headline)))
            #expect(pages.count("/page/scam") == 1)
            let missing = try await s.postForm(["url": "\(pages.baseURL)/status/404"])
            #expect(missing.status == 422)
            #expect(missing.body.contains(shown(localized("en", "serve.fetch.status", ["status": "404"]))))
        }
    }

    @Test func aRedirectToAPrivateAddressIsRefused() async throws {
        // Only 127.0.0.1 counts as public here, so the test server can stand for a public site.
        let onlyLocalServer = AddressPolicy { $0.description == "127.0.0.1" ? nil : .loopback }
        try await withServerAndPages(testSettings { $0.addresses = onlyLocalServer }) { s, pages in
            let target = "http://127.0.0.2:\(pages.port)/page/scam"
            let page = try await s.postForm(["url": "\(pages.baseURL)/redirect/to?location=\(target)"])
            #expect(page.status == 403)
            #expect(page.body.contains(shown(localized("en", "serve.error.private_address", ["host": "127.0.0.2", "address": "127.0.0.2"]))))
            #expect(pages.count("/redirect/to") == 1)
            // The same redirect to an allowed address is followed.
            let allowed = try await s.postForm(["url": "\(pages.baseURL)/redirect/to?location=/page/scam"])
            #expect(allowed.status == 200)
        }
    }

    // MARK: - Other sites' forms

    @Test func aFormPostedFromAnotherSiteIsRefusedWith403() async throws {
        let html = Data("<title>Hello</title><p>Minimum deposit $50, 3% daily</p>".utf8)
        try await withServer { s in
            func post(_ headers: [(String, String)]) async throws -> Int {
                try await s.send(.POST, "/check", headers: [("Content-Type", "text/html")] + headers, body: html).status
            }
            #expect(try await post([("Origin", "http://evil.example")]) == 403)
            #expect(try await post([("Origin", "http://127.0.0.1:\(s.address.port + 1)")]) == 403)
            #expect(try await post([("Referer", "http://evil.example/form.html")]) == 403)
            #expect(try await post([("Origin", "null"), ("Sec-Fetch-Site", "cross-site")]) == 403)
            #expect(try await post([("Origin", "null")]) == 403)
            #expect(try await post([("Sec-Fetch-Site", "same-site")]) == 403)
            // DNS rebinding: a name that resolves here is not one of the server's names.
            #expect(try await post([("Host", "evil.example:\(s.address.port)"), ("Origin", "http://evil.example:\(s.address.port)")]) == 403)
            #expect(try await post([("Host", "evil.example:\(s.address.port)")]) == 403)
            let refused = try await s.send(.POST, "/check?lang=bn", headers: [("Content-Type", "text/html"), ("Origin", "http://evil.example")], body: html)
            #expect(refused.body.contains(shown(localized("bn", "serve.error.cross_origin"))))
            // Our own page: its origin under any of the server's names, or the browser's null
            // origin (no-referrer) that it marks same-origin; and clients that send neither.
            #expect(try await post([("Origin", s.origin)]) == 200)
            #expect(try await post([("Origin", "http://localhost:\(s.address.port)")]) == 200)
            #expect(try await post([("Origin", "null"), ("Sec-Fetch-Site", "same-origin")]) == 200)
            #expect(try await post([("Referer", "\(s.base)/?lang=bn")]) == 200)
            #expect(try await post([]) == 200)
        }
    }

    // MARK: - Errors

    @Test func everyErrorIsAPageInTheReadersLanguageWithA4xxStatus() async throws {
        try await withServer { s in
            let missing = try await s.send(.GET, "/nothing-here?lang=bn")
            #expect(missing.status == 404)
            #expect(missing.body.contains(shown(localized("bn", "serve.error.not_found"))))
            #expect(missing.headers.first(name: "content-security-policy") != nil)
            let get = try await s.send(.GET, "/check")
            #expect(get.status == 405)
            #expect(get.headers.first(name: "allow") == "POST")
            let put = try await s.send(.PUT, "/", body: Data("x".utf8))
            #expect(put.status == 405)
            #expect(put.headers.first(name: "allow") == "GET, HEAD")
            let empty = try await s.postForm(["url": "  "], query: "?lang=bn")
            #expect(empty.status == 400)
            #expect(empty.body.contains(shown(localized("bn", "serve.error.empty"))))
            let notURL = try await s.postForm(["url": "ftp://files.example/x"])
            #expect(notURL.status == 400)
            let pdf = try await s.upload(try repoFile("Tests/ScamSiftTests/Fixtures/mhtml/statement.pdf"), name: "statement.pdf", type: "application/pdf")
            #expect(pdf.status == 415)
            #expect(pdf.body.contains(shown(localized("en", "serve.error.not_a_page_type", ["type": "PDF"]))))
            let json = try await s.send(.POST, "/check", headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
            #expect(json.status == 415)
            let broken = try await s.send(.POST, "/check", headers: [("Content-Type", "multipart/form-data; boundary=abc")], body: Data("--abc\r\nno end".utf8))
            #expect(broken.status == 400)
            let badArchive = try await s.upload(try repoFile("Tests/ScamSiftTests/Fixtures/mhtml/bad-base64.mhtml"), name: "bad.mhtml")
            #expect(badArchive.status == 422)
            let head = try await s.send(.HEAD, "/")
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }
}

/// A server and a local site (the fault server) for it to fetch.
func withServerAndPages(_ settings: ServeSettings = testSettings(),
                        _ body: (Served, FaultServer) async throws -> Void) async throws {
    let pages = try await FaultServer.start()
    do {
        try await withServer(settings) { s in try await body(s, pages) }
        try await pages.stop()
    } catch {
        try? await pages.stop()
        throw error
    }
}
