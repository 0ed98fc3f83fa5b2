import Foundation

/// Reads a page (HTML or MHTML) from a file (or stdin) and scores it, turning every failure into a
/// one-line reason rather than an exception, so one bad file never stops the others.
public enum PageScorer {
    public static func score(path: String, engine: Engine, baseURL: String? = nil, charset: String? = nil,
                             timings: StageTimings.Accumulator? = nil) -> ScoreOutcome {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            switch readFile(path) {
            case let .success(d): data = d
            case let .failure(problem): return .failure(source: path, message: problem.message, kind: problem.kind)
            }
        }
        return score(data: data, source: path, engine: engine, url: baseURL, charset: charset, timings: timings)
    }

    /// Scores bytes already read (standard input, a pipe, a WARC record's page).
    /// - Parameters:
    ///   - url: the page's address, to resolve its links against.
    ///   - contentType: an HTTP `Content-Type` (`multipart/related`: an MHTML archive).
    public static func score(data: Data, source: String, engine: Engine, url: String? = nil, charset: String? = nil,
                             contentType: String? = nil, timings: StageTimings.Accumulator? = nil) -> ScoreOutcome {
        do {
            let (report, t) = try engine.timedScore(html: data, url: url.flatMap { URL(string: $0) }, charset: charset,
                                                    contentType: contentType, source: source)
            timings?.add(t)
            return .report(report)
        } catch let error as InputError {
            if case .notAWebPage = error { return .failure(source: source, message: error.description, kind: "not-html") }
            return .failure(source: source, message: error.description, kind: "unparseable")
        } catch let error as PageError {
            return .failure(source: source, message: error.description, kind: error == .binary ? "not-html" : "unparseable")
        } catch {
            return .failure(source: source, message: "\(error)", kind: "other")
        }
    }

    /// Scores a page from a WARC record, at the record's address; `charset` (`--charset`)
    /// beats the one its HTTP headers gave, as it does for a fetched page.
    public static func score(record page: WARCPage, engine: Engine, charset: String? = nil,
                             timings: StageTimings.Accumulator? = nil) -> ScoreOutcome {
        score(data: page.body, source: page.source, engine: engine, url: page.url, charset: charset ?? page.charset,
              contentType: page.contentType, timings: timings)
    }
}

struct FileProblem: Error {
    var message: String
    /// `not-found`, `is-folder` or `unreadable` (see `ScoreOutcome.failure`).
    var kind = "unreadable"
}

/// A whole file in one open, fstat and read (Foundation's checks and read took three more
/// system calls per page). Says which of the usual problems stopped it.
func readFile(_ path: String) -> Result<Data, FileProblem> {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        let missing = errno == ENOENT || errno == ENOTDIR
        return .failure(FileProblem(message: missing ? "no such file" : "cannot read the file (permission denied?)", kind: missing ? "not-found" : "unreadable"))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(FileProblem(message: "cannot read the file (permission denied?)")) }
    if info.st_mode & S_IFMT == S_IFDIR { return .failure(FileProblem(message: "is a folder, not a page", kind: "is-folder")) }
    var data = Data(count: max(0, Int(info.st_size)))
    var filled = 0
    let ok = data.withUnsafeMutableBytes { buffer -> Bool in
        while filled < buffer.count {
            let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 { if errno == EINTR { continue }; return false }
            if n == 0 { break }
            filled += n
        }
        return true
    }
    guard ok else { return .failure(FileProblem(message: "cannot read the file (permission denied?)")) }
    if filled < data.count { data.removeSubrange(filled...) }
    // A file that grew since fstat (or reports no size, as /proc files do): read the rest. One
    // byte first, so that the usual file, already whole, costs no buffer.
    var probe: UInt8 = 0
    while true {
        let n = read(fd, &probe, 1)
        if n < 0 { if errno == EINTR { continue }; return .failure(FileProblem(message: "cannot read the file (permission denied?)")) }
        if n == 0 { break }
        data.append(probe)
        var chunk = [UInt8](repeating: 0, count: 65536)
        let more = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if more > 0 { data.append(contentsOf: chunk[0..<more]) }
    }
    return .success(data)
}
