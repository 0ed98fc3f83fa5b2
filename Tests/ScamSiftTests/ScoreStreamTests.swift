import Foundation
import Testing

/// `score` on many inputs: folders, streaming formats, the summary, -q, -o, --color.
@Suite struct ScoreStreamTests {
    static let scamPage = samplesDirectory() + "/scam/en-hyip-plans-goldrise.html"
    static let legitDir = samplesDirectory() + "/legit"

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-stream-\(UUID().uuidString)")
        let nested = dir.appendingPathComponent("b/nested")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: scamPage, toPath: dir.appendingPathComponent("a.html").path)
        try FileManager.default.copyItem(atPath: scamPage, toPath: nested.appendingPathComponent("c.HTM").path)
        try Data("not a page".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        // A link back up: read once, then reported, never followed forever.
        try FileManager.default.createSymbolicLink(atPath: nested.appendingPathComponent("loop").path, withDestinationPath: dir.path)
        return dir
    }

    @Test func aFolderIsReadRecursivelyInOrderAndALoopIsReported() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["score", "--format", "jsonl", dir.path])
        let rows = r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let sources = rows.map { ($0["source"] as! String).replacingOccurrences(of: dir.path, with: "") }
        #expect(sources == ["/a.html", "/b/nested/c.HTM", "/b/nested/loop"], "\(sources)")
        #expect((rows[2]["error"] as? String)?.contains("loop") == true)
        #expect(rows[0]["verdict"] as? String == "likely-scam")
        #expect(r.status == 2)
        #expect(r.stderr.contains("3 pages: 2 likely-scam, 0 suspicious, 0 low-risk, 0 unknown, 1 error"))
        // --glob picks other files.
        let txt = try CLI.run(["score", "-f", "jsonl", "--glob", "*.txt", dir.path])
        #expect(txt.stdout.split(separator: "\n").count == 2, "\(txt.stdout)")   // notes.txt, and the loop
        // A folder with no page that matches is an error, not a silent clean run.
        let none = try CLI.run(["score", "-f", "jsonl", "--glob", "*.pdf", dir.path + "/b"])
        #expect(none.status == 2 && none.stdout.contains("\"error_kind\":\"not-found\""), "\(none.stdout)")
        #expect(none.stderr.contains("no page in this folder matches *.pdf"), "\(none.stderr)")
    }

    @Test func everyFormatGivesTheSameResultsAsOneDocument() throws {
        let args = [Self.scamPage, Self.legitDir]
        let json = try CLI.run(["score", "--format", "json"] + args)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let results = try #require(document["results"] as? [[String: Any]])
        let jsonl = try CLI.run(["score", "--format", "jsonl"] + args).stdout.split(separator: "\n")
        #expect(results.count == jsonl.count && results.count > 10)
        for (a, b) in zip(results, jsonl) {
            let line = try #require(try JSONSerialization.jsonObject(with: Data(b.utf8)) as? [String: Any])
            #expect(a["source"] as? String == line["source"] as? String && a["score"] as? Int == line["score"] as? Int)
        }
        let csv = try CLI.run(["score", "--format", "csv"] + args).stdout.split(separator: "\n")
        #expect(csv.first?.hasPrefix("line,input,url,") == true)
        #expect(csv.count == results.count + 1)
        #expect(csv[1].contains(",likely-scam,"))
        // The same bytes twice.
        #expect(try CLI.run(["score", "--format", "json"] + args).stdout == json.stdout)
    }

    @Test func quietOutAndColour() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let quiet = try CLI.run(["score", "-q", Self.scamPage, Self.legitDir])
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty && quiet.status == 1)
        let file = dir.appendingPathComponent("out.jsonl").path
        let written = try CLI.run(["score", "-f", "jsonl", "-o", file, Self.scamPage])
        #expect(written.stdout.isEmpty && written.status == 1)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"verdict\":\"likely-scam\""))
        let always = try CLI.run(["score", "--color", "always", Self.scamPage])
        #expect(always.stdout.contains("\u{1B}[1;31mlikely-scam\u{1B}[0m"))
        // Not a terminal: auto means no colour; NO_COLOR is honoured even then.
        #expect(!(try CLI.run(["score", Self.scamPage]).stdout.contains("\u{1B}[")))
        let unwritable = try CLI.run(["score", "-o", "/proc/nope/out.txt", Self.scamPage])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("cannot write the results there"))
    }
}
