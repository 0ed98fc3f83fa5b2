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

    static let engine = Engine(rules: .builtIn)

    public func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .parse: Self.parse(Data(buffer: bytes))
        case .rules: Self.rules(String(decoding: bytes, as: UTF8.self))
        case .offers: Self.offers(String(decoding: bytes, as: UTF8.self))
        case .mhtml: Self.mhtml(Array(bytes))
        }
    }

    public func run(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { run($0) } }

    static func parse(_ data: Data) {
        guard let report = try? engine.score(html: data, source: "fuzz") else { return }
        check(report)
    }

    static func rules(_ text: String) {
        let reading = RuleFileLoader.read(text: text, file: "fuzz.yaml")
        for problem in reading.problems {
            precondition(problem.line >= 1 && problem.column >= 1, "problem without a place: \(problem)")
        }
        guard let file = reading.file else { return }
        // A rule set that compiles must score a page without trouble.
        guard let set = try? RuleSet(files: [file]) else { return }
        if let report = try? Engine(rules: set).score(html: Data("<p>Deposit $100 and earn 3% daily</p>".utf8), source: "fuzz") {
            check(report)
        }
    }

    static func offers(_ text: String) {
        var html = "<html><body><table>"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            html += "<tr>"
            for cell in line.split(separator: "\t", omittingEmptySubsequences: false) {
                html += "<td>" + escaped(cell) + "</td>"
            }
            html += "</tr>"
        }
        html += "</table><p>" + escaped(Substring(text)) + "</p></body></html>"
        guard let report = try? engine.score(html: Data(html.utf8), source: "fuzz") else { return }
        check(report)
    }

    static func mhtml(_ bytes: [UInt8]) {
        if let archive = try? MHTMLReader.read(bytes) {
            for part in archive.parts { _ = try? archive.decodedBody(of: part) }
        }
        // The whole way a saved page takes, whatever the sniffer makes of it.
        guard let input = try? PageInput.read(Data(bytes), contentType: "multipart/related") else { return }
        var timings = StageTimings()
        guard let page = try? input.parse(xpaths: engine.rules.xpaths, timings: &timings) else { return }
        check(engine.score(page: page, source: "fuzz"))
    }

    /// What every report must satisfy.
    static func check(_ report: Report) {
        precondition((0...100).contains(report.score), "score \(report.score) out of range")
        for offer in report.offers {
            for value in [offer.ratePercent, offer.periodDays, offer.termDays, offer.annualPercent, offer.totalPercent, offer.doublingDays] {
                if let value { precondition(value.isFinite, "an offer figure is not finite: \(offer)") }
            }
        }
        _ = ReportFormatter.text(report)
        let json = ReportFormatter.resultJSON(.report(report), rulesVersion: "", pretty: false)
        precondition((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "report JSON does not parse")
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
