import ScamSift

/// Lets one large page at a time be scored. At its peak, scoring a page holds about twenty times
/// its size (libxml2's copies of the bytes and its tree, then the normalised texts and the offer
/// blocks), so two 5 MB pages scored at once were most of a batch's peak memory on a list of
/// hostile servers (issue 16). Pages up to `threshold` bytes, nearly all real ones, pass freely.
struct LargePageGate: Sendable {
    /// Bytes above which a page waits for the gate.
    static let threshold = FreedMemory.largePageBytes

    private let limiter = HostLimiter(limit: 1)

    /// Runs `body` for a page of `bytes` bytes, after any large page before it when it is large.
    /// - Throws: `CancellationError` when cancelled while waiting; whatever `body` throws.
    func run<T: Sendable>(bytes: Int, _ body: () async throws -> T) async throws -> T {
        guard bytes > Self.threshold else { return try await body() }
        try await limiter.acquire("large")
        let result: Result<T, Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        // The large page's memory is free now but still held by malloc (see `FreedMemory`).
        FreedMemory.giveBack()
        await limiter.release("large")
        return try result.get()
    }
}
