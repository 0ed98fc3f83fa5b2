import Foundation
@testable import ScamSiftFetch
import Testing

/// A large body waits for its turn on disk, in a file without a name (issue 16, point 2).
@Suite struct ParkedBodyTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func readsBackTheSameBytesAndLeavesNoFileBehind() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()
        let body = Data((0..<3_000_001).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let parked = try #require(ParkedBody(body, folder: folder))
        #expect(parked.count == body.count)
        // Unlinked at once: nothing in the folder even while it is parked.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(parked.read() == body)
        #expect(parked.read() == body)
    }

    @Test func anEmptyBodyReadsBackEmpty() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try #require(ParkedBody(Data(), folder: folder)).read() == Data())
    }

    @Test func noFolderMeansNoParking() {
        #expect(ParkedBody(Data("x".utf8), folder: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")) == nil)
    }
}
