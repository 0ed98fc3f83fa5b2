import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// The real `scamsift serve` binary: the address on its first line, a page, a clean stop.
@Suite struct ServeCommandTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scamsift")
    }

    @Test func itPrintsTheAddressFirstServesTheFormAndStopsOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0", "--lang", "bn", "--no-user-rules"]
        var env = ProcessInfo.processInfo.environment
        env["SCAMSIFT_CACHE_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-test-cache").path
        env["XDG_DATA_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-no-data").path
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The first line is the address, whatever the server logs.
        let firstLine = await Task.detached { () -> String in
            var line = Data()
            while true {
                let byte = out.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte == Data("\n".utf8) { break }
                line.append(byte)
            }
            return String(decoding: line, as: UTF8.self)
        }.value
        let match = try #require(firstLine.wholeMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//), "first line: \(firstLine)")
        let port = try #require(Int(match.1))
        #expect(port > 0)

        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), timeout: .seconds(30))
            #expect(response.status.code == 200)
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(body.contains("<html lang=\"bn\">"))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }

        process.terminate()  // SIGTERM: a graceful stop
        let exited = await Task.detached { () -> Int32 in
            process.waitUntilExit()
            return process.terminationStatus
        }.value
        #expect(exited == 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("serving on http://127.0.0.1:\(port)/"))
    }
}
