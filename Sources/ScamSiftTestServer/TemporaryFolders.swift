import Foundation
import Synchronization

/// Folders the tests make under the system's temporary folder, each removed when the test
/// process exits: a full run makes dozens, and they had piled up by the thousand.
public enum TemporaryFolders {
    private static let made = Mutex<[URL]>([])
    /// Installs the removal once, the first time a folder is made.
    private static let removalAtExit: Void = { atexit { TemporaryFolders.removeAll() } }()

    /// A new, empty folder named `prefix-UUID`.
    public static func make(prefix: String) throws -> URL {
        _ = removalAtExit
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        made.withLock { $0.append(dir) }
        return dir
    }

    /// Removes every folder made so far (what is already gone is passed over).
    public static func removeAll() {
        for dir in made.withLock({ $0 }) { try? FileManager.default.removeItem(at: dir) }
    }
}
