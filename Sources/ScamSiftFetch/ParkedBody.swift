import Foundation

/// A large page's body, kept in an unlinked temporary file (under `TMPDIR`, else /tmp) while
/// it waits for its turn to be scored. Large pages are scored one at a time (`LargePageGate`);
/// held in memory, the bodies waiting behind one another were up to `--concurrency` times
/// `--max-bytes` (issue 16). The file has no name, so it goes when the last descriptor closes,
/// whatever ends the run.
final class ParkedBody: Sendable {
    private let fd: Int32
    let count: Int

    static var temporaryFolder: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Nil when no temporary file can be written in `folder` (the body then stays in memory).
    init?(_ body: Data, folder: String = ParkedBody.temporaryFolder) {
        var template = Array("\(folder)/scamsift-body-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let written = body.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written else { close(fd); return nil }
        self.fd = fd
        self.count = body.count
    }

    /// The body, read back whole; nil when the file cannot be read.
    func read() -> Data? {
        var data = Data(count: count)
        let ok = data.withUnsafeMutableBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = pread(fd, raw.baseAddress! + offset, raw.count - offset, off_t(offset))
                if n < 0 { if errno == EINTR { continue }; return false }
                if n == 0 { return false }
                offset += n
            }
            return true
        }
        return ok ? data : nil
    }

    deinit { close(fd) }
}
