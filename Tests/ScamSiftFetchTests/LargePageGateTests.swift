import Foundation
@testable import ScamSiftFetch
import Synchronization
import Testing

/// Large pages are scored one at a time; small ones are not held up (issue 16, point 2).
@Suite struct LargePageGateTests {
    /// Counts bodies running at once, and the most there ever were.
    final class Overlap: Sendable {
        private let state = Mutex((now: 0, most: 0))
        func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
        var most: Int { state.withLock { $0.most } }
    }

    static func runAll(_ sizes: [Int]) async throws -> Int {
        let gate = LargePageGate()
        let overlap = Overlap()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for size in sizes {
                group.addTask {
                    try await gate.run(bytes: size) {
                        overlap.enter()
                        try await Task.sleep(for: .milliseconds(40))
                        overlap.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        return overlap.most
    }

    @Test func largePagesNeverOverlap() async throws {
        let most = try await Self.runAll(Array(repeating: LargePageGate.threshold + 1, count: 6))
        #expect(most == 1)
    }

    @Test func smallPagesRunTogether() async throws {
        // Six small pages sleeping 40 ms each overlap; at the threshold a page is still small.
        let most = try await Self.runAll(Array(repeating: LargePageGate.threshold, count: 6))
        #expect(most > 1)
    }

    @Test func anErrorReleasesTheGate() async throws {
        struct Failed: Error {}
        let gate = LargePageGate()
        await #expect(throws: Failed.self) { try await gate.run(bytes: LargePageGate.threshold * 2) { throw Failed() } }
        // Had the failure kept the gate, this would wait for ever.
        let value = try await gate.run(bytes: LargePageGate.threshold * 2) { 42 }
        #expect(value == 42)
    }
}
