import Foundation

/// What an argument of `score` names, read the way `batch` reads a list line: a saved page
/// on disk wins; otherwise an http(s) URL, a defanged one (`hxxps://site[.]com`) or a bare
/// domain (`example.com`) is fetched, and a `file://` URL is the file it names.
public enum InputArgument {
    /// File name endings that make a missing path a missing file, not a domain to fetch
    /// ("page.html" is no host name, though it parses as one).
    static let pageExtensions: Set<String> = ["html", "htm", "xhtml", "shtml", "mhtml", "mht", "txt", "php", "asp", "aspx", "jsp"]

    /// The argument as a path or a normalised URL.
    public static func resolve(_ argument: String, fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String {
        if argument == "-" || fileExists(argument) { return argument }
        let lower = argument.lowercased()
        if lower.hasPrefix("file://") {
            return URL(string: argument)?.path ?? String(argument.dropFirst("file://".count))
        }
        let hasScheme = lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("hxxp://") || lower.hasPrefix("hxxps://")
        guard case let .url(url) = URLNormalizer.parse(argument) else { return argument }
        if hasScheme { return url }
        // A bare name: a domain only when it has no folder part before the host and its last
        // label is not a page's file extension.
        guard !argument.hasPrefix("/"), !argument.hasPrefix("."), let host = URL(string: url)?.host,
              let last = host.split(separator: ".").last, !pageExtensions.contains(String(last)) else { return argument }
        return url
    }
}
