import Foundation
import ScamSift
import ScamSiftFetch
import ScamSiftTestServer
import Testing

/// Rules of the tests' own, so that these tests do not move when the built-in rules do.
enum TestRules {
    static let yaml = """
    rules:
      - id: test.deposit
        category: deposit
        description: Asks for a minimum deposit
        weight: 40
        phrases: [minimum deposit]
        examples:
          hit: ["Minimum deposit $50"]
          miss: ["No fees at all"]
      - id: test.daily
        category: returns
        description: Promises a daily return
        weight: 30
        phrases: [daily]
        examples:
          hit: ["3% daily"]
          miss: ["weekly newsletter"]
      - id: test.free_to_join
        category: legit
        description: Says joining is free
        weight: -10
        phrases: [joining is free]
        examples:
          hit: ["Joining is free."]
          miss: ["Join now"]

    """

    /// The path of the rules file (written once per process, removed at its exit).
    static let path: String = {
        let dir = (try? TemporaryFolders.make(prefix: "scamsift-fetch-tests"))
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-fetch-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("test-rules.yaml")
        try? yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }()

    static func engine() throws -> Engine {
        Engine(rules: try RuleSet.load(paths: [path], includeBuiltIn: false))
    }

    static var cliArguments: [String] { ["--no-builtin-rules", "--rules", path] }
}

/// A new folder for one test, removed when the test process exits.
func temporaryDirectory() throws -> URL {
    try TemporaryFolders.make(prefix: "scamsift-fetch")
}

/// Starts a fault server for the body and stops it afterwards.
func withServer<T>(_ body: (FaultServer) async throws -> T) async throws -> T {
    let server = try await FaultServer.start()
    do {
        let result = try await body(server)
        try await server.stop()
        return result
    } catch {
        try? await server.stop()
        throw error
    }
}

/// Fast settings for tests: short timeouts, short backoff.
func testOptions(timeout: Double = 2) -> BatchOptions {
    var o = BatchOptions()
    o.fetch.timeout = timeout
    o.fetch.connectTimeout = 1
    o.fetch.readTimeout = timeout
    o.fetch.retryBaseDelay = 0.05
    o.fetch.maxRetryAfter = 2
    o.fetch.maxBytes = 1 << 20
    o.fetch.perHost = 16
    o.concurrency = 32
    o.scoringThreads = 2
    return o
}

/// Runs a list through the library as `scamsift batch` would, writing JSONL to a file,
/// and reads the rows back from that file.
func runBatch(_ lines: [String], options: BatchOptions, engine: Engine) async throws -> (rows: [BatchRow], summary: BatchSummary, seconds: Double) {
    let dir = try temporaryDirectory()
    let list = dir.appendingPathComponent("urls.txt")
    try (lines.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out.jsonl")
    let source = try LineSource.open(list.path)
    let writer = try RowWriter(path: out.path, format: .jsonl, append: false)
    let runner = BatchRunner(engine: engine, options: options)
    let started = ContinuousClock.now
    let summary = try await options.fetch.withClient { client in
        try await runner.run(source: source, writer: writer, client: client)
    }
    let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
    return (try readRows(out.path), summary, seconds)
}

func readRows(_ path: String) throws -> [BatchRow] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { try JSONDecoder().decode(BatchRow.self, from: Data($0.utf8)) }
}

/// Runs the real `scamsift` binary, built next to the test bundle.
enum Binary {
    static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scamsift")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts the binary; the caller waits (or interrupts) it.
    static func start(_ arguments: [String], stdin: Pipe? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SCAMSIFT_RULES"] = nil
        env["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-no-config").path
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin { process.standardInput = stdin } else { process.standardInput = FileHandle.nullDevice }
        try process.run()
        return (process, out, err)
    }

    static func finish(_ p: (Process, Pipe, Pipe)) -> Result {
        let (process, out, err) = p
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { box.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: box.data, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func run(_ arguments: [String]) throws -> Result {
        finish(try start(arguments))
    }
}

extension Binary {
    /// Waits for the process off Swift's cooperative threads.
    static func finishAsync(_ p: (Process, Pipe, Pipe)) async -> Result {
        final class Box: @unchecked Sendable { let p: (Process, Pipe, Pipe); init(_ p: (Process, Pipe, Pipe)) { self.p = p } }
        let box = Box(p)
        return await withCheckedContinuation { c in
            DispatchQueue.global().async { c.resume(returning: finish(box.p)) }
        }
    }

    static func runAsync(_ arguments: [String]) async throws -> Result {
        await finishAsync(try start(arguments))
    }
}
