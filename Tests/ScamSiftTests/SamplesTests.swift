import Foundation
import Testing
@testable import ScamSift

/// Every bundled sample must land in its label's band: scam pages likely-scam, legit pages low-risk.
@Suite struct SamplesTests {
    static let scamPages = (try? samples("scam")) ?? []
    static let legitPages = (try? samples("legit")) ?? []

    static func score(_ label: String, _ name: String) throws -> Report {
        let path = samplesDirectory() + "/\(label)/\(name)"
        return try Engine(rules: .builtIn).score(html: Data(contentsOf: URL(fileURLWithPath: path)), source: name)
    }

    static func summary(_ r: Report) -> String {
        "\(r.source) scored \(r.score): " + r.hits.map { "\($0.id) \($0.points)" }.joined(separator: ", ")
    }

    @Test func thereAreEnoughSamplesInEnoughLanguages() throws {
        #expect(Self.scamPages.count >= 12)
        #expect(Self.legitPages.count >= 12)
        var languages: Set<String> = []
        for (label, names) in [("scam", Self.scamPages), ("legit", Self.legitPages)] {
            for name in names {
                let page = try HTMLParser.parse(Data(contentsOf: URL(fileURLWithPath: samplesDirectory() + "/\(label)/\(name)")))
                let lang = try #require(page.lang, "\(name) declares no <html lang>")
                languages.insert(String(lang.prefix(2)))
            }
        }
        #expect(languages.isSuperset(of: ["en", "bn"]))
        #expect(languages.count >= 3)
    }

    @Test(arguments: scamPages)
    func scamSampleIsLikelyScam(_ name: String) throws {
        let r = try Self.score("scam", name)
        #expect(r.verdict == .likelyScam, "\(Self.summary(r))")
    }

    @Test(arguments: legitPages)
    func legitSampleIsLowRisk(_ name: String) throws {
        let r = try Self.score("legit", name)
        #expect(r.verdict == .lowRisk, "\(Self.summary(r))")
    }
}
