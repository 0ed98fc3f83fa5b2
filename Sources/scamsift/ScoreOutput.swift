import ArgumentParser
import Foundation
import ScamSift
import ScamSiftFetch

/// Output formats of `score`.
enum ScoreFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, jsonl, csv, html
}

/// `--color`: colour the verdict on a terminal.
enum ColorChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, always, never

    /// `auto`: only on a terminal, and not when NO_COLOR is set (https://no-color.org).
    func enabled(terminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: terminal && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}

/// Turns one result into its text in the chosen format. Pure, so the workers that score pages
/// also render them (JSON encoding costs about as much as scoring a small page).
struct ScoreRenderer: Sendable {
    let format: ScoreFormat
    let rulesVersion: String
    let color: Bool
    /// Named in each text report (`RuleSet.sources`).
    var ruleSources: [String] = []
    /// The language of what a person reads (text; JSON's headline, advice and descriptions).
    var explainer = Explainer.english
    /// Text: only the headline, the score and the strongest reasons.
    var brief = false
    /// Text: each reason's rule id.
    var ruleIDs = false

    /// A result's text without what joins it to the others, or nil when the format shows no
    /// failures (text: they are on standard error only). `index` counts from 0 over all inputs.
    func render(_ outcome: ScoreOutcome, index: Int) -> String? {
        switch format {
        case .text:
            guard case let .report(r) = outcome else { return nil }
            if brief { return ReportFormatter.brief(r, color: color, explainer: explainer) }
            return ReportFormatter.text(r, color: color, ruleSources: ruleSources, explainer: explainer, ruleIDs: ruleIDs)
        case .json:
            let one = ReportFormatter.resultJSON(outcome, rulesVersion: rulesVersion, pretty: true, explainer: explainer)
            return one.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        case .jsonl:
            return ReportFormatter.resultJSON(outcome, rulesVersion: rulesVersion, pretty: false, explainer: explainer) + "\n"
        case .csv:
            return BatchRowFormatter.line(BatchRow(line: index + 1, input: outcome.source, outcome: outcome), .csv)
        case .html:
            guard case let .report(r) = outcome else { return nil }
            var options = HTMLReport.Options()
            options.ruleIDs = ruleIDs
            return HTMLReport.render(report: r, explainer: explainer, options: options)
        }
    }
}

/// Writes `score`'s results one by one as they are ready, so memory does not grow with the
/// number of pages: text reports, a JSON document written piece by piece, JSON Lines, or CSV
/// with `batch`'s columns.
final class ScoreOutput {
    let renderer: ScoreRenderer
    let bom: Bool
    let handle: FileHandle
    /// `--format html` with several pages: one file per page in this folder, not `handle`.
    var folder: HTMLFolder?
    private var written = 0
    private var buffer = Data()

    init(renderer: ScoreRenderer, bom: Bool, handle: FileHandle, folder: HTMLFolder? = nil) {
        self.renderer = renderer
        self.bom = bom
        self.handle = handle
        self.folder = folder
    }

    func begin() {
        switch renderer.format {
        case .json: emit("{\n  \"results\" : [\n")
        case .csv: emit((bom ? BatchRowFormatter.byteOrderMark : "") + (BatchRowFormatter.header(.csv) ?? ""))
        case .text, .jsonl, .html: break
        }
    }

    /// One rendered result (`ScoreRenderer.render`) of the page read from `source`, joined to
    /// those before it, or in its own file.
    func write(_ rendered: String?, source: String) throws {
        guard let rendered else { return }
        if folder != nil {
            try folder!.write(rendered, for: source)
            written += 1
            return
        }
        switch renderer.format {
        case .text: emit((written > 0 ? "\n" : "") + rendered)
        case .json: emit((written > 0 ? ",\n" : "") + rendered)
        case .jsonl, .csv: emit(rendered)
        case .html:
            // Standard input that turned out to be a WARC archive: a second page has no place.
            if written > 0 { throw CLI.fail("--format html writes one file per page, and this input holds several: give -o FOLDER") }
            emit(rendered)
        }
        written += 1
        flush()
    }

    func end() {
        if renderer.format == .json { emit((written > 0 ? "\n" : "") + "  ],\n  \"scamsift\" : \"\(ReportFormatter.version)\"\n}\n") }
        flush()
    }

