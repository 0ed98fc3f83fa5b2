import Foundation
import ScamSift

/// One thing `score` writes a result for (or, for a WARC file's summary, a line on standard
/// error), in the order the inputs were given.
enum ScoreItem: Sendable {
    /// A local file, read and scored on a worker.
    case file(String)
    /// Bytes already read because they can be read only once (standard input, a pipe).
    case bytes(source: String, Data)
    /// A page from a WARC record.
    case record(WARCPage)
    /// A result known before scoring: a fetched URL, or an input that failed.
    case done(ScoreOutcome)
    /// A WARC file's summary, written when its last record is.
    case note(String)

    /// Scores the item (on a worker); nil for a note.
    func outcome(engine: Engine, baseURL: String?, charset: String?) -> ScoreOutcome? {
        switch self {
        case let .file(path): PageScorer.score(path: path, engine: engine, baseURL: baseURL, charset: charset)
        case let .bytes(source, data): PageScorer.score(data: data, source: source, engine: engine, url: baseURL, charset: charset)
        case let .record(page): PageScorer.score(record: page, engine: engine, charset: charset)
        case let .done(outcome): outcome
        case .note: nil
        }
    }

    /// Page bytes the item holds until it is scored.
    var heldBytes: Int {
        switch self {
        case let .bytes(_, data): data.count
        case let .record(page): page.body.count
        default: 0
        }
    }
}

/// `score`'s inputs as a stream of items, pulled a chunk at a time: each file is opened as it
/// is reached, and a WARC file gives its pages record by record, so only one chunk's pages are
/// held in memory however large the crawl.
struct ScoreItems {
    private var inputs: IndexingIterator<[PathExpansion.Input]>
    private let fetched: [String: ScoreOutcome]
    /// The most body bytes kept per WARC record (`--max-bytes`).
    private let limit: Int
    private var warc: WARCPageReader?

    init(_ inputs: [PathExpansion.Input], fetched: [String: ScoreOutcome], limit: Int) {
        self.inputs = inputs.makeIterator()
        self.fetched = fetched
        self.limit = limit
    }

    /// The next items: up to `results` that give a result, and no more once the pages held
    /// reach `bytes`. Empty at the end.
    mutating func nextChunk(results: Int, bytes: Int) -> [ScoreItem] {
        var chunk: [ScoreItem] = []
        var count = 0, held = 0
        while count < results, held < bytes, let item = next() {
            chunk.append(item)
            if case .note = item {} else { count += 1 }
            held += item.heldBytes
        }
        return chunk
    }

    mutating func next() -> ScoreItem? {
        if let reader = warc {
            switch reader.next() {
            case let .page(page)?: return .record(page)
            case let .failure(source, message)?: return .done(.failure(source: source, message: message, kind: "unparseable"))
            case nil:
                warc = nil
                return .note(reader.tally.line(name: TerminalSafe.clean(reader.name)))
            }
        }
        guard let input = inputs.next() else { return nil }
        switch input {
        case let .problem(path, why, kind):
            return .done(.failure(source: path, message: why, kind: kind))
        case let .item(path):
            if let outcome = fetched[path] { return .done(outcome) }
            switch WARCInput.open(path, limit: limit) {
            case .notWARC: return .file(path)
            case let .bytes(data): return .bytes(source: path, data)
            case let .warc(reader):
                warc = reader
                return next()
            }
        }
    }
}
