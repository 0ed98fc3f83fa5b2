import Foundation
import Testing
@testable import ScamSift

/// The compiled rule set kept on disk between runs must give exactly what building it gives,
/// and anything wrong with a stored snapshot must only cost a rebuild.
@Suite(.serialized) struct RuleSetCacheTests {
    static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-cache-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func snapshots(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    /// Every sample, scored by both rule sets, gives the same report.
    static func expectSameReports(_ a: RuleSet, _ b: RuleSet) throws {
        for label in ["scam", "legit"] {
            let folder = samplesDirectory() + "/" + label
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".html") {
                let html = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
                let x = try Engine(rules: a).score(html: html, source: name)
                let y = try Engine(rules: b).score(html: html, source: name)
                #expect(x == y, "\(label)/\(name)")
            }
        }
    }

    @Test func aSnapshotReadsBackToTheSameBytesAndTheSameReports() throws {
        let fresh = RuleSet.builtIn
        let bytes = RuleSetSnapshot.encode(fresh, key: 42)
        let decoded = try RuleSetSnapshot.decode(bytes, key: 42)
        // Writing what was read gives the very same bytes: nothing was lost or changed.
        #expect(RuleSetSnapshot.encode(decoded, key: 42) == bytes)
        #expect(decoded.rules.map(\.id) == fresh.rules.map(\.id))
        #expect(decoded.rules.map(\.spec) == fresh.rules.map(\.spec))
        #expect(decoded.warnings == fresh.warnings)
        #expect(decoded.xpaths == fresh.xpaths)
        #expect(decoded.concepts.names == fresh.concepts.names)
        #expect(decoded.automaton.stateCount == fresh.automaton.stateCount)
        #expect(decoded.sideAutomaton.stateCount == fresh.sideAutomaton.stateCount)
        #expect(decoded.scannedOnSide == fresh.scannedOnSide && fresh.scannedOnSide.contains(true))
        #expect(decoded.rule("deposit.minimum") != nil)
        // Sentence negations are part of a rule's spec, and the built-in rules use them.
        #expect(fresh.rules.contains { $0.spec.negation?.sentenceBefore.isEmpty == false && $0.spec.negation?.sentence.isEmpty == false })
        try Self.expectSameReports(fresh, decoded)
        // The same rule set always makes the same bytes.
        #expect(RuleSetSnapshot.encode(fresh, key: 42) == bytes)
    }

    /// Every regex object a rule set's parts run, by pattern.
    static func regexesByPattern(_ rules: RuleSet) -> [String: [LazyRegex]] {
        var out: [String: [LazyRegex]] = [:]
        for rule in rules.rules {
            guard case let .regex(parts) = rule.kind else { continue }
            for part in parts {
                for r in [part.regex] + (part.joined.map { [$0.head, $0.tail] } ?? []) where !(out[r.pattern] ?? []).contains(where: { $0 === r }) {
                    out[r.pattern, default: []].append(r)
                }
            }
        }
        return out
    }

    @Test func partsWithTheSamePatternShareOneRegexBuiltOrRead() throws {
        let fresh = RuleSet.builtIn
        let built = Self.regexesByPattern(fresh)
        let read = Self.regexesByPattern(try RuleSetSnapshot.decode(RuleSetSnapshot.encode(fresh, key: 42), key: 42))
        #expect(built.keys.sorted() == read.keys.sorted())
        #expect(built.values.allSatisfy { $0.count == 1 } && read.values.allSatisfy { $0.count == 1 })
        // The built-in rules do repeat patterns across parts, so the sharing is exercised.
        var uses: [String: Int] = [:]
        for rule in fresh.rules {
            guard case let .regex(parts) = rule.kind else { continue }
            for part in parts {
                for pattern in [part.regex.pattern] + (part.joined.map { [$0.head.pattern, $0.tail.pattern] } ?? []) { uses[pattern, default: 0] += 1 }
            }
        }
        #expect(uses.values.contains { $0 > 1 })
    }

