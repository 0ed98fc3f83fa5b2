import ScamSift
import Synchronization

/// What `batch --report` needs from a run's rows, in memory that does not grow with the list:
/// counts per verdict and per error kind, a histogram of scores, and the riskiest rows (at
/// most `kept`). Fed every row the run writes (`RowWriter.observer`) and, with `--resume`,
/// the rows already in the results file.
public final class BatchReportCollector: Sendable {
    /// How many of the riskiest rows are kept for the report's list and details.
    public let kept: Int
    private let state = Mutex(BatchReportData())

    public init(kept: Int = 200) {
        self.kept = kept
    }

    public func add(_ row: BatchRow) {
        state.withLock { data in
            data.rows += 1
            if let kind = row.errorKind { data.errors[kind, default: 0] += 1 }
            if let v = row.effectiveVerdict { data.verdicts[v, default: 0] += 1 }
            guard let score = row.effectiveScore else { return }
            data.bins[BatchReportData.bin(of: score)] += 1
            data.riskiest.append(row)
            // Sorting only when twice as many are held keeps adding a row cheap on average.
            if data.riskiest.count >= 2 * kept { data.trim(to: kept) }
        }
    }

    /// Everything so far, the riskiest rows sorted (highest score first).
    public var data: BatchReportData {
        state.withLock { data in
            var copy = data
            copy.trim(to: kept)
            return copy
        }
    }
}

/// The figures of a batch for its HTML summary.
public struct BatchReportData: Sendable {
    /// Rows seen, failed ones included.
    public var rows = 0
    /// Verdict code (`likely-scam`…) → rows (the site's verdict with `--crawl`).
    public var verdicts: [String: Int] = [:]
    /// Error kind → rows that could not be scored.
    public var errors: [String: Int] = [:]
    /// Rows per ten points of score: 0–9, 10–19, …, 80–89, 90–100.
    public var bins = [Int](repeating: 0, count: 10)
    /// The highest-scoring rows, highest first (ties: list line, then URL).
    public var riskiest: [BatchRow] = []

    public init() {}

    /// Rows that got a score.
    public var scored: Int { bins.reduce(0, +) }

    static func bin(of score: Int) -> Int { min(9, max(0, score / 10)) }

    mutating func trim(to n: Int) {
        riskiest.sort(by: Self.riskier)
        if riskiest.count > n { riskiest.removeLast(riskiest.count - n) }
    }

    /// A total order, so the same rows give the same report whatever order they finished in.
    static func riskier(_ a: BatchRow, _ b: BatchRow) -> Bool {
        let sa = a.effectiveScore ?? -1, sb = b.effectiveScore ?? -1
        if sa != sb { return sa > sb }
        if a.line != b.line { return a.line < b.line }
        return a.key < b.key
    }
}
