import Foundation
import ScamSiftTestServer

// Usage: BenchServer [PAGES_DIR] [PORT] [SERVERS]
// Serves /bench/<n> (page n modulo the count of .html files under PAGES_DIR, or two built-in
// pages) and every fault route of the test server, on 127.0.0.1. Prints "PORT <n>" when ready.
// With SERVERS > 1, that many servers on consecutive listening sockets (the first on PORT), so that
// a benchmark can spread URLs over several hosts (host:port) as `--per-host` counts them; their
// ports are printed on one line, "PORTS <p1> <p2> …".
let args = CommandLine.arguments
let pages = args.count > 1 ? FaultServer.pages(fromDirectory: args[1]) : [:]
let port = args.count > 2 ? Int(args[2]) ?? 0 : 0
let count = args.count > 3 ? max(1, Int(args[3]) ?? 1) : 1
var servers = [try await FaultServer.start(pages: pages, port: port)]
for _ in 1..<count { servers.append(try await FaultServer.start(pages: pages)) }
// Written straight to the file descriptor, unbuffered: the bench script waits for the line.
FileHandle.standardOutput.write(Data("PORTS \(servers.map { String($0.port) }.joined(separator: " "))\npages \(pages.count)\nPORT \(servers[0].port)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
