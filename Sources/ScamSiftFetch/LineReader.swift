import Foundation

/// Reads a file descriptor line by line with a fixed buffer: memory does not grow with the
/// file. A line longer than `maxLine` is cut there (the rest of it is skipped).
public struct LineReader {
    private let fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    public let maxLine: Int
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    public init(fd: Int32, bufferSize: Int = 64 * 1024, maxLine: Int = 16 * 1024) {
        self.fd = fd
        self.buffer = [UInt8](repeating: 0, count: max(bufferSize, maxLine + 1))
        self.maxLine = maxLine
    }

    /// A whole line (or the end of input) is in the buffer: `next()` will not block.
    public var hasBufferedLine: Bool {
        eof || buffer[start..<end].contains(UInt8(ascii: "\n"))
    }

    /// The next line without its line break, or nil at the end. Invalid UTF-8 is repaired.
    public mutating func next() throws -> String? {
        var line: [UInt8] = []
        var skipping = false
        while true {
            if start == end {
                if eof { break }
                try fill()
                if start == end { eof = true; break }
            }
            if let nl = buffer[start..<end].firstIndex(of: UInt8(ascii: "\n")) {
                if !skipping { line += buffer[start..<nl].prefix(maxLine - line.count) }
                start = nl + 1
                lineNumber += 1
                return Self.string(line)
            }
            if !skipping { line += buffer[start..<end].prefix(maxLine - line.count) }
            if line.count >= maxLine { skipping = true }
            start = end
        }
        if line.isEmpty && !skipping { return nil }
        lineNumber += 1
        return Self.string(line)
    }

    private mutating func fill() throws {
        start = 0
        end = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n >= 0 { end = n; return }
            if errno == EINTR { continue }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    static func string(_ bytes: [UInt8]) -> String {
        var b = bytes[...]
        if b.last == UInt8(ascii: "\r") { b = b.dropLast() }
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        return String(decoding: b, as: UTF8.self)
    }
}

/// Where `batch` takes its entries from: (line number, text) pairs, in batches; an empty batch
/// is the end.
public protocol BatchLines: Sendable {
    func nextBatch(max: Int) async throws -> [(Int, String)]
}

/// Entries given on the command line rather than in a list file (`batch pages/`,
/// `batch example.com`).
public actor ListedLines: BatchLines {
    private var lines: [(Int, String)]

    public init(_ entries: [String]) {
        lines = entries.enumerated().map { ($0.offset + 1, $0.element) }
    }

    public func nextBatch(max: Int) -> [(Int, String)] {
        let batch = Array(lines.prefix(max))
        lines.removeFirst(batch.count)
        return batch
    }
}

/// Lines of the URL list, handed over in batches from a reader thread, so that a slow
/// standard input never blocks Swift's cooperative threads.
// @unchecked: `reader`, the only mutable state, is used only inside blocks on the serial `queue`.
public final class LineSource: BatchLines, @unchecked Sendable {
    private var reader: LineReader
    private let queue = DispatchQueue(label: "scamsift.lines")
    private let closeWhenDone: Bool
    private let fd: Int32

    public init(fd: Int32, closeWhenDone: Bool) {
        self.fd = fd
        self.reader = LineReader(fd: fd)
        self.closeWhenDone = closeWhenDone
    }

    /// Opens a list file, or standard input for "-".
    public static func open(_ path: String) throws -> LineSource {
        if path == "-" { return LineSource(fd: 0, closeWhenDone: false) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw BatchInputError("\(path): no such file")
        }
        if isDir.boolValue { throw BatchInputError("\(path): is a folder, not a list of URLs") }
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw BatchInputError("\(path): cannot read the file (\(String(cString: strerror(errno))))") }
        return LineSource(fd: fd, closeWhenDone: true)
    }

    /// Up to `max` (line number, text) pairs; empty at the end. Cancelling the waiting task
    /// returns at once (CancellationError) even while a read of standard input is blocked.
    public func nextBatch(max: Int = 256) async throws -> [(Int, String)] {
        let once = OnceContinuation<[(Int, String)]>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { c in
                guard once.set(c) else { return }
                queue.async {
                    do {
                        var out: [(Int, String)] = []
                        // Hand over what has arrived rather than wait for a full batch (a slow pipe).
                        while out.count < max, out.isEmpty || self.reader.hasBufferedLine, let line = try self.reader.next() {
                            out.append((self.reader.lineNumber, line))
                        }
                        once.resume(.success(out))
                    } catch {
                        once.resume(.failure(error))
                    }
                }
            }
        } onCancel: {
            once.resume(.failure(CancellationError()))
        }
    }

    deinit {
        if closeWhenDone { close(fd) }
    }
}

/// The URL list or the results file cannot be used (exit code 2).
public struct BatchInputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

/// Resumes a continuation exactly once, whichever of the work and a cancellation comes first.
// @unchecked: the continuation, the early result and `done` are read and written only under `lock`.
final class OnceContinuation<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var early: Result<T, Error>?
    private var done = false

    /// False when the outcome was already known (the continuation is resumed here).
    func set(_ c: CheckedContinuation<T, Error>) -> Bool {
        lock.lock()
        if let early {
            self.early = nil
            done = true
            lock.unlock()
            c.resume(with: early)
            return false
        }
        continuation = c
        lock.unlock()
        return true
    }

    func resume(_ result: Result<T, Error>) {
        lock.lock()
        if done { lock.unlock(); return }
        guard let c = continuation else {
            if early == nil { early = result }
            lock.unlock()
            return
        }
        continuation = nil
        done = true
        lock.unlock()
        c.resume(with: result)
    }
}
