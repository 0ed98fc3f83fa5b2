import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import ScamSift
import ScamSiftFetch
import Synchronization

/// Answers every request of `scamsift serve`:
///
/// | path | method | answer |
/// |---|---|---|
/// | `/` | GET, HEAD | the form |
/// | `/check` | POST | the report of a pasted address or an uploaded page |
/// | `/` or `/check` | another | 405 |
/// | anything else | any | 404 |
///
/// Every answer, errors included, is an HTML page in the reader's language with the same
/// security headers. Nothing is written anywhere: a page lives in memory for its request only.
struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let settings: ServeSettings
    let engine: Engine
    let client: HTTPClient
    /// The port the server listens on, known once it has bound (`--port 0` picks one).
    let port: Shared<Int>

    func respond(to request: Request, context: Context) async throws -> Response {
        let language = LanguageChoice.choose(query: request.uri.queryParameters["lang"].map(String.init),
                                             acceptLanguage: request.headers[.acceptLanguage], fallback: settings.language)
        let l = Localizer(language: language, digits: settings.digits)
        do {
            switch (request.uri.path, request.method) {
            case ("/", .get):
                return Self.page(.ok, ServePages.form(l, uploadLimit: settings.pageLimit))
            case ("/", .head):
                return Self.page(.ok, ServePages.form(l, uploadLimit: settings.pageLimit)).createHeadResponse()
            case ("/", _):
                throw ServeFailure.wrongMethod(allowed: "GET, HEAD")
            case ("/check", .post):
                let report = try await check(request)
                return Self.page(.ok, ServePages.report(report, explainer: Explainer(localizer: l, region: settings.region)))
            case ("/check", _):
                throw ServeFailure.wrongMethod(allowed: "POST")
            default:
                throw ServeFailure.notFound
            }
        } catch let failure as ServeFailure {
            var response = Self.page(failure.status, ServePages.error(failure, l))
            if case let .wrongMethod(allowed) = failure { response.headers[.allow] = allowed }
            return request.method == .head ? response.createHeadResponse() : response
        }
    }

    /// A form post: from our own page, within the size and time limits, then fetched or read,
    /// and scored.
    func check(_ request: Request) async throws(ServeFailure) -> Report {
        let origins = OriginCheck(host: settings.host, port: port.value)
        let evidence = OriginCheck.Evidence(authority: request.head.authority, origin: request.headers[.origin],
                                            referer: request.headers[.referer], fetchSite: request.headers[Self.secFetchSite])
        guard origins.allowsPost(evidence) else { throw .crossOrigin }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > settings.bodyLimit {
            throw .tooLarge(limit: settings.pageLimit)
        }
        let deadline = ContinuousClock.now + .nanoseconds(Int64(settings.requestTimeout * 1e9))
        let seconds = Int(settings.requestTimeout.rounded(.up))
        let limit = settings.bodyLimit, pageLimit = settings.pageLimit
        let body = try await Self.within(deadline, or: .slowUpload(seconds: seconds)) { () async throws(ServeFailure) -> Data in
            try await Self.collect(request.body, limit: limit, pageLimit: pageLimit)
        }
        let asked = try CheckRequest.read(body: body, contentType: request.headers[.contentType], pageLimit: settings.pageLimit)
        return try await Self.within(deadline, or: .timedOut(seconds: seconds)) { [self] () async throws(ServeFailure) -> Report in
            switch asked {
            case let .url(address): try await self.fetchAndScore(address)
            case let .page(page): try await self.score(page)
            }
        }
    }

    /// Reads the body, refusing it as soon as it passes `limit`.
    static func collect(_ body: RequestBody, limit: Int, pageLimit: Int) async throws(ServeFailure) -> Data {
        var data = Data()
        do {
            for try await chunk in body {
                guard data.count + chunk.readableBytes <= limit else { throw ServeFailure.tooLarge(limit: pageLimit) }
                data.append(contentsOf: chunk.readableBytesView)
            }
        } catch let failure as ServeFailure {
            throw failure
        } catch {
            throw .badForm
        }
        return data
    }

    /// An address: checked and fetched with the fetcher's limits, every hop's host resolved and
    /// refused when it leads to a private address, then scored.
    func fetchAndScore(_ address: String) async throws(ServeFailure) -> Report {
        guard case let .url(url) = URLNormalizer.parse(address) else { throw .badURL }
        let refusal = Shared<AddressPolicy.Refusal?>(nil)
        let fetcher = Fetcher(client: client, config: settings.fetch,
                              hopCheck: settings.addresses.hopCheck { refusal.set($0) })
        let fetched = await fetcher.fetch(url)
        if let error = fetched.error {
            if error.kind == .blockedAddress, let r = refusal.value {
                throw .privateAddress(host: r.host, address: r.address.description)
            }
            if error.kind == .cancelled { throw .timedOut(seconds: Int(settings.requestTimeout.rounded(.up))) }
            throw .couldNotFetch(error.kind, status: fetched.status)
        }
        let finalURL = URL(string: fetched.finalURL ?? url)
        let body = fetched.body, charset = fetched.charset, contentType = fetched.contentType
        return try await scoreOffLoop { engine in
            try engine.score(html: body, url: finalURL, charset: charset, contentType: contentType, source: address)
        }
    }

    /// An uploaded page: an HTML file or an MHTML archive, sniffed from its bytes.
    func score(_ page: CheckRequest.UploadedPage) async throws(ServeFailure) -> Report {
        let source = page.name.flatMap { $0.isEmpty ? nil : $0 } ?? "upload"
        return try await scoreOffLoop { engine in
            try engine.score(html: page.bytes, url: nil, charset: page.charset, contentType: page.archiveContentType, source: source)
        }
    }

    /// Parsing and scoring are CPU work: on NIO's thread pool, not on the event loops or the
    /// tasks' cooperative threads that every connection shares.
    func scoreOffLoop(_ work: @escaping @Sendable (Engine) throws -> Report) async throws(ServeFailure) -> Report {
        let engine = engine
        do {
            return try await NIOThreadPool.singleton.runIfActive { try work(engine) }
        } catch let InputError.notAWebPage(type) {
            throw .notAPage(type: type.rawValue.uppercased())
        } catch {
            if Task.isCancelled { throw .timedOut(seconds: Int(settings.requestTimeout.rounded(.up))) }
            throw .couldNotScore
        }
    }

    /// Runs `body` until `deadline`; past it, `failure`. The body is cancelled (a fetch stops;
    /// a page being scored runs to its end on its pool thread, bounded by the page limits and
    /// the engine's regex budget, and its result is dropped).
    static func within<T: Sendable>(_ deadline: ContinuousClock.Instant, or failure: ServeFailure,
                                    _ body: @escaping @Sendable () async throws(ServeFailure) -> T) async throws(ServeFailure) -> T {
        let outcome = await withTaskGroup(of: Result<T, ServeFailure>?.self) { group in
            group.addTask {
                do throws(ServeFailure) { return .success(try await body()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { throw failure }
        return try outcome.get()
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// An HTML page with the headers every answer carries: a Content-Security-Policy that lets
    /// nothing run and nothing load (inline styles and data: images only, forms only to
    /// ourselves, no framing), no MIME sniffing, no referrer, nothing cached.
    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}

/// A value shared between tasks: the port once the server has bound, a hop check's refusal.
final class Shared<Value: Sendable>: Sendable {
    private let box: Mutex<Value>

    init(_ value: Value) { box = Mutex(value) }

    var value: Value { box.withLock { $0 } }

    func set(_ value: Value) { box.withLock { $0 = value } }

    /// Changes the value and returns what `change` says, under one lock.
    func update<T: Sendable>(_ change: (inout Value) -> T) -> T { box.withLock { change(&$0) } }
}
