import Foundation

/// One rules file to load, as text: the cache key is made from these before anything is parsed.
public struct RuleText: Sendable {
    public var name: String
    public var text: String
    /// A built-in file: parsed without the lint-only checks (the tests lint them in full).
    public var builtIn: Bool
}

/// Compiled rule sets kept on disk between runs.
///
/// Building the rule set (parsing the YAML, expanding concepts into every language's phrases,
/// normalising them, planning the regexes, building the automaton) costs far more than scoring
/// one page. A run that loads the very same rule files with the very same executable as an
/// earlier run reads the earlier run's result instead.
///
/// The key is a hash of the snapshot format, the executable (its path, size, modification time
/// and inode: a rebuilt binary never reads an older build's snapshot) and the name and text of
/// every rules file in load order. A snapshot that cannot be read, is cut short, fails its
/// checksum or does not fit together is ignored and replaced; the cache never changes a result,
/// only how soon it comes.
///
/// Where: `$SCAMSIFT_CACHE_DIR`, else `$XDG_CACHE_HOME/scamsift`, else `~/.cache/scamsift`.
/// `SCAMSIFT_CACHE_DIR=off` turns it off.
public struct RuleSetCache: Sendable {
    /// The folder snapshots are kept in; nil when the cache is off.
    public let folder: String?

    /// Snapshots kept besides the newest: other rule sets (say with and without `--rules`) and
    /// other builds each have their own.
    static let kept = 8

    public init(folder: String?) { self.folder = folder }

    public init(environment: [String: String]) {
        if let dir = environment["SCAMSIFT_CACHE_DIR"] {
            folder = dir.isEmpty || dir == "off" ? nil : dir
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            folder = (xdg as NSString).appendingPathComponent("scamsift")
        } else if let home = environment["HOME"], !home.isEmpty {
            folder = (home as NSString).appendingPathComponent(".cache/scamsift")
        } else {
            folder = nil
        }
    }

    func path(for key: UInt64) -> String? {
        folder.map { ($0 as NSString).appendingPathComponent("rules-" + String(key, radix: 16) + ".bin") }
    }

    /// The rule set stored under `key`, or nil when there is none that reads back whole.
    func load(key: UInt64) -> RuleSet? {
        guard let path = path(for: key) else { return nil }
        return try? MappedFile.withBytes(path) { try RuleSetSnapshot.decode($0, key: key) }
    }

    /// Stores the rule set under `key`. Written to a temporary file and renamed into place, so
    /// that another process never reads half a snapshot. Failing to write (a read-only home)
    /// only means the next run builds the rules again.
    func store(_ rules: RuleSet, key: UInt64) {
        guard let folder, let path = path(for: key) else { return }
        let fm = FileManager.default
        try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".\(getpid()).tmp"
        let bytes = RuleSetSnapshot.encode(rules, key: key)
        guard fm.createFile(atPath: temporary, contents: Data(bytes)) else { return }
        if rename(temporary, path) != 0 { try? fm.removeItem(atPath: temporary); return }
        prune(keeping: path)
    }

    /// Temporary files older than this are left over from a process that ended while writing
    /// (a `score` whose read-ahead rule set was still being stored when a usage error ended it):
    /// no write takes that long.
    static let staleTemporary: TimeInterval = 600