    @Test func theSecondLoadComesFromTheCache() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sources = RuleSources(environment: ["SCAMSIFT_CACHE_DIR": folder, "HOME": folder])
        let first = try sources.load()
        let stored = Self.snapshots(in: folder)
        #expect(stored.count == 1)
        let key = try #require(RuleSetSnapshot.key(try sources.texts()))
        #expect(stored.first == "rules-\(String(key, radix: 16)).bin")
        #expect(RuleSetCache(folder: folder).load(key: key) != nil)
        let second = try sources.load()
        #expect(Self.snapshots(in: folder) == stored)
        #expect(RuleSetSnapshot.encode(first, key: 1) == RuleSetSnapshot.encode(second, key: 1))
    }

    /// A small rules file with a concept, phrases, a near rule, a regex and a combination: each
    /// rebuild of the built-in rules would take seconds in a debug build.
    static let smallRules = """
        lexicon:
          deposit: [deposit, top up]
        rules:
          - id: t.deposit
            category: deposit
            description: asks for a deposit
            weight: 20
            phrases: ["{deposit} first"]
            examples:
              hit: [top up first]
          - id: t.daily
            category: returns
            description: a percent a day
            weight: 20
            regex: '\\d+ ?% (?:daily|a day)'
            examples:
              hit: [3% daily]
          - id: t.near
            category: returns
            description: deposit near profit
            weight: 10
            near: {a: ["{deposit}"], b: [profit], within: 5}
            negated_by: {before: [never], within: 2}
            examples:
              hit: [deposit now for profit]
          - id: t.both
            category: combo
            description: both
            weight: 10
            all: [t.deposit, t.daily]
            examples:
              hit: [deposit first and earn 3% daily]
        """

    @Test func damagedSnapshotsAreIgnoredAndReplaced() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.smallRules.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        let sources = RuleSources(includeBuiltIn: false, commandLine: [folder + "/small.yaml"], environment: ["SCAMSIFT_CACHE_DIR": folder + "/cache", "HOME": folder])
        #expect(try sources.load().rules.count == 4)
        let reference = RuleSetSnapshot.encode(try sources.load(), key: 1)
        let key = try #require(RuleSetSnapshot.key(try sources.texts()))
        let cache = RuleSetCache(folder: folder + "/cache")
        let path = try #require(cache.path(for: key))
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        var flippedEarly = good, flippedLate = good
        flippedEarly[RuleSetSnapshot.headerSize + 9] ^= 0x01
        flippedLate[good.count - 9] ^= 0x01
        var wrongVersion = good
        wrongVersion[8] &+= 1
        let damaged: [(String, [UInt8])] = [
            ("empty", []), ("cut short", Array(good.prefix(good.count / 3))), ("a byte changed", flipped), ("a byte of the automata changed", flippedEarly), ("a byte of the rules changed", flippedLate),
            ("another format version", wrongVersion), ("not a snapshot", Array("rules: []\n".utf8)),
            ("a byte too many", good + [0]),
        ]
        for (what, bytes) in damaged {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(cache.load(key: key) == nil, "\(what)")
            #expect(RuleSetSnapshot.encode(try sources.load(), key: 1) == reference, "\(what)")
            // The load rebuilt the rules and wrote a good snapshot over the damaged one.
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == good, "\(what)")
        }
        // A snapshot made for other files is never read for these.
        #expect(throws: (any Error).self) { try RuleSetSnapshot.decode(good, key: key &+ 1) }
    }

    @Test func theKeyFollowsEveryFileAndItsText() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/mine.yaml"
        let yaml = "rules:\n  - id: mine.deposit\n    category: deposit\n    description: x\n    weight: 10\n    phrases: [pay first]\n    examples:\n      hit: [pay first]\n"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let env = ["SCAMSIFT_CACHE_DIR": folder + "/cache", "HOME": folder]
        let builtInOnly = try #require(RuleSetSnapshot.key(RuleSources(environment: env).texts()))
        let withMine = try #require(RuleSetSnapshot.key(RuleSources(commandLine: [file], environment: env).texts()))
        let noBuiltIns = try #require(RuleSetSnapshot.key(RuleSources(includeBuiltIn: false, commandLine: [file], environment: env).texts()))
        #expect(Set([builtInOnly, withMine, noBuiltIns]).count == 3)
        // (Loaded without the built-ins: each build of those takes seconds in a debug build.)
        #expect(try RuleSources(includeBuiltIn: false, commandLine: [file], environment: env).load().rule("mine.deposit")?.spec.weight == 10)
        // Editing the file changes the key, so the edit is seen at once.
        try yaml.replacingOccurrences(of: "weight: 10", with: "weight: 12").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try RuleSetSnapshot.key(RuleSources(commandLine: [file], environment: env).texts()) != withMine)
        #expect(try RuleSources(includeBuiltIn: false, commandLine: [file], environment: env).load().rule("mine.deposit")?.spec.weight == 12)
    }

    @Test func theCacheCanBeTurnedOffAndFindsItsFolder() {
        #expect(RuleSetCache(environment: ["SCAMSIFT_CACHE_DIR": "off", "HOME": "/home/x"]).folder == nil)
        #expect(RuleSetCache(environment: ["SCAMSIFT_CACHE_DIR": "/tmp/c", "HOME": "/home/x"]).folder == "/tmp/c")
        #expect(RuleSetCache(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/x"]).folder == "/xdg/scamsift")
        #expect(RuleSetCache(environment: ["HOME": "/home/x"]).folder == "/home/x/.cache/scamsift")
        #expect(RuleSetCache(environment: [:]).folder == nil)
    }

    @Test func anUnwritableFolderOnlyMeansNoCache() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.smallRules.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        let sources = RuleSources(includeBuiltIn: false, commandLine: [folder + "/small.yaml"],
                                  environment: ["SCAMSIFT_CACHE_DIR": "/proc/no-such-folder/cache", "HOME": "/proc/no-such-folder"])
        #expect(try sources.load().rule("t.deposit") != nil)
    }

    @Test func oldSnapshotsArePruned() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for k in 0..<12 {
            let path = folder + "/rules-old\(k).bin"
            _ = FileManager.default.createFile(atPath: path, contents: Data([1]))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000_000 + k))], ofItemAtPath: path)
        }
        try Self.smallRules.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        _ = try RuleSources(includeBuiltIn: false, commandLine: [folder + "/small.yaml"], environment: ["SCAMSIFT_CACHE_DIR": folder, "HOME": folder]).load()
        let left = Self.snapshots(in: folder)
        #expect(left.count == RuleSetCache.kept + 1)
        // The newest old ones stay; the oldest go.
        #expect(left.contains("rules-old11.bin") && !left.contains("rules-old0.bin"))
    }

    /// A process that ends while writing a snapshot leaves its temporary file (as large as a
    /// snapshot); the next write removes the old ones, but not one another process may be writing.
    @Test func temporaryFilesLeftByUnfinishedWritesArePruned() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stale = folder + "/rules-1a2b.bin.4242.tmp", fresh = folder + "/rules-3c4d.bin.4343.tmp"
        for path in [stale, fresh] { _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * RuleSetCache.staleTemporary)], ofItemAtPath: stale)
        try Self.smallRules.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        _ = try RuleSources(includeBuiltIn: false, commandLine: [folder + "/small.yaml"], environment: ["SCAMSIFT_CACHE_DIR": folder, "HOME": folder]).load()
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: fresh))
        #expect(Self.snapshots(in: folder).count == 1)
    }
}
