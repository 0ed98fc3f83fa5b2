import Foundation

/// A large page's body, kept in an unlinked temporary file (in Foundation's temporary folder:
/// `TMPDIR`, else /tmp) while it waits for its turn to be scored. Large pages are scored one at
/// a time (`LargePageGate`); held in memory, the bodies waiting behind one another were up to
/// `--concurrency` times `--max-bytes` (issue 16). The file has no name, so it goes when its
/// descriptor closes, whatever ends the run.
final class ParkedBody: Sendable {
    private let file: FileHandle
    let count: Int

    /// Nil when no temporary file can be written in `folder` (the body then stays in memory).
    init?(_ body: Data, folder: URL = FileManager.default.temporaryDirectory) {
        var template = Array(folder.appendingPathComponent("scamsift-body-XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        count = body.count
        do { try file.write(contentsOf: body) } catch { return nil }
    }

    /// The body, read back whole; nil when the file cannot be read. Read once, by the one task
    /// that scores the page.
    func read() -> Data? {
        guard (try? file.seek(toOffset: 0)) != nil, let data = try? file.readToEnd() ?? Data(), data.count == count else { return nil }
        return data
    }
}
