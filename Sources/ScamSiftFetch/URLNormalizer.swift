import Foundation

/// One line of a URL list, read as a person would write it.
public enum InputLine: Sendable, Equatable {
    /// A blank line or a `#` comment.
    case skip
    /// A fetchable URL in normal form.
    case url(String)
    /// Not an http(s) URL; the reason says why.
    case invalid(String)
}

/// Turns the lines of a URL list into one normal form, so that duplicates are found and
/// every shard of a split list agrees on where a URL belongs.
public enum URLNormalizer {
    public static let maxLength = 4096

    /// - `example.com` → `https://example.com/`
    /// - scheme and host lower-cased, default port, fragment and a trailing dot dropped, empty path → `/`
    /// - defanged forms from abuse reports (`hxxps://`, `example[.]com`) are read as the real thing.
    public static func parse(_ rawLine: String) -> InputLine {
        var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty || line.hasPrefix("#") { return .skip }
        if line.utf8.count > maxLength { return .invalid("the line is longer than \(maxLength) bytes") }
        if line.contains(where: { $0.isWhitespace }) { return .invalid("a URL cannot contain spaces") }
        line = line.replacingOccurrences(of: "[.]", with: ".").replacingOccurrences(of: "(.)", with: ".")
        let lower = line.lowercased()
        if lower.hasPrefix("hxxp://") || lower.hasPrefix("hxxps://") {
            line = "http" + line.dropFirst(4)
        }
        if let colon = line.range(of: "://") {
            let scheme = line[..<colon.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else {
                return .invalid("only http and https URLs are fetched, not \(scheme):")
            }
        } else if line.lowercased().hasPrefix("http:") || line.lowercased().hasPrefix("https:") {
            return .invalid("a URL needs // after its scheme")
        } else if let colon = line.firstIndex(of: ":"), !line[..<colon].contains("."), !line[..<colon].contains("/"),
                  !(line[line.index(after: colon)...].first?.isNumber ?? false) {
            return .invalid("only http and https URLs are fetched, not \(line[..<colon].lowercased()):")
        } else {
            // A bare domain, maybe with a path: example.com or example.com/plans
            line = "https://" + line
        }
        guard var c = URLComponents(string: line) else { return .invalid("not a valid URL") }
        guard let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .invalid("only http and https URLs are fetched")
        }
        c.scheme = scheme
        guard var host = c.host, !host.isEmpty else { return .invalid("the URL has no host") }
        host = host.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard isValidHost(host) else { return .invalid("'\(host)' is not a valid host name") }
        c.host = host
        if c.user != nil || c.password != nil { c.user = nil; c.password = nil }
        if (scheme == "http" && c.port == 80) || (scheme == "https" && c.port == 443) { c.port = nil }
        if c.percentEncodedPath.isEmpty { c.percentEncodedPath = "/" }
        c.fragment = nil
        guard let s = c.string, URL(string: s) != nil else { return .invalid("not a valid URL") }
        return .url(s)
    }

    static func isValidHost(_ host: String) -> Bool {
        if host.hasPrefix("[") && host.hasSuffix("]") { return true }  // IPv6 literal
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.isEmpty || labels.contains(where: \.isEmpty) { return false }
        return host.unicodeScalars.allSatisfy { s in
            s.properties.isAlphabetic || s.properties.numericType != nil || s == "-" || s == "." || s == "_"
        }
    }

    /// host:port, the key for the per-host limit and the "slowest hosts" summary.
    public static func hostKey(_ url: String) -> String {
        guard let c = URLComponents(string: url), let host = c.host else { return url }
        let port = c.port ?? (c.scheme == "http" ? 80 : 443)
        let defaultPort = c.scheme == "http" ? 80 : 443
        return port == defaultPort ? host : "\(host):\(port)"
    }

    /// FNV-1a, 64 bits: stable across runs, machines and Swift versions (unlike `Hasher`),
    /// so that shards agree and duplicate detection needs 8 bytes per URL.
    public static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}

/// `--shard K/N`: this run takes the URLs whose stable hash modulo N is K (0 ≤ K < N).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else { return nil }
        index = k
        count = n
    }

    public static let all = Shard(index: 0, count: 1)

    public func contains(key: String) -> Bool {
        guard count > 1 else { return true }
        // A finaliser (splitmix64) spreads FNV's bits before the modulo.
        var z = URLNormalizer.stableHash(key) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return z % UInt64(count) == UInt64(index)
    }

    public var description: String { "\(index)/\(count)" }
}
