import Foundation
import ScamSiftTestServer
import Testing

/// Runs the real `scamsift` binary, built next to the test bundle.
struct CLI {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scamsift")
    }

    /// One folder for every test run: a snapshot is keyed on the binary and the rules, and the
    /// cache prunes itself to a few, so runs neither read each other's results nor pile up.
    static let cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-test-cache").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The test's environment without the user's rules, learned pages or cache, plus `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["SCAMSIFT_RULES"] = nil
        env["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-no-config").path
        // No learned text-model database of the user's (`scamsift learn`) joins the built-in model.
        env["XDG_DATA_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-no-data").path
        // Compiled rule sets are cached for this test run only, never in the user's cache.
        env["SCAMSIFT_CACHE_DIR"] = cacheFolder
        // English output whatever the machine's locale (tests that want another set it).
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        env["LANG"] = "C.UTF-8"
        for (k, v) in extra { env[k] = v }
        return env
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], cwd: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = Self.environment(environment)
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output cannot deadlock.
        let group = DispatchGroup()
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = outBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A new folder for one test, removed when the test process exits.
func temporaryDirectory() throws -> URL {
    try TemporaryFolders.make(prefix: "scamsift-test")
}

@Suite struct ScoreCommandTests {
    let scam = samplesDirectory() + "/scam/"
    let legit = samplesDirectory() + "/legit/"

    @Test func scamPageExitsOneLegitPageExitsZero() throws {
        let s = try CLI.run(["score", scam + firstSample("scam")])
        #expect(s.status == 1, "stderr: \(s.stderr)")
        #expect(s.stdout.contains("Verdict: likely-scam"))
        #expect(s.stdout.contains("pts"))
        let l = try CLI.run(["score", legit + firstSample("legit")])
        #expect(l.status == 0, "stdout: \(l.stdout)")
        #expect(l.stdout.contains("Verdict: low-risk"))
    }

    /// `--region` and the locale's territory choose whose helplines the advice names.
    @Test func regionChoosesTheAdvice() throws {
        let page = try scam + firstSample("scam")
        #expect(try CLI.run(["score", page]).stdout.contains("16247"))
        #expect(try !CLI.run(["score", "--region", "other", page]).stdout.contains("16247"))
        #expect(try !CLI.run(["score", page], environment: ["LANG": "en_GB.UTF-8"]).stdout.contains("16247"))
        #expect(try CLI.run(["score", "--region", "bd", page], environment: ["LANG": "en_GB.UTF-8"]).stdout.contains("16247"))
        let india = try CLI.run(["score", page], environment: ["LANG": "hi_IN.UTF-8"]).stdout
        #expect(india.contains("1930") && !india.contains("16247"))
        #expect(try CLI.run(["score", "--region", "in", page]).stdout.contains("cybercrime.gov.in"))
        let bad = try CLI.run(["score", "--region", "uk", page])
        #expect(bad.status == 2 && bad.stderr.contains("--region"), "\(bad.status) \(bad.stderr)")
    }

    @Test func failAtMovesTheThreshold() throws {
        let l = try CLI.run(["score", "--fail-at", "0", legit + firstSample("legit")])
        #expect(l.status == 1)
        let s = try CLI.run(["score", "--fail-at", "100", "--format", "json", scam + firstSample("scam")])
        let json = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as! [String: Any]
        let score = ((json["results"] as! [[String: Any]])[0]["score"] as! Int)
        #expect(s.status == (score >= 100 ? 1 : 0))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let r = try CLI.run(["score", "--format", "json", scam + firstSample("scam"), legit + firstSample("legit")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["scamsift"] as? String != nil)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == 2)
        for key in ["source", "score", "raw_score", "verdict", "hits", "cutoffs", "title", "encoding", "rule_errors"] {
            #expect(results[0][key] != nil, "missing \(key)")
        }
        let hit = try #require((results[0]["hits"] as? [[String: Any]])?.first)
        for key in ["id", "category", "description", "weight", "points", "count", "file", "evidence"] {
            #expect(hit[key] != nil, "hit missing \(key)")
        }
        #expect((hit["file"] as? String)?.hasPrefix("Rules/") == true)
    }

    @Test func outputIsByteForByteStable() throws {
        let args = try ["score", "--format", "json", scam + firstSample("scam")]
        let a = try CLI.run(args).stdout, b = try CLI.run(args).stdout
        #expect(a == b)
        #expect(!a.isEmpty)
    }

    @Test func stdinIsAPage() throws {
        let html = try Data(contentsOf: URL(fileURLWithPath: scam + firstSample("scam")))
        let r = try CLI.run(["score", "-"], stdin: html)
        #expect(r.status == 1)
        #expect(r.stdout.contains("Page:    -"))
    }

