import Foundation
import ScamSift

/// Counts of one run, for the closing summary and the exit code.
public struct BatchSummary: Sendable {
    /// Rows written by this run.
    public var rows = 0
    public var verdicts: [String: Int] = [:]
    public var errors: [String: Int] = [:]
    public var duplicates = 0
    /// Lines skipped because `--resume` found their row already written.
    public var resumedSkipped = 0
    /// Rows that were already in the results file (`--resume`).
    public var resumedRows = 0
    public var otherShards = 0
    /// In flight when the run was stopped: no row written; `--resume` will do them.
    public var abandoned = 0
    public var interrupted = false
    /// Lines of the list never read because the run was stopped.
    public var unread = false
    /// The list could not be read to its end (the rows before are written).
    public var readError: String?
    public var truncated = 0
    /// The highest score (the site's with --crawl) among all rows, kept ones included.
    public var maxScore: Int?
    public var elapsed: Double = 0
    /// The slowest hosts by their slowest fetch (bounded: at most `slowestKept` hosts are kept).
    public var slowest: [String: Int] = [:]
    static let slowestKept = 5

    public init() {}

    mutating func add(_ row: BatchRow) {
        rows += 1
        if let kind = row.errorKind { errors[kind, default: 0] += 1 }
        if let v = row.effectiveVerdict { verdicts[v, default: 0] += 1 }
        if let s = row.effectiveScore { maxScore = max(maxScore ?? s, s) }
        if row.truncated { truncated += 1 }
        if let ms = row.elapsedMs, let url = row.url, !url.hasPrefix("file:") {   // local pages have no host
            let host = URLNormalizer.hostKey(url)
            if let old = slowest[host] {
                slowest[host] = max(old, ms)
            } else if slowest.count < Self.slowestKept {
                slowest[host] = ms
            } else if let (minHost, minMs) = slowest.min(by: { ($0.value, $1.key) < ($1.value, $0.key) }), ms > minMs {
                slowest[minHost] = nil
                slowest[host] = ms
            }
        }
    }

    /// Sorted, so two runs with the same outcome print the same lines.
    public func text(outName: String?) -> String {
        var lines: [String] = []
        let rate = elapsed > 0 ? Double(rows) / elapsed : 0
        var head = "scamsift batch: \(rows) row(s) in \(String(format: "%.1f", elapsed)) s (\(String(format: "%.1f", rate)) pages/s)"
        if interrupted { head += ", interrupted" }
        lines.append(head)
        let order: [Verdict] = [.likelyScam, .suspicious, .lowRisk, .unknown]
        assert(Set(order) == Set(Verdict.allCases))
        let v = order.map { "\($0.rawValue) \(verdicts[$0.rawValue, default: 0])" }.joined(separator: ", ")
        lines.append("  verdicts: \(v)")
        if !errors.isEmpty {
            lines.append("  errors:   " + errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if truncated > 0 { lines.append("  truncated at --max-bytes and scored: \(truncated)") }
        var skipped: [String] = []
        if duplicates > 0 { skipped.append("\(duplicates) duplicate(s)") }
        if resumedSkipped > 0 { skipped.append("\(resumedSkipped) already in \(outName ?? "the results") (--resume)") }
        if otherShards > 0 { skipped.append("\(otherShards) in other shards") }
        if !skipped.isEmpty { lines.append("  skipped:  " + skipped.joined(separator: ", ")) }
        if interrupted {
            var left = "  left for --resume: \(abandoned) abandoned in flight"
            if unread { left += ", and the rest of the list" }
            lines.append(left)
        }
        if !slowest.isEmpty {
            let s = slowest.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\(TerminalSafe.clean($0.key)) \($0.value) ms" }.joined(separator: ", ")
            lines.append("  slowest hosts (slowest fetch): \(s)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Live counters for the progress line, read from another task.
// @unchecked: the counters are read and written only under `lock`; `started` is a `let`.
public final class BatchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var _done = 0
    private var _errors = 0
    private var _total: Int?
    public let started = Date()

    public struct Snapshot: Sendable {
        public var done: Int
        public var errors: Int
        public var total: Int?
        public var elapsed: Double
    }

    func add(_ row: BatchRow) {
        lock.lock()
        _done += 1
        if row.errorKind != nil { _errors += 1 }
        lock.unlock()
    }

    func add(skipped: Int) {
        lock.lock()
        _done += skipped
        lock.unlock()
    }

    public func setTotal(_ total: Int) {
        lock.lock()
        _total = total
        lock.unlock()
    }

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return Snapshot(done: _done, errors: _errors, total: _total, elapsed: Date().timeIntervalSince(started))
    }

    /// `1234/10000  57.2/s  ETA 2m41s  3 errors`
    public static func line(_ s: Snapshot) -> String {
        let rate = s.elapsed > 0 ? Double(s.done) / s.elapsed : 0
        var text = s.total.map { "\(s.done)/\($0)" } ?? "\(s.done)"
        text += String(format: "  %.1f/s", rate)
        if let total = s.total, rate > 0, total > s.done {
            let eta = Int(Double(total - s.done) / rate)
            text += "  ETA " + (eta >= 3600 ? "\(eta / 3600)h\(eta % 3600 / 60)m" : eta >= 60 ? "\(eta / 60)m\(eta % 60)s" : "\(eta)s")
        }
        text += "  \(s.errors) error\(s.errors == 1 ? "" : "s")"
        return text
    }
}
