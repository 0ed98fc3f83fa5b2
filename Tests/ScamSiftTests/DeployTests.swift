import Foundation
import Testing
import ScamSift
import Yams

/// deploy/batch-indexed-job.yaml: valid as a Kubernetes Indexed Job (against the committed schema
/// of the fields it uses, since no cluster is at hand for `kubectl apply --dry-run`), consistent
/// with itself, and its command, run here once per index, covers a list exactly once.
@Suite struct DeployTests {
    static let root = (samplesDirectory() as NSString).deletingLastPathComponent
    static let manifestPath = root + "/deploy/batch-indexed-job.yaml"

    static func manifest() throws -> [String: Any] {
        try #require(try Yams.load(yaml: String(contentsOfFile: manifestPath, encoding: .utf8)) as? [String: Any])
    }

    static func json(_ object: Any) throws -> JSONValue {
        try JSONValue.parse(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    static func container(_ job: [String: Any]) throws -> [String: Any] {
        let spec = try #require(job["spec"] as? [String: Any])
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        return try #require((pod["containers"] as? [[String: Any]])?.first)
    }

    @Test func theManifestMatchesTheJobSchema() throws {
        let schema = try SchemaValidator(path: Self.root + "/deploy/indexed-job.schema.json")
        let job = try Self.manifest()
        let problems = schema.problems(try Self.json(job))
        #expect(problems.isEmpty, "\(problems)")
        // The check can fail: a misspelt field and a wrong mode are caught.
        var spec = try #require(job["spec"] as? [String: Any])
        spec["completionsMode"] = spec.removeValue(forKey: "completionMode")
        var broken = job
        broken["spec"] = spec
        #expect(schema.problems(try Self.json(broken)).contains { $0.contains("'completionsMode' is not in the schema") })
    }

    @Test func shardsImageAndCommandAgree() throws {
        let job = try Self.manifest()
        let spec = try #require(job["spec"] as? [String: Any])
        let container = try Self.container(job)
        let shards = try #require((container["env"] as? [[String: Any]])?.first { $0["name"] as? String == "SHARDS" }?["value"] as? String)
        #expect(spec["completions"] as? Int == Int(shards), "completions and SHARDS must be the same N")
        #expect((spec["parallelism"] as? Int ?? 0) <= (spec["completions"] as? Int ?? 0))
        #expect(container["image"] as? String == "scamsift:\(ReportFormatter.version)")
        let script = try #require((container["args"] as? [String])?.first)
        for part in ["--shard \"$JOB_COMPLETION_INDEX/$SHARDS\"", "--resume", "part-$JOB_COMPLETION_INDEX.jsonl"] {
            #expect(script.contains(part), "the command lacks \(part)")
        }
    }

    /// The manifest's own command, with its volume in a temporary folder and the built binary
    /// for the image's: every index writes its part, the parts hold each page once, and a
    /// restarted index finishes its part instead of doing it again.
    @Test func theCommandCoversTheListOnceAcrossIndexes() throws {
        let container = try Self.container(try Self.manifest())
        #expect(container["command"] as? [String] == ["sh", "-c"])
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let pages = try FileManager.default.contentsOfDirectory(atPath: samplesDirectory() + "/scam").sorted().prefix(12)
            .map { samplesDirectory() + "/scam/" + $0 }
        try pages.joined(separator: "\n").write(to: data.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        let script = try #require((container["args"] as? [String])?.first)
            .replacingOccurrences(of: "/data", with: data.path)
            .replacingOccurrences(of: "exec scamsift ", with: "exec '\(CLI.binary.path)' ")
        let shards = 3
        func runIndex(_ k: Int) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            var env = ProcessInfo.processInfo.environment
            env["JOB_COMPLETION_INDEX"] = "\(k)"
            env["SHARDS"] = "\(shards)"
            env["SCAMSIFT_CACHE_DIR"] = CLI.cacheFolder
            p.environment = env
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        for k in 0..<shards { #expect(try runIndex(k) == 0) }
        func rows(_ k: Int) throws -> [String] {
            try String(contentsOf: data.appendingPathComponent("results/part-\(k).jsonl"), encoding: .utf8)
                .split(separator: "\n").map { line in
                    let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    return try #require(row["url"] as? String)
                }
        }
        let all = try (0..<shards).flatMap(rows)
        #expect(all.count == pages.count && Set(all).count == pages.count, "\(all)")
        #expect(Set(all) == Set(pages.map { InputArgumentKey.of($0) }))
        #expect(try (0..<shards).allSatisfy { try !rows($0).isEmpty }, "12 pages over 3 shards leave none empty")
        // A pod restarted after finishing adds nothing.
        let before = try rows(1)
        #expect(try runIndex(1) == 0)
        #expect(try rows(1) == before)
    }
}

/// The key batch gives a local page (its real path as a file URL), as the test computes it.
enum InputArgumentKey {
    static func of(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().absoluteString }
}
