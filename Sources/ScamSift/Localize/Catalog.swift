import Foundation
import Synchronization
import Yams

/// The words ScamSift says to a person in one language: `Catalog/<code>.yaml`, embedded in the
/// binary at build time like the rules. Strings are keyed by stable ids (`verdict.likely-scam`,
/// `advice.never_deposit`) and may hold `{name}` placeholders that the caller fills.
public struct Catalog: Sendable {
    /// The language code, such as `bn`.
    public let language: String
    /// The language's own name, such as `বাংলা`.
    public let name: String
    /// The language's own digits 0 to 9 (`native_digits:`), for `--digits native`; nil when it
    /// writes numbers with ASCII digits.
    public let nativeDigits: [Character]?
    /// Key → text with placeholders.
    public let strings: [String: String]

    /// A problem in a catalogue file, with where it is.
    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Reads one catalogue file's text: without Yams when it has the plain shape of the
    /// built-in ones (`PlainYAML`) and makes a valid catalogue; otherwise with Yams, whose
    /// reading words any problem.
    public static func parse(_ text: String, file: String) throws -> Catalog {
        if let fields = PlainYAML.read(text), let catalog = plain(fields) { return catalog }
        return try parseYAML(text, file: file)
    }

    /// The catalogue the plainly read fields make, or nil when they make none.
    static func plain(_ fields: [String: PlainYAML.Value]) -> Catalog? {
        guard let language = fields["language"]?.scalar, Language.isCode(language), let name = fields["name"]?.scalar,
              case let .mapping(strings)? = fields["strings"] else { return nil }
        var digits: [Character]?
        if let d = fields["native_digits"] {
            guard let d = d.scalar, d.count == 10 else { return nil }
            digits = Array(d)
        }
        return Catalog(language: language, name: name, nativeDigits: digits, strings: strings)
    }

    /// Reads one catalogue file's text as YAML, whatever its shape (and words its problems).
    static func parseYAML(_ text: String, file: String) throws -> Catalog {
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch { throw Problem(file: file, line: 1, message: "YAML error: \(error)") }
        guard case let .mapping(map)? = root else { throw Problem(file: file, line: 1, message: "a catalogue is a mapping with 'language', 'name' and 'strings'") }
        func scalar(_ key: String) -> String? { map[Node(key)]?.scalar?.string }
        guard let language = scalar("language"), Language.isCode(language) else {
            throw Problem(file: file, line: 1, message: "'language' must be a language code such as en or bn")
        }
        guard let name = scalar("name") else { throw Problem(file: file, line: 1, message: "'name' (the language's own name) is missing") }
        var digits: [Character]?
        if let d = scalar("native_digits") {
            guard d.count == 10 else {
                throw Problem(file: file, line: map[Node("native_digits")]?.mark.map { $0.line } ?? 1, message: "'native_digits' must be the ten digits 0 to 9")
            }
            digits = Array(d)
        }
        guard case let .mapping(entries)? = map[Node("strings")] else {
            throw Problem(file: file, line: 1, message: "'strings' must be a mapping of keys to texts")
        }
        var strings: [String: String] = [:]
        for (k, v) in entries {
            guard let key = k.scalar?.string, let value = v.scalar?.string else {
                throw Problem(file: file, line: k.mark?.line ?? 1, message: "every entry of 'strings' is a key and a text")
            }
            guard strings[key] == nil else { throw Problem(file: file, line: k.mark?.line ?? 1, message: "duplicate key '\(key)'") }
            strings[key] = value
        }
        return Catalog(language: language, name: name, nativeDigits: digits, strings: strings)
    }

    /// The embedded catalogues by language code, each read the first time it is asked for.
    public static let builtIn = BuiltInCatalogs(BuiltInRuleFiles.catalogs.filter { Language.isCode(code(ofFile: $0.name)) })

    /// "Catalog/bn.yaml" → "bn".
    static func code(ofFile name: String) -> String {
        String((name as NSString).lastPathComponent.split(separator: ".").first ?? "")
    }

    /// The languages ScamSift speaks, sorted.
    public static var languages: [String] { builtIn.codes }

    public static var english: Catalog { builtIn["en"]! }

    /// The text of `key` with its placeholders filled; English when this catalogue lacks it,
    /// and `‹key›` when no catalogue has it (so a missing string shows, and tests catch it).
    public func string(_ key: String, _ values: [String: String] = [:]) -> String {
        Self.fill(template(key), values)
    }

    /// The text of `key` before its placeholders are filled.
    func template(_ key: String) -> String {
        strings[key] ?? (language == "en" ? nil : Catalog.english.strings[key]) ?? "‹\(key)›"
    }

    /// Replaces each `{name}` with its value; unknown names stay as they are.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        // Over UTF-8 bytes: braces are ASCII, so cutting at them never splits a character, and
        // it spares the grapheme walk (and Foundation's `contains`) on every headline of a batch.
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        let bytes = template.utf8
        guard var brace = bytes.firstIndex(of: open) else { return template }
        var out = ""
        var rest = bytes.startIndex
        while true {
            guard let end = bytes[brace...].firstIndex(of: close) else { break }
            out += template[rest..<brace]
            let name = String(template[bytes.index(after: brace)..<end])
            out += values[name] ?? "{\(name)}"
            rest = bytes.index(after: end)
            guard let next = bytes[rest...].firstIndex(of: open) else { break }
            brace = next
        }
        return out + template[rest...]
    }

    /// The placeholder names of a template, sorted.
    public static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names.sorted()
    }
}

/// The embedded catalogues, read one language at a time: a run speaks one language (and
/// English for what it lacks), and reading every catalogue's YAML at each start was about a
/// twelfth of the time to score one page. A broken catalogue stops the program: the tests read
/// every one, so this cannot happen in a released binary.
public final class BuiltInCatalogs: Sendable {
    /// File name and text by language code (the code is the file's name).
    private let files: [String: (name: String, text: String)]
    private let read = Mutex<[String: Catalog]>([:])

    init(_ files: [(name: String, text: String)]) {
        var byCode: [String: (name: String, text: String)] = [:]
        for file in files { byCode[Catalog.code(ofFile: file.name)] = file }
        self.files = byCode
    }

    /// The language codes, sorted.
    public var codes: [String] { files.keys.sorted() }

    public subscript(code: String) -> Catalog? {
        guard let file = files[code] else { return nil }
        return read.withLock { read in
            if let known = read[code] { return known }
            do {
                let catalog = try Catalog.parse(file.text, file: file.name)
                guard catalog.language == code else { fatalError("built-in catalogue \(file.name) says its language is '\(catalog.language)'") }
                read[code] = catalog
                return catalog
            } catch {
                fatalError("built-in catalogue: \(error)")
            }
        }
    }
}