    @Test func badFilesGetOneLineEachAndTheOthersAreStillScored() throws {
        let dir = try temporaryDirectory()
        let empty = dir.appendingPathComponent("empty.html"), binary = dir.appendingPathComponent("image.png")
        try Data().write(to: empty)
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]).write(to: binary)
        let r = try CLI.run(["score", empty.path, dir.appendingPathComponent("missing.html").path, binary.path,
                             legit + firstSample("legit")])
        #expect(r.status == 2)
        // One line each on standard error; the errors are not repeated on stdout, which ends with the summary.
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 3, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("empty.html: the file is empty"))
        #expect(r.stderr.contains("missing.html: no such file"))
        #expect(r.stderr.contains("image.png: the file is a PNG image, not a web page"))
        #expect(r.stdout.contains("Verdict: low-risk"))
        #expect(!r.stdout.contains("Error:"))
        #expect(r.stdout.hasSuffix("\n4 pages: 0 likely-scam, 0 suspicious, 1 low-risk, 0 unknown, 3 errors\n"), "\(r.stdout.suffix(200))")
    }

    @Test func badRulesExitTwoWithFileLineAndColumn() throws {
        let dir = try temporaryDirectory()
        let rules = dir.appendingPathComponent("bad.yaml")
        try "rules:\n  - id: x\n    category: c\n    description: d\n    weight: heavy\n    phrases: [abc]\n".write(to: rules, atomically: true, encoding: .utf8)
        let r = try CLI.run(["score", "--rules", rules.path, legit + firstSample("legit")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:5:13: error: 'weight' must be a whole number, not 'heavy'"), "stderr: \(r.stderr)")
    }

    /// A folder named with --rules that holds no rules file (a parent folder, say) is refused:
    /// scoring on without the rules it was meant to hold would hide the mistake.
    @Test func aRulesFolderWithoutRulesFilesExitsTwo() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Rules"), withIntermediateDirectories: true)
        try "rules: []\n".write(to: dir.appendingPathComponent("Rules/mine.yaml"), atomically: true, encoding: .utf8)
        try "not rules\n".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let score = try CLI.run(["score", "--rules", dir.path, legit + firstSample("legit")])
        #expect(score.status == 2)
        #expect(score.stderr.contains("\(dir.path):1:1: error: no rules file (*.yaml or *.yml) in this folder or its lexicon/ folder"), "stderr: \(score.stderr)")
        #expect(score.stdout.isEmpty)
        let lint = try CLI.run(["rules", "lint", dir.path])
        #expect(lint.status != 0)
        #expect(lint.stdout.contains("no rules file") || lint.stderr.contains("no rules file"), "stdout: \(lint.stdout) stderr: \(lint.stderr)")
        // The folder that holds the file is fine.
        let right = try CLI.run(["score", "--rules", dir.appendingPathComponent("Rules").path, legit + firstSample("legit")])
        #expect(right.status == 0, "stderr: \(right.stderr)")
    }

    /// A rules file with one rule, `id`, that finds `marker`, and a page that holds the marker.
    func markerRule(_ id: String, _ marker: String, in dir: URL) throws -> (rules: URL, page: URL) {
        let rules = dir.appendingPathComponent("extra.yaml")
        try """
        rules:
          - id: \(id)
            category: custom
            description: the sample's own marker word
            weight: 7
            phrases: [\(marker)]
            examples: {hit: [\(marker)]}
        """.write(to: rules, atomically: true, encoding: .utf8)
        let page = dir.appendingPathComponent("p.html")
        try "<html><body><p>\(marker)</p></body></html>".write(to: page, atomically: true, encoding: .utf8)
        return (rules, page)
    }

    @Test func customRulesAddToTheBuiltIns() throws {
        let (rules, page) = try markerRule("custom.word", "zebra-crossing-token", in: try temporaryDirectory())
        let r = try CLI.run(["score", "--rules", rules.path, "--format", "json", page.path])
        #expect(r.stdout.contains("\"custom.word\""))
        #expect(r.stdout.contains(rules.path))
        let only = try CLI.run(["score", "--rules", rules.path, "--no-builtin-rules", "--format", "json", scam + firstSample("scam")])
        #expect(only.status == 0)
        #expect(!only.stdout.contains("\"file\" : \"Rules/"))
    }

    /// `score` without rule options reads the default rule set ahead, before its command line is
    /// parsed (`RulePreload`): rules from SCAMSIFT_RULES must reach it, a broken one must be
    /// reported once, and `--rules` in either spelling must still be read.
    @Test func theReadAheadRuleSetHasTheUsersRulesAndTheirErrorsOnce() throws {
        let dir = try temporaryDirectory()
        let (rules, page) = try markerRule("custom.ahead", "quokka-marker-token", in: dir)
        let fromEnvironment = try CLI.run(["score", "--format", "json", page.path], environment: ["SCAMSIFT_RULES": rules.path])
        #expect(fromEnvironment.stdout.contains("\"custom.ahead\""), "\(fromEnvironment.stdout.prefix(300))")
        let withEquals = try CLI.run(["score", "--rules=\(rules.path)", "--format", "json", page.path])
        #expect(withEquals.stdout.contains("\"custom.ahead\""))
        let plain = try CLI.run(["score", "--format", "json", page.path])
        #expect(!plain.stdout.contains("\"custom.ahead\""))

        let bad = dir.appendingPathComponent("bad.yaml")
        try "rules:\n  - id: x\n    category: c\n    description: d\n    weight: heavy\n    phrases: [abc]\n".write(to: bad, atomically: true, encoding: .utf8)
        let broken = try CLI.run(["score", page.path], environment: ["SCAMSIFT_RULES": bad.path])
        #expect(broken.status == 2)
        #expect(broken.stderr.components(separatedBy: "bad.yaml:5:13: error:").count == 2, "stderr: \(broken.stderr)")
    }

    @Test func binaryWorksCopiedAloneToAnotherFolder() throws {
        let dir = try temporaryDirectory()
        let copy = dir.appendingPathComponent("scamsift")
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        let process = Process()
        process.executableURL = copy
        process.arguments = try ["score", "--format", "json", scam + firstSample("scam")]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(String(decoding: data, as: UTF8.self).contains("\"file\" : \"Rules/"))
    }

    @Test func usageErrorsExitTwo() throws {
        let none = try CLI.run(["score"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("Missing expected argument"))
        #expect(try CLI.run(["score", "--fail-at", "101", "x.html"]).status == 2)
        #expect(try CLI.run(["score", "--format", "xml", "x.html"]).status == 2)
        #expect(try CLI.run(["score", "--base-url", "not a url", "x.html"]).status == 2)
    }
}
