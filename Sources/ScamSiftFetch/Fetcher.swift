import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ScamSift

/// What one URL gave: the bytes and everything known about how they came, or an error.
public struct FetchResult: Sendable {
    /// The URL asked for (normalised).
    public var url: String
    /// The URL the body came from, after redirects.
    public var finalURL: String?
    public var status: Int?
    /// Every redirect target, in order (the last attempt's chain).
    public var redirects: [String] = []
    public var contentType: String?
    /// The charset from `Content-Type`, when the server gave one.
    public var charset: String?
    public var body = Data()
    /// The body was longer than `maxBytes`; `body` holds its first `maxBytes` bytes.
    public var truncated = false
    public var attempts = 0
    public var fetchedAt: Date
    public var elapsedMs = 0
    public var error: FetchError?

    public init(url: String, fetchedAt: Date = Date()) {
        self.url = url
        self.fetchedAt = fetchedAt
    }
}

/// Fetches pages with one shared `HTTPClient`: a total deadline per URL that covers the body,
/// redirects vetted hop by hop, a byte cap that keeps the prefix, and retries with backoff.
public struct Fetcher: Sendable {
    public let client: HTTPClient
    public let config: FetchConfig
    let hosts: HostLimiter?
    let hopCheck: HopCheck?

    /// Asked before every request, the first and each redirect's, with the URL about to be
    /// requested; an error it returns ends the fetch there, with no retry. `scamsift serve`
    /// uses it to refuse hosts that resolve to private addresses.
    public typealias HopCheck = @Sendable (URL) async -> FetchError?

    /// - Parameters:
    ///   - hosts: a per-host limit shared with other fetchers; nil for none.
    ///   - hopCheck: vets each URL before it is requested; nil lets every URL through.
    public init(client: HTTPClient, config: FetchConfig, hosts: HostLimiter? = nil, hopCheck: HopCheck? = nil) {
        self.client = client
        self.config = config
        self.hosts = hosts
        self.hopCheck = hopCheck
    }

    /// Never throws: every failure is in `error`. Bounded by `config.timeout` whatever the
    /// server does (plus the time to notice cancellation).
    ///
    /// With a host limiter, waits for a slot for the URL's host first (the clock starts after
    /// that) and keeps it through retries and their pauses; redirects to other hosts take no
    /// second slot, so two hosts redirecting to each other cannot deadlock.
    public func fetch(_ url: String) async -> FetchResult {
        let key = URLNormalizer.hostKey(url)
        if let hosts {
            do { try await hosts.acquire(key) } catch {
                var result = FetchResult(url: url)
                result.error = FetchError(.cancelled, "cancelled before the request was sent")
                return result
            }
        }
        let result = await fetchHoldingSlot(url)
        if let hosts { await hosts.release(key) }
        return result
    }

    func fetchHoldingSlot(_ url: String) async -> FetchResult {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .nanoseconds(Int64(config.timeout * 1e9))
        var result = FetchResult(url: url)
        while true {
            result.attempts += 1
            do {
                let hop = try await withDeadline(deadline) { [self] in
                    try await self.attempt(url, deadline: deadline)
                }
                result.apply(hop)
                result.error = hop.error
            } catch {
                result.error = classify(error)
                if result.error?.kind == .cancelled, !Task.isCancelled, clock.now >= deadline {
                    result.error = FetchError(.timeout, "no complete response within \(Self.seconds(config.timeout)) (--timeout)")
                }
            }
            guard let error = result.error, error.isRetryable, result.attempts <= config.retries, !Task.isCancelled else { break }
            let pause: Double
            if let asked = error.retryAfter {
                if asked > config.maxRetryAfter {
                    result.error?.message += "; the server asked to wait \(Self.seconds(asked)), more than the \(Self.seconds(config.maxRetryAfter)) we wait"
                    break
                }
                pause = asked
            } else {
                let base = config.retryBaseDelay * pow(2, Double(result.attempts - 1))
                pause = base * Double.random(in: 0.5...1.5)
            }
            if clock.now + .nanoseconds(Int64(pause * 1e9)) >= deadline {
                result.error?.message += "; no time left to retry within \(Self.seconds(config.timeout))"
                break
            }
            do { try await Task.sleep(for: .nanoseconds(Int64(pause * 1e9))) } catch { break }
        }
        if let e = result.error, e.kind == .httpStatus || e.kind == .notHTML || e.kind == .decompressionBomb {
            result.body = Data()
        }
        if result.attempts > 1, result.error != nil {
            result.error?.message += " (after \(result.attempts) attempts)"
        }
        result.elapsedMs = Int((clock.now - started) / .milliseconds(1))
        return result
    }

