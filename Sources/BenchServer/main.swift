import Foundation
import ScamSiftTestServer

// Usage: BenchServer [PAGES_DIR] [PORT]
// Serves /bench/<n> (page n modulo the count of .html files under PAGES_DIR, or two built-in
// pages) and every fault route of the test server, on 127.0.0.1. Prints "PORT <n>" when ready.
let args = CommandLine.arguments
let pages = args.count > 1 ? FaultServer.pages(fromDirectory: args[1]) : [:]
let port = args.count > 2 ? Int(args[2]) ?? 0 : 0
let server = try await FaultServer.start(pages: pages, port: port)
// Written straight to the file descriptor, unbuffered: the bench script waits for the line.
FileHandle.standardOutput.write(Data("PORT \(server.port)\npages \(pages.count)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
