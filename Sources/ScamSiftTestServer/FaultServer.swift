import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A local HTTP server for tests and benchmarks: serves pages, and one route per network fault.
/// It listens on 127.0.0.1 only, on an ephemeral port unless told otherwise; with a TLS context
/// it speaks HTTPS (the same routes).
///
/// Routes (GET):
/// - `/samples/<path>`: a page from the pages given at start (text/html; charset=utf-8)
/// - `/bench/<n>`: page number n modulo the page count
/// - `/page/scam`, `/page/legit`: the two built-in pages
/// - `/status/<code>`: that status
/// - `/flaky?key=K&fail=N`: 500 for the first N requests with key K, then the scam page
/// - `/retry-after?key=K&seconds=S`: 429 with `Retry-After: S` once per key, then the scam page
/// - `/redirect/chain?n=N`: N redirects, then the scam page; `/redirect/loop`; `/redirect/ftp`
/// - `/redirect/to?location=L`: one redirect to L (for tests of where a redirect may lead)
/// - `/trickle?ms=M`: a 200 whose body comes one byte every M ms, for ever
/// - `/large?bytes=N`: the scam page padded to N bytes (Content-Length N)
/// - `/endless`: a chunked body that never ends
/// - `/stall`: headers and the start of a body, then nothing; `/stall?before=headers`: not even headers
/// - `/gzip`, `/deflate`: the scam page compressed; `/gzip-bomb?mb=N`: N MiB of zeros as gzip;
///   `/deflate-raw`: the scam page as raw deflate (no zlib wrapper), as some servers send it;
///   `/gzip-endless`: a gzip stream of text (several times smaller than it inflates) that never
///   ends; `/brotli`: a body
///   labelled `br`
/// - `/not-html`: an image/png
/// - `/latin1`: a page whose header says ISO-8859-1 and whose bytes also read as UTF-8
/// - `/mhtml`: the scam page as a `multipart/related` archive, the boundary in the header
/// - `/close-mid-body`: announces 100000 bytes, sends 1000, closes
/// - `/echo-ua`: a page whose title is the request's User-Agent
/// - `/slow?ms=M&key=K`: the scam page after M ms (the server counts requests in flight per key)
/// - `/site/`: a harmless landing page linking to `/site/plans` (scam), `/site/about` (legit) and others
// @unchecked: every stored property is a `let`; the NIO channel is thread-safe and `state` guards itself.
public final class FaultServer: @unchecked Sendable {
    public let port: Int
    private let channel: Channel
    let state: State

    public let isTLS: Bool

