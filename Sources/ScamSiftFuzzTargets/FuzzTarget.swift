import Foundation
import ScamSift

/// What each libFuzzer target does with one input (see `scripts/fuzz.sh` and `scamsift-fuzz`).
/// Each runs public entry points on arbitrary bytes and checks what must hold whatever the
/// input: a crash, a failed check, a leak or a hang is a finding. The regression tests run every
/// input committed under `Tests/ScamSiftTests/Fixtures/fuzz/TARGET/` through the same code.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Bytes as a page: parse, score, and write the report as text and JSON.
    case parse
    /// Bytes as a rules file: read and check it, and compile it alone into a rule set.
    case rules
    /// Bytes as plain text for the offer extractor: lines become table rows and tabs cells, so
    /// sentences, tables and their headers are all read.
    case offers
    /// Bytes as an MHTML archive: split into parts, each part decoded, the page part parsed.
    case mhtml
    /// Bytes as a WARC file (plain or gzip): records read one by one, each HTML page scored.
    case warc
    /// Bytes as a saved file, the way `scamsift score` takes one: a WARC file when its first
    /// bytes say so (`warc`), otherwise an MHTML archive or a page (`mhtml`). The one target that
    /// covers both readers in a fuzzing run.
    case archive

    /// Builds the built-in rule set now, so that the first input is not slow for it.
    public static func prepare() { _ = engine.rules }

    static let engine = Engine(rules: .builtIn)

    /// Runs the target on one input; returns how many reports it checked (for the tests, which
    /// make sure a known-good input gets as far as a report).
    @discardableResult
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        switch self {
        case .parse: Self.parse(Data(buffer: bytes))
        case .rules: Self.rules(Array(bytes))
        case .offers: Self.offers(String(decoding: bytes, as: UTF8.self))
        case .mhtml: Self.mhtml(Array(bytes))
        case .warc: Self.warc(Array(bytes))
        case .archive:
            InputSniffer.isWARC(Array(bytes.prefix(4096))) ? Self.warc(Array(bytes)) : Self.mhtml(Array(bytes))
        }
    }

    @discardableResult
    public func run(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { run($0) } }

    static func parse(_ data: Data) -> Int {
        guard let report = try? engine.score(html: data, source: "fuzz") else { return 0 }
        return check(report)
    }

    /// Where the rules target writes each input, for `RuleLinter`, which reads files: one file
    /// per process, in a folder of its own.
    static let rulesPath: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("fuzz.yaml").path
    }()

    static func rules(_ bytes: [UInt8]) -> Int {
        // `rules lint` on the file alone (the built-ins would be read again for every input).
        precondition(FileManager.default.createFile(atPath: rulesPath, contents: Data(bytes)), "cannot write \(rulesPath)")
        for problem in RuleLinter.lint(paths: [rulesPath], includeBuiltIn: false) {
            precondition(problem.line >= 1 && problem.column >= 1, "problem without a place: \(problem)")
        }
        let reading = RuleFileLoader.read(text: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        for problem in reading.problems {
            precondition(problem.line >= 1 && problem.column >= 1, "problem without a place: \(problem)")
        }
        guard let file = reading.file else { return 0 }
        // A rule set that compiles must score a page without trouble.
        guard let set = try? RuleSet(files: [file]) else { return 0 }
        guard let report = try? Engine(rules: set).score(html: Data("<p>Deposit $100 and earn 3% daily</p>".utf8), source: "fuzz") else { return 0 }
        return check(report)
    }

    static func offers(_ text: String) -> Int {
        var html = "<html><body><table>"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            html += "<tr>"
            for cell in line.split(separator: "\t", omittingEmptySubsequences: false) {
                html += "<td>" + escaped(cell) + "</td>"
            }
            html += "</tr>"
        }
        html += "</table><p>" + escaped(Substring(text)) + "</p></body></html>"
        guard let report = try? engine.score(html: Data(html.utf8), source: "fuzz") else { return 0 }
        return check(report)
    }

    static func mhtml(_ bytes: [UInt8]) -> Int {
        if let archive = try? MHTMLReader.read(bytes) {
            for part in archive.parts { _ = try? archive.decodedBody(of: part) }
        }
        // The whole way a saved file takes, whatever the sniffer makes of it (an archive names its
        // boundary in its own headers; no HTTP Content-Type is given, as for a file).
        guard let input = try? PageInput.read(Data(bytes)) else { return 0 }
        var timings = StageTimings()
        guard let page = try? input.parse(xpaths: engine.rules.xpaths, timings: &timings) else { return 0 }
        return check(engine.score(page: page, source: "fuzz"))
    }

    /// The whole input is the reader's first bytes, as if the sniffer had read them, and
    /// `/dev/null` is the rest of the file: the reader sees the input, then the end.
    static func warc(_ bytes: [UInt8]) -> Int {
        let rest = open("/dev/null", O_RDONLY | O_CLOEXEC)
        precondition(rest >= 0, "cannot open /dev/null")
        let reader = WARCReader(fd: rest, head: bytes, gzip: bytes.starts(with: [0x1F, 0x8B]), ownsFD: true)
        let pages = WARCPageReader(reader: reader, name: "fuzz.warc", limit: 1 << 20)
        var entries = 0, checked = 0
        while let entry = pages.next() {
            entries += 1
            precondition(entries <= bytes.count + 1, "more entries than bytes: the reader is not moving on")
            guard case let .page(page) = entry else { continue }
            precondition(page.body.count <= pages.limit, "a body past the limit: \(page.body.count)")
            if case let .report(report) = PageScorer.score(record: page, engine: engine) { checked += check(report) }
        }
        let tally = pages.tally
        precondition(tally.pages + tally.errors <= tally.records + 1, "tally does not add up: \(tally)")
        return checked
    }

    /// What every report must satisfy.
    @discardableResult
    static func check(_ report: Report) -> Int {
        precondition((0...100).contains(report.score), "score \(report.score) out of range")
        for offer in report.offers {
            for value in [offer.ratePercent, offer.periodDays, offer.termDays, offer.annualPercent, offer.totalPercent, offer.doublingDays] {
                if let value { precondition(value.isFinite, "an offer figure is not finite: \(offer)") }
            }
        }
        _ = ReportFormatter.text(report)
        let json = ReportFormatter.resultJSON(.report(report), rulesVersion: "", pretty: false)
        precondition((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "report JSON does not parse")
        return 1
    }

    static func escaped(_ s: Substring) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case "&": out += "&amp;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