    /// Removes the oldest snapshots beyond `kept`, and temporary files left by writes that
    /// never finished (each as large as a snapshot).
    private func prune(keeping newest: String) {
        guard let folder else { return }
        let fm = FileManager.default
        let all = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        for name in all where name.hasPrefix("rules-") && name.hasSuffix(".tmp") {
            let path = (folder as NSString).appendingPathComponent(name)
            let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date ?? .distantFuture
            if Date().timeIntervalSince(modified) > Self.staleTemporary { try? fm.removeItem(atPath: path) }
        }
        let names = all.filter { $0.hasPrefix("rules-") && $0.hasSuffix(".bin") }
        guard names.count > Self.kept + 1 else { return }
        let dated = names.map { name -> (String, Date) in
            let path = (folder as NSString).appendingPathComponent(name)
            return (path, ((try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast)
        }.filter { $0.0 != newest }.sorted { ($0.1, $0.0) > ($1.1, $1.0) }
        for (path, _) in dated.dropFirst(Self.kept) { try? fm.removeItem(atPath: path) }
    }
}

/// The snapshot file: a header (magic, format version, key, then the length and checksum of
/// each of its two parts), then the parts, each the output of one `SnapshotWriter`: the automata,
/// and the rules with everything else. The parts are read on two threads at once.
enum RuleSetSnapshot {
    /// Bump on any change to what a snapshot holds or how a type writes itself (9: the language
    /// detector keeps its stopwords' bytes, to tell the plain words from the others; 10: a second
    /// automaton for the targets that wait for few patterns; 11: a pattern's uses as the 5 bytes
    /// the rules' pass reads).
    static let formatVersion: UInt32 = 18
    static let magic = Array("SSRULES\n".utf8)
    static let headerSize = 8 + 4 + 8 + 4 * 8

    struct Unusable: Error {}

    /// The key for these files, loaded by this executable; nil when the executable cannot be
    /// identified (then nothing is cached).
    static func key(_ inputs: [RuleText]) -> UInt64? {
        guard let executable = executableIdentity() else { return nil }
        var h = Hash64()
        h.add(UInt64(formatVersion))
        func add(_ text: String) {
            var text = text
            text.withUTF8 { h.add(contentsOf: UnsafeRawBufferPointer($0)) }
        }
        add(executable)
        for input in inputs {
            add(input.name)
            h.add(input.builtIn ? 1 : 0)
            add(input.text)
        }
        return h.value
    }

    /// The rule set's version as reports give it (`rules_version`): a hash of every file's
    /// name and text, and of the built-in text model when the built-in files are loaded; 16 hex
    /// digits. The same files give the same version on every machine and build.
    static func version(_ inputs: [RuleText]) -> String {
        var h = Hash64()
        func add(_ text: String) {
            var text = text
            text.withUTF8 { h.add(contentsOf: UnsafeRawBufferPointer($0)) }
        }
        for input in inputs {
            add(input.name)
            add(input.text)
        }
        if inputs.contains(where: \.builtIn) { for d in BuiltInRuleFiles.data { add(d.name); add(d.text) } }
        let s = String(h.value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Path, size, modification time and inode of the running executable.
    static func executableIdentity() -> String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(path)\0\(info.st_size)\0\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\0\(info.st_ino)\0\(info.st_dev)"
    }

    static func encode(_ rules: RuleSet, key: UInt64) -> [UInt8] {
        var automata = SnapshotWriter(), rest = SnapshotWriter()
        rules.writeAutomata(to: &automata)
        rules.writeRules(to: &rest)
        let parts = [automata.finish(), rest.finish()]
        var head = SnapshotWriter()
        head.raw(formatVersion)
        head.raw(key)
        for part in parts {
            head.raw(UInt64(part.count))
            head.raw(part.withUnsafeBytes { checksum($0) })
        }
        return magic + head.body + parts[0] + parts[1]
    }

    static func decode(_ bytes: [UInt8], key: UInt64) throws -> RuleSet {
        try bytes.withUnsafeBytes { try decode($0, key: key) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, key: UInt64) throws -> RuleSet {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { throw Unusable() }
        let field = { (at: Int, size: Int) -> UInt64 in
            var v: UInt64 = 0
            for k in 0..<size { v |= UInt64(bytes[at + k]) << (8 * k) }
            return v
        }
        guard field(8, 4) == UInt64(formatVersion), field(12, 8) == key else { throw Unusable() }
        let first = field(20, 8), second = field(36, 8)
        guard first <= UInt64(bytes.count - headerSize), second == UInt64(bytes.count - headerSize) - first else { throw Unusable() }
        let split = headerSize + Int(first)
        let shared = ReadOnlyParts(parts: [UnsafeRawBufferPointer(rebasing: bytes[headerSize..<split]), UnsafeRawBufferPointer(rebasing: bytes[split...])])
        let sums = [field(28, 8), field(44, 8)]
        // The bytes are only read, and each thread writes only its own slot.
        let automata = ResultSlots<Result<RuleSet.Automata, Error>>(count: 1)
        let rest = ResultSlots<Result<RuleSet, Error>>(count: 1)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let part = shared.parts[i]
            guard checksum(part) == sums[i] else {
                if i == 0 { automata[0] = .failure(Unusable()) } else { rest[0] = .failure(Unusable()) }
                return
            }
            if i == 0 {
                automata[0] = Result {
                    var r = try SnapshotReader(bytes: part)
                    let read = try RuleSet.readAutomata(from: &r)
                    guard r.isAtEnd else { throw Unusable() }
                    return read
                }
            } else {
                rest[0] = Result {
                    var r = try SnapshotReader(bytes: part)
                    let read = try RuleSet(rulesFrom: &r)
                    guard r.isAtEnd else { throw Unusable() }
                    return read
                }
            }
        }
        return try RuleSet(rest.values()[0].get(), automata: automata.values()[0].get())
    }

    /// The two parts, for the two threads that read them.
    // @unchecked: the bytes are only read, and stay valid until both threads are done
    // (`concurrentPerform` returns only then, and the caller keeps them until it returns).
    struct ReadOnlyParts: @unchecked Sendable {
        let parts: [UnsafeRawBufferPointer]
    }

    /// A checksum over whole words: a snapshot is megabytes, and this runs on every start.
    /// Four hashes over interleaved words (word k goes to lane k % 4), then folded into one:
    /// each lane's multiply waits on its previous one, so four lanes run about four times as
    /// fast as one chain over the 12 MB of the built-in rules, read at every start.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var lanes = (Hash64(), Hash64(), Hash64(), Hash64())
        let blocks = bytes.count / 32
        for k in 0..<blocks {
            let at = k * 32
            lanes.0.add(bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            lanes.1.add(bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
            lanes.2.add(bytes.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self))
            lanes.3.add(bytes.loadUnaligned(fromByteOffset: at + 24, as: UInt64.self))
        }
        var h = Hash64()
        h.add(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(blocks * 32)...]))
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] { h.add(lane.value) }
        h.add(UInt64(bytes.count))
        return h.value
    }
}

