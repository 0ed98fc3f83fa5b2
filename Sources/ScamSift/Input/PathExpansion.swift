import Foundation

/// The inputs of `score` as the user named them, with folders opened: each folder's files,
/// recursively and sorted, that match the globs (by default the usual saved-page extensions);
/// URLs, `-` and files named one by one pass through. A folder that cannot be read, or a
/// symbolic link back into a folder already walked, is an input of its own that fails with the
/// reason, so nothing is silently dropped.
public enum PathExpansion {
    public enum Input: Sendable, Equatable {
        /// A file, `-`, or a URL: scored as named.
        case item(String)
        /// Could not be listed: the path, why, and the error kind (`unreadable`, or `not-found`
        /// for a folder that holds no page the patterns take).
        case problem(String, String, kind: String = "unreadable")

        public var name: String {
            switch self {
            case let .item(s): s
            case let .problem(s, _, _): s
            }
        }
    }

    /// What a folder's files must match when no `--glob` is given.
    public static let defaultGlobs = ["*.html", "*.htm", "*.xhtml", "*.shtml", "*.mhtml", "*.mht"]

    /// WARC web archives, which `score` also takes from a folder by default (it reads their
    /// records; `batch` scores one page per entry, so it leaves them out).
    public static let warcGlobs = ["*.warc", "*.warc.gz"]

    /// `isURL` tells which arguments are not paths at all.
    public static func expand(_ arguments: [String], globs: [String] = [], isURL: (String) -> Bool) -> [Input] {
        var out: [Input] = []
        let patterns = globs.isEmpty ? defaultGlobs : globs
        for argument in arguments {
            if argument == "-" || isURL(argument) { out.append(.item(argument)); continue }
            var info = stat()
            guard stat(argument, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                out.append(.item(argument))   // a file, or a path whose problem scoring will name
                continue
            }
            var visited = Set<FolderID>()
            let before = out.count
            walk(argument, info, patterns: patterns, visited: &visited, into: &out)
            // An empty result would pass silently for a clean run: say what was looked for.
            if !out[before...].contains(where: { if case .item = $0 { true } else { false } }) {
                out.append(.problem(argument, "no page in this folder matches \(patterns.joined(separator: ", ")) (choose others with --glob)", kind: "not-found"))
            }
        }
        return out
    }

    /// glibc's FNM_CASEFOLD (a GNU extension Swift does not import): "*.html" also takes "PAGE.HTML".
    static let caseFold: Int32 = 1 << 4

    struct FolderID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    static func walk(_ folder: String, _ info: stat, patterns: [String], visited: inout Set<FolderID>, into out: inout [Input]) {
        let id = FolderID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        guard visited.insert(id).inserted else {
            out.append(.problem(folder, "a symbolic link back into a folder already read (a loop); skipped"))
            return
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            out.append(.problem(folder, "cannot list the folder (permission denied?)"))
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            var child = stat()
            guard stat(path, &child) == 0 else {
                if lstat(path, &child) == 0 { out.append(.problem(path, "a broken symbolic link")) }
                continue
            }
            if child.st_mode & S_IFMT == S_IFDIR {
                walk(path, child, patterns: patterns, visited: &visited, into: &out)
            } else if child.st_mode & S_IFMT == S_IFREG, patterns.contains(where: { fnmatch($0, name, Self.caseFold) == 0 }) {
                out.append(.item(path))
            }
        }
    }
}
