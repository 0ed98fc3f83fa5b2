import Foundation
import Testing
@testable import ScamSift
import ScamSiftFetch

/// A JSON value as JSONDecoder reads it: booleans and numbers kept apart, which
/// JSONSerialization on Linux does not do reliably.
indirect enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    static func parse(_ text: some StringProtocol) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    func matches(_ type: String) -> Bool {
        switch (self, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"), (.number, "number"): true
        case let (.number(d), "integer"): d == d.rounded()
        default: false
        }
    }

    /// Equality with a schema's `enum` or `const` value.
    func equals(_ schemaValue: JSONValue) -> Bool {
        switch (self, schemaValue) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        default: false
        }
    }
}

/// The committed JSON Schemas (docs/schema/) against real output. The validator knows the part
/// of JSON Schema 2020-12 the schemas use: type, properties, required, additionalProperties:
/// false, items, enum, const, minimum, maximum, pattern, oneOf, $ref to $defs.
struct SchemaValidator {
    let root: [String: JSONValue]

    init(path: String) throws {
        guard case let .object(o) = try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8)) else { throw CocoaError(.fileReadCorruptFile) }
        root = o
    }

    /// Problems, each with the JSON path where it is; empty when the value is valid.
    func problems(_ value: JSONValue, _ schema: [String: JSONValue]? = nil, at path: String = "$") -> [String] {
        var schema = schema ?? root
        if case let .string(ref)? = schema["$ref"], ref.hasPrefix("#/$defs/"),
           case let .object(defs)? = root["$defs"], case let .object(target)? = defs[String(ref.dropFirst(8))] {
            schema = target
        }
        var out: [String] = []
        if case let .array(options)? = schema["oneOf"] {
            let each = options.map { option -> [String] in
                guard case let .object(o) = option else { return ["bad schema"] }
                return problems(value, o, at: path)
            }
            let passing = each.filter(\.isEmpty).count
            if passing != 1 { out.append("\(path): matches \(passing) of oneOf (\(each.map { $0.prefix(2).joined(separator: "; ") }.joined(separator: " | ")))") }
        }
        if let type = schema["type"] {
            var types: [String] = []
            if case let .string(t) = type { types = [t] }
            if case let .array(ts) = type { types = ts.compactMap { if case let .string(t) = $0 { t } else { nil } } }
            if !types.contains(where: value.matches) { return ["\(path): \(value) is not \(types)"] }
        }
        if case let .array(allowed)? = schema["enum"], !allowed.contains(where: value.equals) { out.append("\(path): not one of the enum") }
        if let constant = schema["const"], !value.equals(constant) { out.append("\(path): not the const") }
        if case let .number(n) = value {
            if case let .number(min)? = schema["minimum"], n < min { out.append("\(path): below \(min)") }
            if case let .number(max)? = schema["maximum"], n > max { out.append("\(path): above \(max)") }
        }
        if case let .string(s) = value, case let .string(pattern)? = schema["pattern"], s.range(of: pattern, options: .regularExpression) == nil {
            out.append("\(path): '\(s)' does not match \(pattern)")
        }
        if case let .object(object) = value {
            var properties: [String: JSONValue] = [:]
            if case let .object(p)? = schema["properties"] { properties = p }
            if case let .array(required)? = schema["required"] {
                for case let .string(key) in required where object[key] == nil { out.append("\(path): no '\(key)'") }
            }
            for (key, v) in object.sorted(by: { $0.key < $1.key }) {
                if case let .object(p)? = properties[key] { out += problems(v, p, at: "\(path).\(key)") }
                else if case .bool(false)? = schema["additionalProperties"] { out.append("\(path): '\(key)' is not in the schema") }
            }
        }
        if case let .array(array) = value, case let .object(items)? = schema["items"] {
            for (i, v) in array.enumerated() { out += problems(v, items, at: "\(path)[\(i)]") }
        }
        return out
    }
}

@Suite struct SchemaTests {
    static let docs = (samplesDirectory() as NSString).deletingLastPathComponent + "/docs/schema/"

    @Test func everyScoreResultMatchesTheSchema() throws {
        let schema = try SchemaValidator(path: Self.docs + "score-result.schema.json")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("<html><body><div id=app></div><script src=a.js></script></body></html>".utf8).write(to: dir.appendingPathComponent("shell.html"))
        let r = try CLI.run(["score", "-f", "jsonl", samplesDirectory(), dir.path, dir.appendingPathComponent("gone.html").path])
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count > 100)
        var kinds = Set<String>()
        for line in lines {
            let value = try JSONValue.parse(line)
            let problems = schema.problems(value)
            #expect(problems.isEmpty, "\(problems.prefix(3))")
            if case let .object(o) = value {
                if o["error"] != nil { kinds.insert("failure") } else if case .null? = o["thin_content"] { kinds.insert("report") } else { kinds.insert("thin") }
            }
        }
        #expect(kinds == ["report", "thin", "failure"])
        // The validator can fail: a wrong type and a missing key are caught.
        guard case var .object(broken) = try JSONValue.parse(lines[0]) else { Issue.record("not an object"); return }
        broken["score"] = .string("high")
        broken.removeValue(forKey: "url")
        let found = schema.problems(.object(broken))
        #expect(found.count == 1 && found[0].contains("$.score") && found[0].contains("no 'url'"), "\(found)")
    }

    @Test func batchRowsMatchTheSchema() throws {
        let schema = try SchemaValidator(path: Self.docs + "batch-row.schema.json")
        let page = samplesDirectory() + "/scam/en-hyip-plans-goldrise.html"
        // score --format csv writes batch's rows; the JSON form of the same rows is checked here.
        let report = try Engine(rules: .builtIn).score(html: Data(contentsOf: URL(fileURLWithPath: page)), source: page)
        let rows = [BatchRow(line: 1, input: page, outcome: .report(report)),
                    BatchRow(line: 2, input: "x", outcome: .failure(source: "x", message: "no such file", kind: "not-found"))]
        for row in rows {
            let value = try JSONValue.parse(ReportFormatter.jsonLine(row))
            #expect(schema.problems(value).isEmpty, "\(schema.problems(value))")
        }
        // And rows as batch writes them, for lines it cannot fetch.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = dir.appendingPathComponent("list.txt")
        try Data("ftp://example.com/\nnot a url\n".utf8).write(to: list)
        let r = try CLI.run(["batch", list.path, "-q"])
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(r.stdout)\(r.stderr)")
        for line in lines {
            let value = try JSONValue.parse(line)
            #expect(schema.problems(value).isEmpty, "\(schema.problems(value))")
        }
    }
}

@Suite struct BatchListTests {
    @Test func aListThatIsReallyAPageGetsAClearMessage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-list-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("saved.html")
        try Data("\u{FEFF}\n  <!DOCTYPE html><html><body><p>Earn 3% daily</p></body></html>".utf8).write(to: page)
        let r = try CLI.run(["batch", page.path])
        #expect(r.status == 2 && r.stderr.contains("saved.html: this is a web page, not a list of URLs"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        // A real list whose first line is a URL is read as before.
        let list = dir.appendingPathComponent("urls.txt")
        try Data("not a url\n".utf8).write(to: list)
        let ok = try CLI.run(["batch", list.path, "-q"])
        #expect(ok.status == 2 && ok.stdout.contains("invalid-url"), "\(ok.stdout)")
    }
}
