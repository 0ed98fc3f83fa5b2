import Foundation

/// At most `limit` holders per key (host:port). Waiters are served first come, first served;
/// a waiter whose task is cancelled leaves the queue and throws `CancellationError`.
public actor HostLimiter {
    public let limit: Int
    private var active: [String: Int] = [:]
    private var waiters: [String: [(id: UInt64, continuation: CheckedContinuation<Void, Error>)]] = [:]
    private var nextID: UInt64 = 0

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    public func acquire(_ key: String) async throws {
        try Task.checkCancellation()
        if active[key, default: 0] < limit && (waiters[key]?.isEmpty ?? true) {
            active[key, default: 0] += 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                if Task.isCancelled {
                    c.resume(throwing: CancellationError())
                } else {
                    waiters[key, default: []].append((id, c))
                }
            }
        } onCancel: {
            Task { await self.cancel(key, id) }
        }
    }

    public func release(_ key: String) {
        if var queue = waiters[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.continuation.resume()  // the slot passes straight to the waiter
            return
        }
        let n = active[key, default: 0] - 1
        active[key] = n > 0 ? n : nil
    }

    private func cancel(_ key: String, _ id: UInt64) {
        guard var queue = waiters[key], let i = queue.firstIndex(where: { $0.id == id }) else { return }
        let w = queue.remove(at: i)
        waiters[key] = queue.isEmpty ? nil : queue
        w.continuation.resume(throwing: CancellationError())
    }

    /// Keys with a holder or a waiter (for tests: empty when everything was released).
    public var busyKeys: [String] { Array(Set(active.keys).union(waiters.keys)).sorted() }
}
