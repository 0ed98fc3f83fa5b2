import Foundation

public enum Label: String, Sendable, Codable, CaseIterable {
    case scam, legit, ambiguous
}

public struct LabeledPage: Sendable, Equatable {
    public var path: String
    public var label: Label
    /// The site the page belongs to, from a manifest's `source_repo` column; nil for pages found
    /// in folders (`SiteGroup` then tells the site from the file name).
    public var group: String? = nil

    public init(path: String, label: Label, group: String? = nil) {
        self.path = path
        self.label = label
        self.group = group
    }
}

/// Finds labeled pages: folders named `scam/`, `legit/` and `ambiguous/` (at any depth under
/// the given folder, or the folder itself), or a TSV manifest with `file` and `label` columns
/// (files relative to the manifest).
public enum LabeledCorpus {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func load(_ inputs: [String]) throws -> [LabeledPage] {
        var pages: [LabeledPage] = []
        for input in inputs {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
                throw Problem(description: "\(input): no such file or folder")
            }
            pages += isDir.boolValue ? try folder(input) : try manifest(input)
        }
        return pages.sorted { ($0.label.rawValue, $0.path) < ($1.label.rawValue, $1.path) }
    }

    /// Every page under `root`, labeled `label` unless a nearer folder is named for another label.
    public static func folder(_ root: String, label: Label) throws -> [LabeledPage] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw Problem(description: "\(root): no such folder")
        }
        var pages: [LabeledPage] = []
        walk(root, label: label, into: &pages)
        if pages.isEmpty { throw Problem(description: "\(root): no .html pages") }
        return pages.sorted { $0.path < $1.path }
    }

    static func folder(_ root: String) throws -> [LabeledPage] {
        var pages: [LabeledPage] = []
        walk(root, label: Label(rawValue: (root as NSString).lastPathComponent), into: &pages)
        if pages.isEmpty { throw Problem(description: "\(root): no .html pages under scam/, legit/ or ambiguous/ folders") }
        return pages
    }

    /// Every `.html`/`.htm` file under `folder`, labeled by the nearest enclosing folder with a
    /// label name. Read with `readdir`: Foundation's enumerator and path splitting cost tens of
    /// milliseconds per ten thousand files, all before scoring can start.
    private static func walk(_ folder: String, label: Label?, into pages: inout [LabeledPage]) {
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory = entry.pointee.d_type == DT_DIR
            var isFile = entry.pointee.d_type == DT_REG
            if entry.pointee.d_type == DT_UNKNOWN || entry.pointee.d_type == DT_LNK {
                // A link counts as the file it points to; links to folders are not followed (no cycles).
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                isDirectory = entry.pointee.d_type == DT_UNKNOWN && info.st_mode & S_IFMT == S_IFDIR
                isFile = info.st_mode & S_IFMT == S_IFREG
            }
            if isDirectory {
                walk(path, label: Label(rawValue: name) ?? label, into: &pages)
            } else if isFile, name.hasSuffix(".html") || name.hasSuffix(".htm"), let label {
                pages.append(LabeledPage(path: path, label: label))
            }
        }
    }

    public static func manifest(_ path: String) throws -> [LabeledPage] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "\(path): cannot read the manifest")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init),
              let fileColumn = header.firstIndex(of: "file"), let labelColumn = header.firstIndex(of: "label") else {
            throw Problem(description: "\(path):1: the manifest needs a header with 'file' and 'label' columns")
        }
        let groupColumn = header.firstIndex(of: "source_repo")
        let base = (path as NSString).deletingLastPathComponent
        var pages: [LabeledPage] = []
        var firstLine: [String: Int] = [:]
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count > max(fileColumn, labelColumn) else {
                throw Problem(description: "\(path):\(n + 1): expected at least \(max(fileColumn, labelColumn) + 1) columns")
            }
            guard let label = Label(rawValue: cells[labelColumn]) else {
                throw Problem(description: "\(path):\(n + 1): unknown label '\(cells[labelColumn])' (use scam, legit or ambiguous)")
            }
            let file = cells[fileColumn]
            if let first = firstLine[file] {
                throw Problem(description: "\(path):\(n + 1): duplicate row for '\(file)' (first on line \(first))")
            }
            firstLine[file] = n + 1
            let resolved = file.hasPrefix("/") ? file : (base as NSString).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: resolved) else {
                throw Problem(description: "\(path):\(n + 1): no such file '\(file)'")
            }
            let group = groupColumn.flatMap { $0 < cells.count && !cells[$0].isEmpty ? cells[$0] : nil }
            pages.append(LabeledPage(path: resolved, label: label, group: group))
        }
        return pages
    }
}
