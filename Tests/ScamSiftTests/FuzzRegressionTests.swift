import Foundation
import Testing
import ScamSiftFuzzTargets
@testable import ScamSift

/// What the libFuzzer runs found (`scripts/fuzz.sh`), kept as tests: every input saved under
/// `Fixtures/fuzz/TARGET/` goes through its target again, the same code the fuzzer ran (minus
/// the sanitizers: a crash or a failed check in the target stops the test run). And each target
/// is shown to reach a report on a known page, so a target that quietly stopped reading its
/// input would not pass for a target that finds nothing.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        let dir = folder.appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func savedInputsRunClean(_ target: FuzzTarget) throws {
        for url in try Self.inputs(target) {
            target.run(Array(try Data(contentsOf: url)))
        }
    }

    @Test func everySavedInputBelongsToATarget() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(!names.isEmpty)
        for name in names { #expect(FuzzTarget(rawValue: name) != nil, "Fixtures/fuzz/\(name) is not a target") }
    }

    static let scamPage = [UInt8](FileManager.default.contents(atPath: samplesDirectory() + "/scam/en-hyip-plans-goldrise.html")!)

    @Test func eachTargetReachesAReportOnAKnownInput() throws {
        #expect(FuzzTarget.parse.run(Self.scamPage) == 1)
        #expect(FuzzTarget.offers.run(Array("Plan\tDaily\tDays\nGold\t3%\t30\nDeposit $100 and earn 5% daily for 20 days".utf8)) == 1)
        let rules = """
            rules:
              - id: fuzz.deposit
                category: deposit
                description: Asks for a deposit
                weight: 10
                target: text
                phrases: [deposit]
            """
        #expect(FuzzTarget.rules.run(Array(rules.utf8)) == 1)
        let mhtml = try Data(contentsOf: Self.folder.deletingLastPathComponent().appendingPathComponent("mhtml/bn-shapla-base64.mhtml"))
        #expect(FuzzTarget.mhtml.run(Array(mhtml)) == 1)
        #expect(FuzzTarget.archive.run(Array(mhtml)) == 1)
        // A WARC crawl: warcinfo, request, the page, an image, a revisit; one page is scored.
        let crawl = WARCFixture.crawl.flatMap { $0 }
        #expect(FuzzTarget.warc.run(crawl) == 1)
        #expect(FuzzTarget.archive.run(crawl) == 1)
        #expect(FuzzTarget.warc.run(WARCFixture.gzipEach(WARCFixture.crawl)) == 1)
    }

    /// Found by the `parse` target (leak-charset-utf-colon-8.html): a page declaring a charset
    /// that libxml2 decodes through ICU (`utf:8`) leaked the encoding handler made to check it,
    /// about 5 KB a page. 20,000 checks leaked about 100 MB; now they cost nothing that stays.
    @Test func checkingACharsetLeaksNothing() {
        #expect(HTMLParser.canDecode("utf:8"))
        #expect(!HTMLParser.canDecode("no-such-charset"))
        let before = MemoryTests.residentBytes()
        for _ in 0..<20_000 { _ = HTMLParser.canDecode("utf:8") }
        let grown = MemoryTests.residentBytes() - before
        #expect(grown < 30 * 1024 * 1024, "resident memory grew by \(grown / 1024) KB")
    }
}
