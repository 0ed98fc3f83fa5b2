import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ScamSift
@testable import ScamSiftServe
import Testing

/// The repository's root, for sample pages and fixtures.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func repoFile(_ path: String) throws -> Data {
    try Data(contentsOf: repoRoot.appendingPathComponent(path))
}

/// One engine with the built-in rules for every test (building it is the slow part).
let builtInEngine = Engine(rules: RuleSet.builtIn)

/// Settings for tests: any free port, small limits so oversize bodies stay small, short timeouts.
func testSettings(_ change: (inout ServeSettings) -> Void = { _ in }) -> ServeSettings {
    var s = ServeSettings()
    s.port = 0
    s.fetch.maxBytes = 256 * 1024
    s.fetch.timeout = 5
    s.fetch.connectTimeout = 2
    s.fetch.readTimeout = 5
    s.fetch.retries = 0
    s.requestTimeout = 20
    change(&s)
    return s
}

/// A running server in this process: its address, and a client to ask it.
struct Served: Sendable {
    let address: ListeningAddress
    let client: HTTPClient

    var base: String { "http://127.0.0.1:\(address.port)" }
    var origin: String { base }

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    func send(_ method: HTTPMethod = .GET, _ path: String, headers: [(String, String)] = [], body: Data? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// A form post from the server's own page (its origin), as a browser sends it.
    func postForm(_ fields: [String: String], query: String = "", headers: [(String, String)] = []) async throws -> Answer {
        let body = fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return try await send(.POST, "/check" + query, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", origin)] + headers,
                              body: Data(body.utf8))
    }

    /// The upload form's post: one file field.
    func upload(_ file: Data, name: String, type: String = "text/html", query: String = "", headers: [(String, String)] = []) async throws -> Answer {
        let boundary = "----scamsift-test-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"page\"; filename=\"\(name)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await send(.POST, "/check" + query,
                              headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)"), ("Origin", origin)] + headers, body: body)
    }
}

/// Starts the server on a free port, runs `body`, and stops the server gracefully.
func withServer<T: Sendable>(_ settings: ServeSettings = testSettings(), engine: Engine = builtInEngine,
                             _ body: (Served) async throws -> T) async throws -> T {
    let (addresses, continuation) = AsyncStream<ListeningAddress>.makeStream()
    let shutdown = ServeShutdown()
    let server = Task {
        defer { continuation.finish() }
        try await ServeServer(settings: settings, engine: engine).run(shutdown: shutdown) { continuation.yield($0) }
    }
    var iterator = addresses.makeAsyncIterator()
    guard let address = await iterator.next() else {
        _ = try await server.value
        throw ServeTestError("the server stopped before it listened")
    }
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
    do {
        let result = try await body(Served(address: address, client: client))
        try await client.shutdown()
        await shutdown.trigger()
        try await server.value
        return result
    } catch {
        try? await client.shutdown()
        await shutdown.trigger()
        _ = try? await server.value
        throw error
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The text a page shows for `s`, escaped as in HTML.
func shown(_ s: String) -> String { ServePages.escape(s) }
/// Text as the report (`HTMLReport`) writes it inside an element: quotes are left as they are.
func inReport(_ s: String) -> String { HTMLEscape.text(s) }

func localized(_ language: String, _ key: String, _ values: [String: String] = [:]) -> String {
    Localizer(language: language)(key, values)
}
