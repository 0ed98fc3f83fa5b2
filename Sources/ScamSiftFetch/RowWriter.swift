import Foundation
import ScamSift

/// Writes rows as they finish, one `write(2)` per row: a row is on disk (or in the pipe) before
/// the next one starts, so an interrupted run keeps every finished row and no half row.
// @unchecked: one task writes every row (the batch coordinator's loop), so `rowsWritten` is
// never touched from two threads at once; it is handed across tasks, not shared between them.
// `observer` is set before the run starts and only read after.
public final class RowWriter: @unchecked Sendable {
    public let format: BatchFormat
    private let fd: Int32
    private let ownsFD: Bool
    public private(set) var rowsWritten = 0
    /// Told each row once it is written (`batch --report` collects them).
    public var observer: (@Sendable (BatchRow) -> Void)?

    /// Standard output.
    public init(stdoutFormat format: BatchFormat) {
        self.format = format
        self.fd = 1
        self.ownsFD = false
    }

    /// A file: created, or truncated, or (with `append`) appended to after the rows `--resume` kept.
    public init(path: String, format: BatchFormat, append: Bool) throws {
        self.format = format
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
        let fd = Foundation.open(path, flags, 0o644)
        guard fd >= 0 else { throw BatchInputError("\(path): cannot write the results file (\(String(cString: strerror(errno))))") }
        self.fd = fd
        self.ownsFD = true
    }

    /// The header line; with `bom` (CSV only), after a UTF-8 byte-order mark, without which
    /// Excel on Windows reads the file as the local code page and garbles Bengali or Arabic.
    public func writeHeader(bom: Bool = false) throws {
        if bom && format == .csv { try write(BatchRowFormatter.byteOrderMark) }
        if let header = BatchRowFormatter.header(format) { try write(header) }
    }

    public func write(_ row: BatchRow) throws {
        try write(BatchRowFormatter.line(row, format))
        rowsWritten += 1
        observer?(row)
    }

    func write(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BatchInputError("cannot write the results (\(String(cString: strerror(errno))))")
            }
            bytes = bytes.dropFirst(n)
        }
    }

    deinit {
        if ownsFD { close(fd) }
    }
}

/// What `--resume` found in an existing results file.
public struct ResumeState: Sendable {
    /// Stable hashes of the keys (URL, or invalid line) already written.
    public var done: Set<UInt64> = []
    public var rows = 0
    /// The highest effective score among the kept rows (for the exit code).
    public var maxScore: Int?
    /// The file had no header yet (empty or new).
    public var needsHeader = true
    /// A half-written last row was cut off.
    public var repairedTail = false

    public init() {}

    /// Reads the rows already in `path` (streamed), after cutting a half-written last line,
    /// handing each to `each` (a CSV row holds only what its columns say).
    /// A missing file is an empty state. A file that is not our format is an error.
    public static func load(path: String, format: BatchFormat, each: (BatchRow) -> Void = { _ in }) throws -> ResumeState {
        var state = ResumeState()
        guard FileManager.default.fileExists(atPath: path) else { return state }
        state.repairedTail = try cutPartialLastLine(path)
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw BatchInputError("\(path): cannot read the results file to resume") }
        defer { close(fd) }
        var reader = LineReader(fd: fd, maxLine: 4 * 1024 * 1024)
        let decoder = JSONDecoder()
        var columns: [String: Int] = [:]
        while let line = try reader.next() {
            if line.isEmpty { continue }
            let row: BatchRow
            switch format {
            case .jsonl:
                guard let r = try? decoder.decode(BatchRow.self, from: Data(line.utf8)) else {
                    throw BatchInputError("\(path):\(reader.lineNumber): not a scamsift batch JSONL row; cannot resume from this file")
                }
                row = r
            case .csv:
                let cells = BatchRowFormatter.parseCSVLine(columns.isEmpty && line.hasPrefix(BatchRowFormatter.byteOrderMark)
                                                            ? String(line.dropFirst()) : line)
                if columns.isEmpty {
                    guard cells == BatchRowFormatter.csvColumns else {
                        throw BatchInputError("\(path): the first line is not scamsift's CSV header; cannot resume from this file")
                    }
                    for (i, c) in cells.enumerated() { columns[c] = i }
                    state.needsHeader = false
                    continue
                }
                func cell(_ name: String) -> String? {
                    guard let i = columns[name], i < cells.count, !cells[i].isEmpty else { return nil }
                    return cells[i]
                }
                guard let lineNo = cell("line").flatMap(Int.init) else {
                    throw BatchInputError("\(path):\(reader.lineNumber): not a scamsift batch CSV row; cannot resume from this file")
                }
                var r = BatchRow(line: lineNo, input: cell("input") ?? "")
                r.url = cell("url")
                r.score = cell("score").flatMap(Int.init)
                r.siteScore = cell("site_score").flatMap(Int.init)
                r.finalURL = cell("final_url")
                r.status = cell("status").flatMap(Int.init)
                r.title = cell("title")
                r.verdict = cell("verdict")
                r.siteVerdict = cell("site_verdict")
                r.truncated = cell("truncated") == "true"
                r.errorKind = cell("error_kind")
                r.error = cell("error")
                r.topHits = BatchRowFormatter.parseHits(cell("top_hits") ?? "")
                row = r
            case .table:
                throw BatchInputError("--resume needs --format jsonl or csv")
            }
            each(row)
            state.done.insert(URLNormalizer.stableHash(row.key))
            state.rows += 1
            if let s = row.effectiveScore { state.maxScore = max(state.maxScore ?? s, s) }
        }
        if format == .jsonl { state.needsHeader = false }
        return state
    }

    /// A crash can leave a last line without its newline; that row is dropped (and redone).
    static func cutPartialLastLine(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw BatchInputError("\(path): cannot open the results file to resume")
        }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        if size == 0 { return false }
        var pos = size
        let chunk: UInt64 = 64 * 1024
        while pos > 0 {
            let from = pos > chunk ? pos - chunk : 0
            try handle.seek(toOffset: from)
            let data = handle.readData(ofLength: Int(pos - from))
            if let i = data.lastIndex(of: UInt8(ascii: "\n")) {
                let keep = from + UInt64(i - data.startIndex) + 1
                if keep == size { return false }
                try handle.truncate(atOffset: keep)
                return true
            }
            pos = from
        }
        try handle.truncate(atOffset: 0)
        return true
    }
}
