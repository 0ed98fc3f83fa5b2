import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import ScamSift

/// How pages are fetched: timeouts, limits, retries and politeness.
/// The defaults are those of `scamsift batch`; every field has a command-line option.
public struct FetchConfig: Sendable {
    /// Seconds to open a TCP (and TLS) connection.
    public var connectTimeout: Double = 10
    /// Seconds without a byte from the server before the request fails.
    public var readTimeout: Double = 15
    /// Total seconds per URL: every attempt, redirect, retry pause and the whole body.
    public var timeout: Double = 30
    /// Bytes of body read per page, as sent and as inflated alike; past it the page is cut and
    /// marked truncated. A run holds at most `concurrency` bodies of this size at once.
    public var maxBytes: Int = 5 * 1024 * 1024
    /// Redirects followed per attempt (only to http and https).
    public var maxRedirects: Int = 5
    /// Extra attempts after a connection error, a 5xx or a 429.
    public var retries: Int = 2
    /// First backoff pause in seconds; doubled each retry, with ±50% jitter.
    public var retryBaseDelay: Double = 0.5
    /// The longest `Retry-After` honoured, in seconds; a longer one ends the retries.
    public var maxRetryAfter: Double = 10
    /// A gzip or deflate body that inflates more than this many times its size is refused.
    public var decompressionRatio: Int = 100
    /// Requests in flight to one host (host:port) at a time.
    public var perHost: Int = 2
    public var userAgent: String = FetchConfig.defaultUserAgent
    /// Certificate authorities trusted besides the system's (`--ca-file`).
    public var extraTrustRoots: [NIOSSLCertificate] = []

    public init() {}

    /// Adds the certificates of a PEM file to the trusted roots.
    /// - Throws: a message naming the file when it cannot be read or holds no certificate.
    public mutating func trustRoots(inPEMFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrustRootsError(path: path, why: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        // NIOSSL throws for a file with no certificate block at all, and returns none for an empty one.
        let certificates = (try? NIOSSLCertificate.fromPEMBytes(Array(data))) ?? []
        if certificates.isEmpty {
            throw TrustRootsError(path: path, why: "holds no readable PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        extraTrustRoots += certificates
    }

    public struct TrustRootsError: Error, CustomStringConvertible {
        public var path: String
        public var why: String
        public var description: String { "\(path) \(why)" }
    }

    /// TLS as a browser does it (the system's roots, host names checked), plus `extraTrustRoots`.
    public var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !extraTrustRoots.isEmpty { tls.additionalTrustRoots = [.certificates(extraTrustRoots)] }
        return tls
    }

    /// Where a site owner who sees our User-Agent in their logs can read what we are.
    /// The project has no public home yet; `.invalid` is reserved, so this names nobody else's site.
    public static let projectURL = "https://scamsift.invalid/"
    public static let defaultUserAgent = "scamsift/\(ReportFormatter.version) (+\(projectURL))"

    /// The client settings: our own redirect handling (each hop is vetted), no decompression in
    /// the client (`BodyReader` inflates, capped, as the body streams in; the client's inflater
    /// turns each piece that arrives into its whole inflated size at once), no hidden connection
    /// retries (we retry, visibly, ourselves).
    public var clientConfiguration: HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.timeout = .init(connect: .nanoseconds(Int64(connectTimeout * 1e9)), read: .nanoseconds(Int64(readTimeout * 1e9)))
        c.redirectConfiguration = .disallow
        c.decompression = .disabled
        c.tlsConfiguration = tlsConfiguration
        // Our HostLimiter enforces --per-host; the pool gets headroom so that a redirect onto a busy
        // host waits in the pool instead of failing with getConnectionFromPoolTimeout.
        c.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, perHost) * 2 + 4)
        c.connectionPool.retryConnectionEstablishment = false
        return c
    }

    /// Runs `body` with one shared client that is shut down afterwards, even when `body` throws.
    public func withClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }
}
