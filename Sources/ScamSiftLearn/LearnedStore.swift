import Foundation
import GRDB
import ScamSift

/// The database of pages a user taught the text model (`scamsift learn`), in SQLite through
/// GRDB, like SpamAssassin's Bayes database: which pages were learned with which label, and
/// how many scam and legit pages each token was seen on. Pages are known by the SHA-256 of
/// their bytes, and keep their token hashes, so `forget` takes back exactly what `learn` added.
public final class LearnedStore {
    let db: DatabaseQueue
    public let path: String

    /// The default place: `$XDG_DATA_HOME/scamsift/learned.sqlite`, else
    /// `~/.local/share/scamsift/learned.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return ((base as NSString).appendingPathComponent("scamsift") as NSString).appendingPathComponent("learned.sqlite")
    }

    public struct Problem: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Opens (and creates, with its folder, when `create`) the database at `path`.
    public init(path: String, create: Bool) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw Problem(path: path, message: "no learned database here (run `scamsift learn` first)")
        }
        do {
            if create {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            db = try DatabaseQueue(path: path)
            try Self.migrator.migrate(db)
        } catch let e as Problem {
            throw e
        } catch {
            throw Problem(path: path, message: "cannot open the learned database: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "page") { t in
                t.primaryKey("sha256", .text)
                t.column("label", .text).notNull().check { ["scam", "legit"].contains($0) }
                t.column("path", .text).notNull()
                // The page's distinct token hashes, 8 bytes each (little-endian).
                t.column("tokens", .blob).notNull()
            }
            try db.create(table: "token") { t in
                t.primaryKey("hash", .integer)
                t.column("scam", .integer).notNull()
                t.column("legit", .integer).notNull()
            }
        }
        return m
    }

    public enum Outcome: String, Sendable { case learned, alreadyLearned = "already learned", relabeled, forgotten, notLearned = "not learned" }

    /// Learns one page. A page learned before with the same label is left alone; with the
    /// other label, it is moved.
    public func learn(sha256: String, isScam: Bool, path: String, tokens: [UInt64]) throws -> Outcome {
        try db.write { db in
            let label = isScam ? "scam" : "legit"
            var outcome = Outcome.learned
            if let row = try Row.fetchOne(db, sql: "SELECT label, tokens FROM page WHERE sha256 = ?", arguments: [sha256]) {
                if row["label"] as String == label { return .alreadyLearned }
                try Self.count(db, Self.unpack(row["tokens"]), isScam: !isScam, by: -1)
                try db.execute(sql: "DELETE FROM page WHERE sha256 = ?", arguments: [sha256])
                outcome = .relabeled
            }
            try db.execute(sql: "INSERT INTO page(sha256, label, path, tokens) VALUES (?, ?, ?, ?)",
                           arguments: [sha256, label, path, Self.pack(tokens)])
            try Self.count(db, tokens, isScam: isScam, by: 1)
            return outcome
        }
    }

    /// Takes a page back out, exactly as it was learned.
    public func forget(sha256: String) throws -> Outcome {
        try db.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT label, tokens FROM page WHERE sha256 = ?", arguments: [sha256]) else { return .notLearned }
            try Self.count(db, Self.unpack(row["tokens"]), isScam: row["label"] as String == "scam", by: -1)
            try db.execute(sql: "DELETE FROM page WHERE sha256 = ?", arguments: [sha256])
            return .forgotten
        }
    }

    static func count(_ db: Database, _ tokens: [UInt64], isScam: Bool, by delta: Int) throws {
        let column = isScam ? "scam" : "legit"
        let add = try db.makeStatement(sql: """
            INSERT INTO token(hash, scam, legit) VALUES (?, ?, ?)
            ON CONFLICT(hash) DO UPDATE SET \(column) = \(column) + excluded.\(column)
            """)
        for h in tokens {
            try add.execute(arguments: [Int64(bitPattern: h), isScam ? delta : 0, isScam ? 0 : delta])
        }
        // A token no page holds any more is gone, so learning then forgetting leaves no trace.
        if delta < 0 { try db.execute(sql: "DELETE FROM token WHERE scam <= 0 AND legit <= 0") }
    }

    static func pack(_ tokens: [UInt64]) -> Data {
        var data = Data(capacity: tokens.count * 8)
        for h in tokens { withUnsafeBytes(of: h.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func unpack(_ data: Data) -> [UInt64] {
        stride(from: 0, to: data.count - data.count % 8, by: 8).map { i in
            data[data.startIndex + i..<data.startIndex + i + 8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
    }

    /// What the database holds, as a token model.
    public func model() throws -> TextModel {
        try db.read { db in
            let scam = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE label = 'scam'") ?? 0
            let legit = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE label = 'legit'") ?? 0
            var counts: [UInt64: TextModel.TokenCount] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT hash, scam, legit FROM token")
            while let row = try rows.next() {
                counts[UInt64(bitPattern: row["hash"] as Int64)] = TextModel.TokenCount(scam: UInt32(row["scam"] as Int), legit: UInt32(row["legit"] as Int))
            }
            return TextModel(scamPages: scam, legitPages: legit, counts: counts)
        }
    }

    /// Pages and tokens held, for the summary line.
    public func summary() throws -> (scamPages: Int, legitPages: Int, tokens: Int) {
        try db.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE label = 'scam'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE label = 'legit'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM token") ?? 0)
        }
    }
}