    private func emit(_ s: String) { buffer.append(contentsOf: s.utf8) }

    private func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Where `score --format html` writes one self-contained document per page when there are
/// several: a folder (created if missing), each page's file named after its input
/// (`Samples/scam/goldrise.html` → `goldrise.html`, `https://site.example/plans` →
/// `site.example-plans.html`), with `-2`, `-3`… for names already taken in this run.
struct HTMLFolder {
    let path: String
    private var used: Set<String> = []

    /// Creates the folder if needed; fails when `path` is a file.
    init(path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw CLI.fail("\(TerminalSafe.clean(path)) is a file: --format html writes one file per page, so -o must name a folder when there are several pages")
            }
        } else {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw CLI.fail("\(TerminalSafe.clean(path)): cannot create the folder for the HTML reports (\(error.localizedDescription))")
            }
        }
        self.path = path
    }

    mutating func write(_ html: String, for source: String) throws {
        var name = Self.baseName(source)
        var n = 2
        while used.contains(name.lowercased()) { name = Self.baseName(source) + "-\(n)"; n += 1 }
        used.insert(name.lowercased())
        let file = (path as NSString).appendingPathComponent(name + ".html")
        guard FileManager.default.createFile(atPath: file, contents: Data(html.utf8)) else {
            throw CLI.fail("\(TerminalSafe.clean(file)): cannot write the HTML report there")
        }
    }

    /// A file name (without `.html`) for a page's input: a path's last part without its
    /// extension, a URL's host and path, a WARC record's archive name and number
    /// (`crawl.warc.gz#7` → `crawl-7`); letters, digits, `.`, `-` and `_` only.
    static func baseName(_ source: String) -> String {
        if let hash = source.lastIndex(of: "#"), source[source.index(after: hash)...].allSatisfy(\.isASCII),
           let record = Int(source[source.index(after: hash)...]) {
            let archive = String(source[..<hash])
            var name = archive == "-" ? "stdin" : (archive as NSString).lastPathComponent
            for ext in [".gz", ".warc", ".arc"] where name.lowercased().hasSuffix(ext) { name = String(name.dropLast(ext.count)) }
            return sanitized(name) + "-\(record)"
        }
        var raw: String
        if source == "-" {
            raw = "stdin"
        } else if let url = URL(string: source), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host {
            raw = host + url.path
        } else {
            raw = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        }
        return sanitized(raw)
    }

    /// Letters, digits, `.`, `-` and `_` kept, any run of other characters one `-`; at most 80.
    static func sanitized(_ raw: String) -> String {
        var out = ""
        for c in raw.unicodeScalars {
            let keep = c.properties.isAlphabetic || c.properties.numericType != nil || c == "." || c == "_" || c == "-"
            if keep { out.unicodeScalars.append(c) } else if !out.hasSuffix("-") { out += "-" }
        }
        out = String(out.trimmingCharacters(in: CharacterSet(charactersIn: "-.")).unicodeScalars.prefix(80))
        return out.isEmpty ? "page" : out
    }
}

/// How many pages got each verdict, and how many failed: `score`'s summary line.
struct ScoreTally {
    var verdicts: [Verdict: Int] = [:]
    var errors = 0
    var pages: Int { verdicts.values.reduce(errors, +) }

    mutating func add(_ outcome: ScoreOutcome) {
        if case let .report(r) = outcome { verdicts[r.verdict, default: 0] += 1 } else { errors += 1 }
    }

    /// "12 pages: 3 likely-scam, 2 suspicious, 6 low-risk, 1 unknown, 0 errors", in the explainer's language.
    func line(_ explainer: Explainer = .english) -> String {
        let l = explainer.localizer
        let order: [Verdict] = [.likelyScam, .suspicious, .lowRisk, .unknown]
        let counts = order.map { l("report.summary_verdict", ["count": l.number(verdicts[$0, default: 0]), "verdict": explainer.verdict($0)]) }
        return l("report.summary", ["pages": l(pages == 1 ? "report.summary_page" : "report.summary_pages", ["count": l.number(pages)]),
                                    "verdicts": counts.joined(separator: ", "),
                                    "errors": l(errors == 1 ? "report.summary_error" : "report.summary_errors", ["count": l.number(errors)])])
    }
}
