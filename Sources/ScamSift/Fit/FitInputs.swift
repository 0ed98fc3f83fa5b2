import Foundation

/// The labeled pages a fit reads, and the record of them kept beside a scores file.
public enum FitInputs {
    /// Pages from `--scam` and `--legit` folders and from manifests, each page once (by its
    /// standardised path). A page given twice with two labels is an error.
    public static func pages(scam: [String], legit: [String], manifests: [String]) throws -> [LabeledPage] {
        var all: [LabeledPage] = []
        for dir in scam { all += try LabeledCorpus.folder(dir, label: .scam) }
        for dir in legit { all += try LabeledCorpus.folder(dir, label: .legit) }
        for manifest in manifests { all += try LabeledCorpus.manifest(manifest) }
        var seen: [String: Label] = [:]
        var pages: [LabeledPage] = []
        for page in all {
            let key = (page.path as NSString).standardizingPath
            if let label = seen[key] {
                if label != page.label {
                    throw LabeledCorpus.Problem(description: "\(page.path): given as both \(label.rawValue) and \(page.label.rawValue)")
                }
                continue
            }
            seen[key] = page.label
            pages.append(page)
        }
        return pages
    }

    /// A manifest of the pages a scores file was fitted on (`file`, `label`, `source_repo`,
    /// `sha256`), files relative to the manifest's folder, sorted. It loads as a manifest, so
    /// `scamsift fit --manifest` on it repeats the fit; the hashes tell whether the pages are
    /// still the ones used. Never the pages' text.
    public static func record(_ pages: [LabeledPage], manifestPath: String) throws -> String {
        let folder = (absolute(manifestPath) as NSString).deletingLastPathComponent
        var rows: [String] = []
        for page in pages where page.label != .ambiguous {
            let data = try Data(contentsOf: URL(fileURLWithPath: page.path))
            rows.append([relative(absolute(page.path), to: folder), page.label.rawValue, SiteGroup.of(page), SHA256.hex(data)].joined(separator: "\t"))
        }
        return (["file\tlabel\tsource_repo\tsha256"] + rows.sorted()).joined(separator: "\n") + "\n"
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    /// `path` written relative to `folder` (both absolute and standardised).
    static func relative(_ path: String, to folder: String) -> String {
        let a = path.split(separator: "/"), b = folder.split(separator: "/")
        var common = 0
        while common < min(a.count, b.count) && a[common] == b[common] { common += 1 }
        return (Array(repeating: "..", count: b.count - common) + a[common...].map(String.init)).joined(separator: "/")
    }
}