    /// `FetchError.classify`, with the configured limits in the timeout messages.
    func classify(_ error: Error) -> FetchError {
        let connectTimedOut: Bool
        if case .connectTimeout? = error as? ChannelError { connectTimedOut = true } else { connectTimedOut = error as? HTTPClientError == .connectTimeout }
        if connectTimedOut {
            return FetchError(.connect, "the connection was not established within \(Self.seconds(config.connectTimeout)) (--connect-timeout)")
        }
        if error as? HTTPClientError == .readTimeout {
            return FetchError(.timeout, "the server sent nothing for \(Self.seconds(config.readTimeout)) (--read-timeout)")
        }
        return FetchError.classify(error)
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    /// One attempt's outcome (redirects included).
    struct Hop: Sendable {
        var finalURL: String
        var status: Int?
        var redirects: [String] = []
        var contentType: String?
        var charset: String?
        var body = Data()
        var truncated = false
        var error: FetchError?
    }

    /// Runs `body`, or throws `.timeout` at `deadline`; the body is cancelled either way.
    func withDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = config.timeout
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                throw FetchError(.timeout, "no complete response within \(Self.seconds(limit)) (--timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// One attempt: follows up to `maxRedirects` redirects, checking each hop, and reads the body.
    func attempt(_ url: String, deadline: ContinuousClock.Instant) async throws -> Hop {
        var current = url
        var hop = Hop(finalURL: url)
        var seen: Set<String> = [url]
        while true {
            let outcome: Step
            do {
                outcome = try await step(current, deadline: deadline, hop: &hop)
            } catch {
                guard let failure = CertificateCheck.failure(of: error) else { throw error }
                throw await certificateError(failure, url: current, deadline: deadline)
            }
            guard case let .redirect(location) = outcome else { return hop }
            guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL,
                  let scheme = next.scheme?.lowercased() else {
                hop.error = FetchError(.badRedirect, "redirect to an unreadable Location '\(FetchError.short(location))'")
                return hop
            }
            guard scheme == "http" || scheme == "https" else {
                hop.error = FetchError(.badRedirect, "redirect to \(scheme): (\(FetchError.short(next.absoluteString))); only http and https are followed")
                return hop
            }
            let target: String
            if case let .url(normal) = URLNormalizer.parse(next.absoluteString) { target = normal } else { target = next.absoluteString }
            hop.redirects.append(target)
            if seen.contains(target) {
                hop.error = FetchError(.redirectLoop, "redirect loop: \(([url] + hop.redirects).joined(separator: " → "))")
                return hop
            }
            if hop.redirects.count > config.maxRedirects {
                hop.error = FetchError(.tooManyRedirects, "more than \(config.maxRedirects) redirects")
                return hop
            }
            seen.insert(target)
            current = target
            hop.finalURL = target
            hop.status = nil
            hop.contentType = nil
            hop.charset = nil
        }
    }

    enum Step { case done, redirect(String) }

    /// A refused certificate, with what is wrong with it (read within the connect timeout, and
    /// before the deadline).
    func certificateError(_ failure: CertificateCheck.Failure, url: String, deadline: ContinuousClock.Instant) async -> FetchError {
        guard let parts = URLComponents(string: url), let name = parts.host else { return FetchError(.tls, "the server's certificate was refused") }
        let left = max(.zero, min(ContinuousClock.now.duration(to: deadline), .nanoseconds(Int64(config.connectTimeout * 1e9))))
        let nanos = left.components.seconds * 1_000_000_000 + left.components.attoseconds / 1_000_000_000
        let host = name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
        let message = await CertificateCheck.explain(failure, host: host, port: parts.port ?? 443, timeout: .nanoseconds(nanos),
                                                     group: client.eventLoopGroup)
        return FetchError(.tls, message)
    }

    /// One request and its body.
    func step(_ url: String, deadline: ContinuousClock.Instant, hop: inout Hop) async throws -> Step {
        if let hopCheck {
            guard let parsed = URL(string: url) else { throw FetchError(.invalidURL, "the URL is not valid: \(FetchError.short(url))") }
            if let refused = await hopCheck(parsed) {
                hop.error = refused
                return .done
            }
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: config.userAgent)
        request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        let remaining = ContinuousClock.now.duration(to: deadline)
        let nanos = max(0, remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000)
        let response = try await client.execute(request, deadline: .now() + .nanoseconds(nanos))
        let status = Int(response.status.code)
        hop.status = status
        let contentType = response.headers.first(name: "content-type")
        hop.contentType = contentType.map(TerminalSafe.clean)
        hop.charset = contentType.flatMap(Self.charset(fromContentType:))

        if (300...399).contains(status), status != 304 {
            guard let location = response.headers.first(name: "location"), !location.isEmpty else {
                hop.error = FetchError(.badRedirect, "\(status) redirect without a Location")
                return .done
            }
            return .redirect(location)
        }
        if status >= 400 || status < 200 {
            var e = FetchError(.httpStatus, "HTTP \(status) \(response.status.reasonPhrase)")
            e.retryableStatus = status >= 500 || status == 429
            e.retryAfter = response.headers.first(name: "retry-after").flatMap(Self.retryAfter)
            hop.error = e
            return .done
        }
        if let contentType, !Self.isHTML(contentType) {
            hop.error = FetchError(.notHTML, "the content type is \(FetchError.short(contentType)), not HTML; not scored")
            return .done
        }
        // Streamed with a cap: reading stops at --max-bytes, on the wire and inflated alike, and
        // leaving the loop early drops the response, which closes the connection.
        var reader: BodyReader
        do {
            reader = try BodyReader(contentEncoding: response.headers.first(name: "content-encoding"), limit: config.maxBytes,
                                    ratio: config.decompressionRatio,
                                    contentLength: response.headers.first(name: "content-length").flatMap(Int.init))
            var complete = true
            for try await piece in response.body {
                if try !reader.take(piece) { complete = false; break }
            }
            if complete { try reader.finish() }
        } catch let e as FetchError {
            hop.error = e
            return .done
        }
        hop.body = reader.body
        hop.truncated = reader.truncated
        return .done
    }

    /// `text/html; charset="ISO-8859-1"` → `ISO-8859-1`.
    static func charset(fromContentType value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let v = kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return v.isEmpty ? nil : v
        }
        return nil
    }

    static func isHTML(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        // An MHTML archive ("Webpage, single file") holds a page: `PageInput` takes it out.
        return media.isEmpty || media == "text/html" || media == "application/xhtml+xml"
            || media == "multipart/related" || media == "application/x-mimearchive"
    }

    /// Seconds, or an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(v), s >= 0 { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = f.date(from: v) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }
}

extension FetchResult {
    mutating func apply(_ hop: Fetcher.Hop) {
        finalURL = hop.finalURL
        status = hop.status
        redirects = hop.redirects
        contentType = hop.contentType
        charset = hop.charset
        body = hop.body
        truncated = hop.truncated
    }
}