    public var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }

    /// - Parameters:
    ///   - pages: path (as under `/samples/`) → bytes.
    ///   - tls: serve HTTPS with this context (see `TestAuthority`).
    public static func start(pages: [String: [UInt8]] = [:], port: Int = 0, tls: NIOSSLContext? = nil) async throws -> FaultServer {
        let state = State(pages: pages)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        return FaultServer(channel: channel, state: state, port: channel.localAddress?.port ?? port, isTLS: tls != nil)
    }

    /// Reads every `.html` file under a folder, keyed by its path relative to the folder.
    public static func pages(fromDirectory dir: String) -> [String: [UInt8]] {
        var pages: [String: [UInt8]] = [:]
        let base = URL(fileURLWithPath: dir).standardizedFileURL
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return pages }
        for case let url as URL in e where url.pathExtension == "html" {
            let rel = String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))
            if let d = FileManager.default.contents(atPath: url.path) { pages[rel] = [UInt8](d) }
        }
        return pages
    }

    init(channel: Channel, state: State, port: Int, isTLS: Bool) {
        self.channel = channel
        self.state = state
        self.port = port
        self.isTLS = isTLS
    }

    /// A port on 127.0.0.1 where nothing listens: bound, then closed.
    public static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }

    public func stop() async throws {
        try await channel.close()
    }

    /// Requests seen for a route key (`flaky`, `retry-after` and `slow` keys), in order, with times.
    public func requestTimes(_ key: String) -> [Date] { state.withLock { $0.times[key] ?? [] } }
    /// The most requests that were in flight at once on `/slow` with this key.
    public func maxInFlight(_ key: String) -> Int { state.withLock { $0.maxInFlight[key] ?? 0 } }
    /// Requests served, per path (without the query).
    public func count(_ path: String) -> Int { state.withLock { $0.counts[path] ?? 0 } }
    /// Responses to a streaming route (`/endless`, `/gzip-endless`, `/trickle`, `/stall`) whose
    /// client went away, per path: the client stopped reading and closed the connection.
    public func abandoned(_ path: String) -> Int { state.withLock { $0.abandoned[path] ?? 0 } }

    // @unchecked: the mutable tables are read and written only under `lock` (`withLock`); the pages are `let`.
    final class State: @unchecked Sendable {
        struct Data {
            var counts: [String: Int] = [:]
            var times: [String: [Date]] = [:]
            var inFlight: [String: Int] = [:]
            var maxInFlight: [String: Int] = [:]
            var bombs: [Int: [UInt8]] = [:]
            var abandoned: [String: Int] = [:]
        }
        let pages: [String: [UInt8]]
        let sortedPages: [[UInt8]]
        private let lock = NSLock()
        private var data = Data()

        init(pages: [String: [UInt8]]) {
            self.pages = pages
            self.sortedPages = pages.keys.sorted().compactMap { pages[$0] }
        }

        func withLock<T>(_ body: (inout Data) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&data)
        }
    }

    /// `/gzip-endless`: 64 KiB of notes, each different (so it inflates about tenfold, like a real
    /// page), compressed once and sent for ever. Plain words: a page for the network code, not one
    /// that gives the scorer work.
    static let endlessNotes: (start: [UInt8], again: [UInt8]) = {
        let words = ["harbour", "lantern", "meadow", "orchard", "pebble", "quarry", "river", "saddle", "thimble",
                     "violet", "willow", "yonder", "amber", "bramble", "cobalt", "drift", "ember", "fennel"]
        var text = "<html><head><title>Endless notes</title></head><body>\n"
        var n = 0
        while text.utf8.count < 65536 {
            let line = (0..<6).map { words[(n * 7 + $0 * 5 + n / 18) % words.count] }.joined(separator: " ")
            text += "<p>Note \(n): \(line)</p>\n"
            n += 1
        }
        return Compression.endlessGzip(of: Array(text.utf8.prefix(65536)))
    }()

    /// Built-in pages, so the server works without the Samples folder.
    public enum BuiltIn {
        public static let scam = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>GoldRise Capital – Guaranteed 3% daily</title></head>
        <body><h1>Earn 3.2% daily, guaranteed</h1>
        <p>Minimum deposit $50. Choose your investment plan and start earning today.</p>
        <table><tr><td>Plan A</td><td>3.2% daily for 30 days</td><td>Minimum deposit $50</td></tr>
        <tr><td>Plan B</td><td>5% daily for 20 days</td><td>Principal included</td></tr></table>
        <p>Refer friends and earn 10% referral commission on every deposit. Withdraw instantly.</p>
        <p>Pay the activation fee to unlock VIP tasks.</p>
        </body></html>
        """
        public static let legit = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>TaskHarbor – freelance marketplace</title></head>
        <body><h1>Find freelance work</h1>
        <p>Joining is free. Publish a gig, deliver the work, and get paid when the buyer accepts it.</p>
        <p>We keep a 10% service fee from what you earn. Withdraw to your bank account.</p>
        <p>Read our terms of service and privacy policy. Registered office: 12 Harbour Street, Leeds.</p>
        </body></html>
        """
        public static let site = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Orbit Rewards</title></head>
        <body><h1>Welcome to Orbit Rewards</h1><p>A friendly community. Sign in to continue.</p>
        <a href="/site/contact">Contact</a> <a href="/site/blog">Blog</a>
        <a href="http://elsewhere.invalid/plans">Partner plans</a>
        <a href="/site/about">About us</a> <a href="/site/plans#top">Our plans</a>
        <a href="/site/">Home</a>
        </body></html>
        """
    }

    // @unchecked: a handler belongs to one channel, and NIO calls it only on that channel's event loop,
    // so `head` is never touched from two threads; the closures it schedules run on the same loop.
    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let state: State
        var head: HTTPRequestHead?

        init(state: State) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .head(h): head = h
            case .body: break
            case .end:
                guard let head else { return }
                self.head = nil
                route(head, channel: context.channel)
            }
        }

        func send(_ channel: Channel, _ status: HTTPResponseStatus, _ headers: [(String, String)], _ body: [UInt8], keepAlive: Bool) {
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "content-length", value: String(body.count))
            if !keepAlive { h.replaceOrAdd(name: "connection", value: "close") }
            channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: h)), promise: nil)
            var buffer = channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
            let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
            if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
        }

        func html(_ channel: Channel, _ text: String, status: HTTPResponseStatus = .ok, extra: [(String, String)] = [], keepAlive: Bool) {
            send(channel, status, [("content-type", "text/html; charset=utf-8")] + extra, Array(text.utf8), keepAlive: keepAlive)
        }

        func route(_ head: HTTPRequestHead, channel: Channel) {
            let keepAlive = head.isKeepAlive
            let comps = URLComponents(string: head.uri)
            let path = comps?.path ?? head.uri
            var query: [String: String] = [:]
            for item in comps?.queryItems ?? [] { query[item.name] = item.value ?? "" }
            state.withLock { $0.counts[path, default: 0] += 1 }
            let scam = FaultServer.BuiltIn.scam

            if path.hasPrefix("/samples/") {
                let rel = String(path.dropFirst("/samples/".count)).removingPercentEncoding ?? ""
                if let page = state.pages[rel] {
                    send(channel, .ok, [("content-type", "text/html; charset=utf-8")], page, keepAlive: keepAlive)
                } else {
                    html(channel, "<title>Not found</title>", status: .notFound, keepAlive: keepAlive)
                }
                return
            }
            if path.hasPrefix("/bench/") {
                let n = Int(path.dropFirst("/bench/".count)) ?? 0
                if state.sortedPages.isEmpty {
                    html(channel, n % 2 == 0 ? scam : FaultServer.BuiltIn.legit, keepAlive: keepAlive)
                } else {
                    send(channel, .ok, [("content-type", "text/html; charset=utf-8")], state.sortedPages[n % state.sortedPages.count], keepAlive: keepAlive)
                }
                return
            }
            if path.hasPrefix("/status/") {
                let code = Int(path.dropFirst("/status/".count)) ?? 500
                html(channel, "<title>Status \(code)</title><p>status \(code)</p>", status: HTTPResponseStatus(statusCode: code), keepAlive: keepAlive)
                return
            }
            switch path {
            case "/page/scam": html(channel, scam, keepAlive: keepAlive)
            case "/page/legit": html(channel, FaultServer.BuiltIn.legit, keepAlive: keepAlive)
            case "/flaky":
                let key = "flaky:" + (query["key"] ?? "")
                let fail = Int(query["fail"] ?? "1") ?? 1
                let n = state.withLock { d -> Int in d.times[key, default: []].append(Date()); return d.times[key]!.count }
                if n <= fail {
                    html(channel, "<title>Server error</title>", status: .internalServerError, keepAlive: keepAlive)
                } else {
                    html(channel, scam, keepAlive: keepAlive)
                }
            case "/retry-after":
                let key = "retry-after:" + (query["key"] ?? "")
                let seconds = query["seconds"] ?? "1"
                let n = state.withLock { d -> Int in d.times[key, default: []].append(Date()); return d.times[key]!.count }
                if n == 1 {
                    html(channel, "<title>Slow down</title>", status: .tooManyRequests, extra: [("retry-after", seconds)], keepAlive: keepAlive)
                } else {
                    html(channel, scam, keepAlive: keepAlive)
                }
            case "/redirect/chain":
                let n = Int(query["n"] ?? "0") ?? 0
                if n <= 0 {
                    html(channel, scam, keepAlive: keepAlive)
                } else {
                    send(channel, .found, [("location", "/redirect/chain?n=\(n - 1)")], [], keepAlive: keepAlive)
                }
            case "/redirect/loop": send(channel, .found, [("location", "/redirect/loop2")], [], keepAlive: keepAlive)
            case "/redirect/loop2": send(channel, .found, [("location", "/redirect/loop")], [], keepAlive: keepAlive)
            case "/redirect/ftp": send(channel, .movedPermanently, [("location", "ftp://127.0.0.1/plans.html")], [], keepAlive: keepAlive)
            case "/redirect/to": send(channel, .found, [("location", query["location"] ?? "/")], [], keepAlive: keepAlive)
            case "/trickle":
                let ms = Int64(query["ms"] ?? "100") ?? 100
                noteAbandon(channel, path)
                startStream(channel, headers: [("content-type", "text/html; charset=utf-8"), ("transfer-encoding", "chunked")])
                trickle(channel, every: .milliseconds(ms), first: Array("<html><body><p>".utf8))
            case "/large":
                let size = Int(query["bytes"] ?? "") ?? 10 * 1024 * 1024
                var body = Array(scam.utf8)
                let filler = Array("<p>more plans, more deposits, more profit</p>\n".utf8)
                while body.count < size { body += filler }
                send(channel, .ok, [("content-type", "text/html; charset=utf-8")], Array(body.prefix(size)), keepAlive: keepAlive)
            case "/stall":
                noteAbandon(channel, path)
                // Never answered at all, or headers and a first piece, then silence while the client waits.
                if query["before"] == "headers" { return }
                startStream(channel, headers: [("content-type", "text/html; charset=utf-8"), ("content-length", "100000")])
                var b = channel.allocator.buffer(capacity: 64)
                b.writeString("<html><head><title>Stalled</title></head><body>")
                channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(b)), promise: nil)
            case "/deflate-raw":
                send(channel, .ok, [("content-type", "text/html; charset=utf-8"), ("content-encoding", "deflate")],
                     Compression.compress(Array(scam.utf8), wrapper: .raw), keepAlive: keepAlive)
            case "/brotli":
                send(channel, .ok, [("content-type", "text/html; charset=utf-8"), ("content-encoding", "br")],
                     [0x1B, 0x03, 0x00, 0xF8, 0xA5, 0x40, 0x02], keepAlive: keepAlive)
            case "/gzip-endless":
                noteAbandon(channel, path)
                startStream(channel, headers: [("content-type", "text/html; charset=utf-8"), ("content-encoding", "gzip"),
                                               ("transfer-encoding", "chunked")])
                gzipEndless(channel, FaultServer.endlessNotes.start)
            case "/endless":
                noteAbandon(channel, path)
                startStream(channel, headers: [("content-type", "text/html; charset=utf-8"), ("transfer-encoding", "chunked")])
                var chunk = Array(scam.utf8)
                while chunk.count < 16384 { chunk += Array("<p>deposit now and earn daily</p>\n".utf8) }
                endless(channel, chunk: chunk)
            case "/gzip":
                send(channel, .ok, [("content-type", "text/html; charset=utf-8"), ("content-encoding", "gzip")],
                     Compression.gzip(Array(scam.utf8)), keepAlive: keepAlive)
            case "/deflate":
                send(channel, .ok, [("content-type", "text/html; charset=utf-8"), ("content-encoding", "deflate")],
                     Compression.zlib(Array(scam.utf8)), keepAlive: keepAlive)
            case "/gzip-bomb":
                let mb = Int(query["mb"] ?? "8") ?? 8
                let bomb = state.withLock { d -> [UInt8] in
                    if let b = d.bombs[mb] { return b }
                    let b = Compression.gzipBomb(size: mb << 20)
                    d.bombs[mb] = b
                    return b
                }
                send(channel, .ok, [("content-type", "text/html"), ("content-encoding", "gzip")], bomb, keepAlive: keepAlive)
            case "/not-html":
                send(channel, .ok, [("content-type", "image/png")], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64), keepAlive: keepAlive)
            case "/latin1":
                // As ISO-8859-1 the title is "CafÃ© Ã¨ la carte"; read as UTF-8 it would be "Café è la carte".
                let body: [UInt8] = Array("<html><head><title>Caf".utf8) + [0xC3, 0xA9] + Array(" ".utf8) + [0xC3, 0xA8]
                    + Array(" la carte</title></head><body><p>Menu</p></body></html>".utf8)
                send(channel, .ok, [("content-type", "text/html; charset=ISO-8859-1")], body, keepAlive: keepAlive)
            case "/mhtml":
                let body = "--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Location: http://127.0.0.1/plans\r\n\r\n"
                    + scam + "\r\n--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n"
                send(channel, .ok, [("content-type", "multipart/related; type=\"text/html\"; boundary=b1")], Array(body.utf8), keepAlive: keepAlive)
            case "/close-mid-body":
                startStream(channel, headers: [("content-type", "text/html; charset=utf-8"), ("content-length", "100000")])
                var b = channel.allocator.buffer(capacity: 1000)
                b.writeBytes([UInt8](repeating: UInt8(ascii: "a"), count: 1000))
                channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(b))).whenComplete { _ in
                    channel.close(promise: nil)
                }
            case "/echo-ua":
                let ua = head.headers.first(name: "user-agent") ?? ""
                let safe = ua.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                html(channel, "<html><head><title>\(safe)</title></head><body><p>hello</p></body></html>", keepAlive: keepAlive)
            case "/slow":
                let key = "slow:" + (query["key"] ?? "")
                let ms = Int64(query["ms"] ?? "200") ?? 200
                state.withLock { d in
                    d.times[key, default: []].append(Date())
                    d.inFlight[key, default: 0] += 1
                    d.maxInFlight[key] = max(d.maxInFlight[key] ?? 0, d.inFlight[key]!)
                }
                let state = self.state
                channel.eventLoop.scheduleTask(in: .milliseconds(ms)) {
                    state.withLock { $0.inFlight[key, default: 1] -= 1 }
                    self.html(channel, scam, keepAlive: keepAlive)
                }
            case "/site/", "/site":
                html(channel, FaultServer.BuiltIn.site, keepAlive: keepAlive)
            case "/site/plans": html(channel, scam, keepAlive: keepAlive)
            case "/site/about": html(channel, FaultServer.BuiltIn.legit, keepAlive: keepAlive)
            case "/site/contact", "/site/blog": html(channel, "<title>Other</title><p>nothing here</p>", keepAlive: keepAlive)
            default:
                html(channel, "<title>Not found</title>", status: .notFound, keepAlive: keepAlive)
            }
        }

        func startStream(_ channel: Channel, headers: [(String, String)]) {
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "connection", value: "close")
            channel.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: h)), promise: nil)
        }

        /// One byte per tick until the client goes away.
        func trickle(_ channel: Channel, every: TimeAmount, first: [UInt8]) {
            var b = channel.allocator.buffer(capacity: first.count)
            b.writeBytes(first)
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(b)), promise: nil)
            @Sendable func tick() {
                channel.eventLoop.scheduleTask(in: every) {
                    guard channel.isActive else { return }
                    var one = channel.allocator.buffer(capacity: 1)
                    one.writeString("x")
                    channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(one)), promise: nil)
                    tick()
                }
            }
            tick()
        }

        /// Counts the connection in `abandoned(path)` when the client closes it.
        func noteAbandon(_ channel: Channel, _ path: String) {
            let state = self.state
            channel.closeFuture.whenComplete { _ in state.withLock { $0.abandoned[path, default: 0] += 1 } }
        }

        /// The same gzip segment again and again, each written when the last one left, until the
        /// client goes away.
        func gzipEndless(_ channel: Channel, _ segment: [UInt8]) {
            guard channel.isActive else { return }
            var b = channel.allocator.buffer(capacity: segment.count)
            b.writeBytes(segment)
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(b))).whenComplete { result in
                if case .success = result { self.gzipEndless(channel, FaultServer.endlessNotes.again) }
            }
        }

        /// Chunk after chunk, each written when the last one left, until the client goes away.
        func endless(_ channel: Channel, chunk: [UInt8]) {
            guard channel.isActive else { return }
            var b = channel.allocator.buffer(capacity: chunk.count)
            b.writeBytes(chunk)
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(b))).whenComplete { result in
                if case .success = result { self.endless(channel, chunk: chunk) }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            context.close(promise: nil)
        }
    }
}
