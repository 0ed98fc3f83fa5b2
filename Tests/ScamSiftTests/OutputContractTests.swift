import Foundation
import Testing
@testable import ScamSift

/// What every JSON result carries: the shape's version and the rule set's.
@Suite struct OutputContractTests {
    static let page = samplesDirectory() + "/scam/en-hyip-plans-goldrise.html"

    static func results(_ arguments: [String]) throws -> [[String: Any]] {
        let r = try CLI.run(["score", "--format", "json"] + arguments)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try #require(object?["results"] as? [[String: Any]])
    }

    @Test func everyResultHasTheSchemaAndRulesVersions() throws {
        let results = try Self.results([Self.page, "/no/such/page.html"])
        #expect(results.count == 2)
        for r in results {
            #expect(r["schema_version"] as? Int == Report.schemaVersion)
            let version = try #require(r["rules_version"] as? String)
            #expect(version.count == 16 && version.allSatisfy(\.isHexDigit))
        }
        #expect(results[0]["rules_version"] as? String == results[1]["rules_version"] as? String)
        #expect(results[1]["error_kind"] as? String == "not-found")
        #expect(results[0]["rules_version"] as? String == RuleSet.builtIn.version)
    }

    @Test func theRulesVersionFollowsTheRuleFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let extra = dir.appendingPathComponent("extra.yaml")
        try Data("verdicts:\n  suspicious: 40\n  likely_scam: 70\n".utf8).write(to: extra)
        let plain = try #require(try Self.results([Self.page]).first?["rules_version"] as? String)
        let again = try #require(try Self.results([Self.page]).first?["rules_version"] as? String)
        let more = try #require(try Self.results(["--rules", extra.path, Self.page]).first?["rules_version"] as? String)
        #expect(plain == again)
        #expect(plain != more)
    }

    @Test func aReportReadsBackFromItsJSON() throws {
        let report = try Engine(rules: .builtIn).score(html: Data(contentsOf: URL(fileURLWithPath: Self.page)), source: "p")
        let data = try JSONEncoder().encode(report)
        var back = try JSONDecoder().decode(Report.self, from: data)
        back.tokenHashes = report.tokenHashes
        // JSON holds each rule's description in one language (English without --lang), so the
        // report read back knows that one; everything else comes back as it was.
        var written = report
        written.hits = report.hits.map { hit in
            var h = hit
            h.descriptions = LocalizedText(hit.descriptions.english)
            return h
        }
        #expect(report.hits.contains { $0.descriptions.has("bn") })
        #expect(back == written)
    }
}

/// Which rules a run loads, and the report naming them.
@Suite struct RuleSourceTests {
    @Test func theReportNamesItsRulesAndUserRulesCanBeLeftOut() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-user-\(UUID().uuidString)")
        let folder = home.appendingPathComponent("scamsift/rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let mine = folder.appendingPathComponent("mine.yaml")
        try Data("verdicts:\n  suspicious: 20\n  likely_scam: 90\n".utf8).write(to: mine)
        let extra = home.appendingPathComponent("extra.yaml")
        try Data("verdicts:\n  suspicious: 21\n  likely_scam: 91\n".utf8).write(to: extra)
        let env = ["XDG_CONFIG_HOME": home.path, "SCAMSIFT_RULES": extra.path]
        let page = OutputContractTests.page
        let with = try CLI.run(["score", page], environment: env)
        #expect(with.stdout.contains("Rules:   built-in, \(mine.path), \(extra.path) (version "), "\(with.stdout.prefix(400))")
        #expect(with.stdout.contains("likely-scam from 91"))
        let without = try CLI.run(["score", "--no-user-rules", page], environment: env)
        #expect(without.stdout.contains("Rules:   built-in (version "))
        #expect(without.stdout.contains("likely-scam from 60"))
    }
}

/// Failures name their kind as batch's error kinds do.
@Suite struct ErrorKindTests {
    @Test func eachLocalFailureHasItsKind() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.html"), pdf = dir.appendingPathComponent("doc.html")
        try Data().write(to: empty)
        try Data("%PDF-1.7\n...".utf8).write(to: pdf)
        let r = try CLI.run(["score", "-f", "csv", empty.path, pdf.path, dir.appendingPathComponent("gone.html").path])
        let rows = r.stdout.split(separator: "\n").dropFirst().map { BatchCSV.cells(String($0)) }
        #expect(rows.count == 3)
        // error_kind is the next-to-last column of batch's CSV.
        #expect(rows.map { $0[$0.count - 2] } == ["unparseable", "not-html", "not-found"], "\(rows)")
    }
}

/// Splits one CSV line of scamsift's (quoted cells, doubled quotes).
enum BatchCSV {
    static func cells(_ line: String) -> [String] {
        var cells: [String] = [], cell = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false } } else { cell.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { cells.append(cell); cell = "" } else { cell.append(c) }
        }
        cells.append(cell)
        return cells
    }
}