/// A file mapped into memory for as long as `body` runs: a snapshot is read once, straight from
/// the page cache, with no copy of the whole file first.
enum MappedFile {
    struct CannotMap: Error {}

    static func withBytes<T>(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CannotMap() }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { throw CannotMap() }
        let size = Int(info.st_size)
        // Populated at once: every byte is read (the checksum), and one call that maps all the
        // pages costs less than a fault for each.
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else { throw CannotMap() }
        defer { munmap(base, size) }
        return try body(UnsafeRawBufferPointer(start: base, count: size))
    }
}

/// A 64-bit FNV-1a–style hash taken a word at a time, with a final mix. Not cryptographic: it
/// tells snapshots apart and catches damage, it does not defend against forgery (whoever can
/// write the cache folder can also write the rules folder).
struct Hash64 {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ word: UInt64) {
        state = (state ^ word) &* 0x0000_0100_0000_01b3
        state ^= state >> 29
    }

    mutating func add(bytes: [UInt8]) {
        bytes.withUnsafeBytes { add(contentsOf: $0) }
    }

    /// The bytes a word at a time, then the last few, then the length.
    mutating func add(contentsOf raw: UnsafeRawBufferPointer) {
        let words = raw.count / 8
        for k in 0..<words { add(raw.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) }
        var tail: UInt64 = 0
        for k in (words * 8)..<raw.count { tail = tail << 8 | UInt64(raw[k]) }
        add(tail)
        add(UInt64(raw.count))
    }

    var value: UInt64 {
        var z = state
        z = (z ^ (z >> 33)) &* 0xff51_afd7_ed55_8ccd
        z = (z ^ (z >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return z ^ (z >> 33)
    }
}
