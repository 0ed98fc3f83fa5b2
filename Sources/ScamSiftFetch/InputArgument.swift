import Foundation

/// What an argument of `score` names, read the way `batch` reads a list line: a saved page
/// on disk wins; otherwise an http(s) URL, a defanged one (`hxxps://site[.]com`) or a bare
/// domain (`example.com`) is fetched, and a `file://` URL is the file it names.
public enum InputArgument {
    /// File name endings that make a missing path a missing file, not a domain to fetch
    /// ("page.html" is no host name, though it parses as one).
    static let pageExtensions: Set<String> = ["html", "htm", "xhtml", "shtml", "mhtml", "mht", "warc", "gz", "txt", "php", "asp", "aspx", "jsp"]

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

    /// One line of a `batch` list (or `batch`'s own argument), read like an argument of `score`.
    public enum ListEntry: Sendable, Equatable {
        case skip
        case url(String)
        /// A saved page or a folder of them, on this machine.
        case local(String)
        case invalid(String)
    }

    /// A path that exists wins; so does anything written as a path (`/…`, `./…`, `../…`,
    /// `~/…`, `file://…`, or a name ending in a page's extension), which then gets a
    /// `not-found` row rather than being fetched as a domain. The rest is read as a URL.
    public static func listEntry(_ raw: String, fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> ListEntry {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty || line.hasPrefix("#") { return .skip }
        if line.lowercased().hasPrefix("file://") {
            guard let path = URL(string: line)?.path, !path.isEmpty else { return .invalid("not a valid file:// URL") }
            return .local(path)
        }
        if line.hasPrefix("~/") { return .local(NSHomeDirectory() + line.dropFirst(1)) }
        if fileExists(line) || line.hasPrefix("/") || line.hasPrefix("./") || line.hasPrefix("../") { return .local(line) }
        let resolved = resolve(line, fileExists: { _ in false })
        if resolved == line, !line.contains("://"), pageExtensions.contains((line as NSString).pathExtension.lowercased()) {
            return .local(line)
        }
        switch URLNormalizer.parse(line) {
        case .skip: return .skip
        case let .url(url): return .url(url)
        case let .invalid(reason): return .invalid(reason)
        }
    }

    /// The key a local page is de-duplicated, sharded and resumed by: its real absolute path
    /// (symbolic links resolved, so one page reached two ways is done once) as a file URL.
    public static func fileKey(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.absoluteString }
        defer { free(real) }
        return URL(fileURLWithPath: String(cString: real)).absoluteString
    }
}
