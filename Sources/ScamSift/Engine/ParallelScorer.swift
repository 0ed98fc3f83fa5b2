import Foundation

/// Scores many files on all cores. Pages are independent, so each worker reads, parses and
/// scores one file at a time: memory stays bounded by the workers, not by the number of files.
public enum ParallelScorer {
    /// Scores `paths` in parallel and returns the outcomes in the order of `paths`.
    public static func score(paths: [String], engine: Engine, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                             baseURL: String? = nil, charset: String? = nil,
                             timings: StageTimings.Accumulator? = nil) -> [ScoreOutcome] {
        score(paths: paths, engine: engine, workers: workers, baseURL: baseURL, charset: charset, timings: timings) { _, outcome in outcome }
    }

    /// The same, with `transform` applied to each outcome on the worker that scored it (such
    /// as writing its JSON, which costs as much as scoring a small page); `index` is the
    /// outcome's place in `paths`.
    public static func score<T>(paths: [String], engine: Engine, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                baseURL: String? = nil, charset: String? = nil, timings: StageTimings.Accumulator? = nil,
                                transform: @escaping @Sendable (_ index: Int, ScoreOutcome) -> T) -> [T] {
        map(paths, workers: workers) { i, path in
            transform(i, PageScorer.score(path: path, engine: engine, baseURL: baseURL, charset: charset, timings: timings))
        }
    }

    /// Runs `work` on every item on all cores, each worker taking the next item when it is
    /// done; the results come back in the order of `items`.
    public static func map<Item: Sendable, T>(_ items: [Item], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                              _ work: @escaping @Sendable (_ index: Int, Item) -> T) -> [T] {
        let results = ResultSlots<T>(count: items.count)
        let next = AtomicCounter()
        let n = max(1, min(workers, items.count))
        DispatchQueue.concurrentPerform(iterations: n) { _ in
            while true {
                let i = next.take()
                if i >= items.count { break }
                results[i] = work(i, items[i])
            }
        }
        return results.values()
    }
}

/// Fixed slots written by workers at distinct indexes.
// @unchecked: `slots` is read and written only under `lock`.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return slots[i] }
        set { lock.lock(); slots[i] = newValue; lock.unlock() }
    }
    func values() -> [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

// @unchecked: `value` is read and written only under `lock`.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}

/// Where the time goes, summed over pages: libxml2 parsing, walking the tree into a `Page`,
/// matching rules (normalisation, the automaton, regexes, combinations), and building the report.
public struct StageTimings: Sendable, Codable, Equatable {
    public var parseNanos: UInt64 = 0
    public var extractNanos: UInt64 = 0
    public var matchNanos: UInt64 = 0
    public var scoreNanos: UInt64 = 0
    public var pages = 0
    public var bytes = 0
    /// Time per regex rule, by index into `ruleIDs`, to find the rules that slow scanning down.
    /// Kept by index so summing pages adds arrays instead of hashing every rule id per page.
    public var regexNanos: [UInt64] = []
    public var ruleIDs: [String] = []
    /// Parts of `matchNanos`: normalising texts, and the automaton's pass over them.
    public var normalizeNanos: UInt64 = 0
    public var automatonNanos: UInt64 = 0
    /// Also parts of `matchNanos`: reading offers, telling the language, the token model.
    public var offerNanos: UInt64 = 0
    public var languageNanos: UInt64 = 0
    public var textModelNanos: UInt64 = 0

    public init() {}

    public var totalNanos: UInt64 { parseNanos + extractNanos + matchNanos + scoreNanos }

    /// Regex time by rule id.
    public var regexNanosByRule: [String: UInt64] { Dictionary(zip(ruleIDs, regexNanos), uniquingKeysWith: +) }

    mutating func add(_ o: StageTimings) {
        parseNanos += o.parseNanos; extractNanos += o.extractNanos; matchNanos += o.matchNanos; scoreNanos += o.scoreNanos
        pages += o.pages; bytes += o.bytes
        if regexNanos.isEmpty {
            regexNanos = o.regexNanos
            ruleIDs = o.ruleIDs
        } else if regexNanos.count == o.regexNanos.count {
            for k in regexNanos.indices { regexNanos[k] += o.regexNanos[k] }
        }
        normalizeNanos += o.normalizeNanos; automatonNanos += o.automatonNanos
        offerNanos += o.offerNanos; languageNanos += o.languageNanos; textModelNanos += o.textModelNanos
    }

    /// Collects timings from many threads.
    // @unchecked: `total` is read and written only under `lock`.
    public final class Accumulator: @unchecked Sendable {
        private var total = StageTimings()
        private let lock = NSLock()
        public init() {}
        public func add(_ t: StageTimings) { lock.lock(); total.add(t); lock.unlock() }
        public var value: StageTimings { lock.lock(); defer { lock.unlock() }; return total }
    }
}

@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
