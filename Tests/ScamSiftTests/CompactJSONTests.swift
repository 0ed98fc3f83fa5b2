import Foundation
import Testing
@testable import ScamSift
import ScamSiftFetch

/// `CompactJSON` writes the bytes Foundation's JSONEncoder writes (sorted keys, slashes kept),
/// on every sample's report and on values chosen to hit escaping and number formatting.
@Suite struct CompactJSONTests {
    @Test func everySampleReportIsTheSameBytesAsJSONEncoder() throws {
        let engine = Engine(rules: .builtIn)
        let files = try FileManager.default.subpathsOfDirectory(atPath: samplesDirectory()).filter { $0.hasSuffix(".html") }.sorted()
        #expect(files.count > 100)
        for file in files {
            let path = samplesDirectory() + "/" + file
            let report = try engine.score(html: Data(contentsOf: URL(fileURLWithPath: path)), source: path)
            #expect(try CompactJSON.line(report) == ReportFormatter.foundationJSONLine(report), "\(file)")
            let row = BatchRow(line: 1, input: path, outcome: .report(report))
            #expect(try CompactJSON.line(row) == ReportFormatter.foundationJSONLine(row), "\(file) as a batch row")
        }
    }

    struct Awkward: Encodable {
        var text: String
        var numbers: [Double]
        var integers: [Int]
        var missing: String?
        var nested: [[String: Int?]]
        var empty: [String: String] = [:]
        var nothing: [Int] = []
        var flag = true
        var url = URL(string: "https://example.com/a b?x=1")!
        var bytes = Data([0, 1, 2, 250])
    }

    @Test func escapingAndNumbersMatchJSONEncoder() throws {
        let controls = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        let value = Awkward(
            text: controls + "\"quote\" \\back\\ /slash/ \u{7F} \u{2028}\u{2029} টাকা 💸 é",
            numbers: [0, 0.1, 1, -1.5, 1e20, 1e-7, 123456789.123, -0.0, 0.3 * 3, 1.0 / 3, 2.5e300],
            integers: [0, -1, Int.max, Int.min],
            missing: nil,
            nested: [["b": 2, "a": nil, "ab": 1], [:]])
        #expect(try CompactJSON.line(value) == ReportFormatter.foundationJSONLine(value))
        // The comparison can fail: a changed value shows.
        var other = value
        other.text += " "
        #expect(try CompactJSON.line(other) != ReportFormatter.foundationJSONLine(value))
    }
}
