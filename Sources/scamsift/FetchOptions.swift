import ArgumentParser
import Foundation
import ScamSift
import ScamSiftFetch

/// Fetch options shared by `score URL…` and `batch`.
struct FetchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Total seconds per URL, covering retries, redirects and the whole body.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to open a connection.", valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(name: .customLong("read-timeout"), help: ArgumentHelp("Seconds without a byte from the server before giving up.", valueName: "seconds"))
    var readTimeout: Double = 15

    @Option(name: .customLong("max-bytes"), help: ArgumentHelp("Body bytes read per page, fetched or from a WARC record (K, M suffixes allowed); the rest is cut and the page marked truncated.", valueName: "bytes"))
    var maxBytes: ByteCount = ByteCount(5 * 1024 * 1024)

    @Option(help: "Extra attempts after a connection error, a 5xx or a 429 (with backoff and jitter; Retry-After is honoured up to 10 s).")
    var retries: Int = 2

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("A PEM file of certificate authorities to trust besides the system's (a company proxy's, a test server's).", valueName: "path"))
    var caFile: String?

    @Option(name: .customLong("retry-base-delay"), help: .hidden)
    var retryBaseDelay: Double = 0.5

    @Option(name: .customLong("user-agent"), help: .hidden)
    var userAgent: String?

    func validateFetch() throws {
        if !(timeout > 0) { throw ValidationError("--timeout must be above 0") }
        if !(connectTimeout > 0) { throw ValidationError("--connect-timeout must be above 0") }
        if !(readTimeout > 0) { throw ValidationError("--read-timeout must be above 0") }
        if maxBytes.value < 1 || maxBytes.value > Page.Limits.maxInputBytes {
            throw ValidationError("--max-bytes must be between 1 and \(Page.Limits.maxInputBytes) (16M)")
        }
        if !(0...10).contains(retries) { throw ValidationError("--retries must be between 0 and 10") }
        if let caFile {
            var c = FetchConfig()
            do { try c.trustRoots(inPEMFile: caFile) } catch { throw ValidationError("--ca-file: \(error)") }
        }
    }

    var config: FetchConfig {
        var c = FetchConfig()
        c.timeout = timeout
        c.connectTimeout = connectTimeout
        c.readTimeout = readTimeout
        c.maxBytes = maxBytes.value
        c.retries = retries
        c.retryBaseDelay = max(0, retryBaseDelay)
        if let userAgent { c.userAgent = userAgent }
        // Checked by validateFetch.
        if let caFile { try? c.trustRoots(inPEMFile: caFile) }
        return c
    }

    /// Fetches and scores the URL arguments of `score`; notes (redirects, truncation) go to stderr.
    func fetchAndScore(_ paths: [String], engine: Engine, charset: String?) async -> [String: ScoreOutcome] {
        let urls = paths.filter(URLScorer.isURL)
        if urls.isEmpty { return [:] }
        let scored = await URLScorer.score(urls, engine: engine, config: config, charset: charset)
        var out: [String: ScoreOutcome] = [:]
        for url in urls {
            guard let s = scored[url] else { continue }
            for note in s.notes { CLI.stderr("scamsift: \(TerminalSafe.clean(url)): \(TerminalSafe.clean(note))") }
            out[url] = s.outcome
        }
        return out
    }
}

/// A byte count such as 5242880, 512K or 5M.
struct ByteCount: ExpressibleByArgument, Sendable {
    var value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        let s = argument.trimmingCharacters(in: .whitespaces).uppercased()
        var digits = s
        var factor = 1
        if s.hasSuffix("KIB") || s.hasSuffix("KB") || s.hasSuffix("K") { factor = 1024 }
        if s.hasSuffix("MIB") || s.hasSuffix("MB") || s.hasSuffix("M") { factor = 1024 * 1024 }
        if factor > 1 { digits = String(s.prefix { $0.isNumber }) }
        guard let n = Int(digits), n >= 0, digits.count == s.count || factor > 1 else { return nil }
        value = n * factor
    }

    var defaultValueDescription: String { value % (1024 * 1024) == 0 ? "\(value / (1024 * 1024))M" : "\(value)" }
}

extension BatchFormat: ExpressibleByArgument {}
