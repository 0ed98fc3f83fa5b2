import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScamSift
import ScamSiftFetch
import ScamSiftTestServer
import Testing

/// Each timeout on its own: the right error kind, and a run that lasts about the configured time.
/// The bounds are wide on the slow side: the machines are shared, and other suites run alongside.
@Suite struct TimeoutTests {
    static func config(connect: Double = 5, read: Double = 5, total: Double = 10) -> FetchConfig {
        var c = FetchConfig()
        c.connectTimeout = connect
        c.readTimeout = read
        c.timeout = total
        c.retries = 0
        return c
    }

    /// Fetches one URL; returns the result and the seconds it took by the wall clock.
    static func fetch(_ url: String, _ config: FetchConfig) async throws -> (FetchResult, Double) {
        try await config.withClient { client in
            let started = ContinuousClock.now
            let result = await Fetcher(client: client, config: config).fetch(url)
            return (result, Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000)
        }
    }

    @Test func connectTimeoutOnAListenerWhoseQueueIsFull() async throws {
        guard let listener = FullBacklogListener() else {
            try Test.cancel("could not fill a listening socket's queue here (this kernel answers or refuses instead of dropping the SYN); the connect timeout was not tested")
        }
        defer { listener.close() }
        let (result, seconds) = try await Self.fetch("http://127.0.0.1:\(listener.port)/", Self.config(connect: 1))
        #expect(result.error?.kind == .connect, "\(result.error?.description ?? "no error")")
        #expect(result.error?.message.contains("within 1 s (--connect-timeout)") == true, "\(result.error?.description ?? "")")
        #expect(result.status == nil && result.attempts == 1)
        #expect(seconds >= 0.9 && seconds < 15, "took \(seconds) s for a 1 s connect timeout")
    }

    /// With retries, each attempt waits its own connect timeout, all within the total.
    @Test func connectTimeoutsAddUpOverRetriesWithinTheTotal() async throws {
        guard let listener = FullBacklogListener() else {
            try Test.cancel("could not fill a listening socket's queue here; the connect timeout was not tested")
        }
        defer { listener.close() }
        var config = Self.config(connect: 0.5, total: 30)
        config.retries = 2
        config.retryBaseDelay = 0.05
        let (result, seconds) = try await Self.fetch("http://127.0.0.1:\(listener.port)/", config)
        #expect(result.error?.kind == .connect && result.attempts == 3, "\(result.error?.description ?? "no error")")
        #expect(seconds >= 1.4 && seconds < 15, "took \(seconds) s for three 0.5 s connect timeouts")
    }

    @Test(arguments: ["/stall", "/stall?before=headers"])
    func readTimeoutWhenTheServerGoesQuiet(route: String) async throws {
        try await withServer { server in
            let (result, seconds) = try await Self.fetch(server.baseURL + route, Self.config(read: 1, total: 20))
            #expect(result.error?.kind == .timeout, "\(result.error?.description ?? "no error")")
            #expect(result.error?.message.contains("nothing for 1 s (--read-timeout)") == true, "\(result.error?.description ?? "")")
            #expect(result.attempts == 1)
            #expect(seconds >= 0.9 && seconds < 15, "took \(seconds) s for a 1 s read timeout")
            // The client hung up; the server saw it.
            try await eventually { server.abandoned("/stall") >= 1 }
        }
    }

    /// A server that sends a byte every 100 ms never trips the read timeout; the total does.
    @Test func totalTimeoutCutsATrickle() async throws {
        try await withServer { server in
            let (result, seconds) = try await Self.fetch(server.baseURL + "/trickle?ms=100", Self.config(read: 1, total: 1.5))
            #expect(result.error?.kind == .timeout, "\(result.error?.description ?? "no error")")
            #expect(result.error?.message.contains("within 1.5 s (--timeout)") == true, "\(result.error?.description ?? "")")
            #expect(seconds >= 1.4 && seconds < 15, "took \(seconds) s for a 1.5 s total")
            #expect(result.elapsedMs >= 1400 && result.elapsedMs < 15000, "elapsed_ms \(result.elapsedMs)")
            try await eventually { server.abandoned("/trickle") >= 1 }
        }
    }
}

/// Waits up to `seconds` for `condition` to hold, then checks it.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
    let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
    #expect(condition(), sourceLocation: sourceLocation)
}

/// A socket on 127.0.0.1 that listens with a backlog of 0 and never accepts, its queue filled by
/// connections of its own: Linux then drops the SYN of any further connection, so a client waits
/// for an answer that never comes, as it would for a host that drops packets. Nil when the queue
/// cannot be filled (a kernel that refuses or answers instead).
final class FullBacklogListener {
    let port: Int
    private var sockets: [Int32]

    private init(port: Int, sockets: [Int32]) {
        self.port = port
        self.sockets = sockets
    }

    convenience init?() {
        var sockets: [Int32] = []
        func fail() -> Bool { for s in sockets { _ = Glibc.close(s) }; return false }
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { return nil }
        sockets.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 0) == 0 else { _ = fail(); return nil }
        // Connect until one connection gets no answer within 300 ms: the queue is then full.
        for _ in 0..<16 {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard s >= 0 else { break }
            sockets.append(s)
            let started = withUnsafePointer(to: &address) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if started == 0 { continue }
            guard errno == EINPROGRESS else { break }
            var poll = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
            if Glibc.poll(&poll, 1, 300) == 0 {
                self.init(port: Int(UInt16(bigEndian: address.sin_port)), sockets: sockets)
                return
            }
        }
        _ = fail()
        return nil
    }

    func close() {
        for s in sockets { _ = Glibc.close(s) }
        sockets = []
    }
}
