import Foundation
import Testing
@testable import ScamSift

/// The built-in scores (Rules/scores.yaml) must be what scripts/fit-builtin.sh makes from the
/// pages recorded in Rules/scores-inputs.tsv.
@Suite struct ScoresFileTests {
    static let repo = (samplesDirectory() as NSString).deletingLastPathComponent
    static let inputsPath = repo + "/Rules/scores-inputs.tsv"
    static let scoresPath = repo + "/Rules/scores.yaml"

    struct Row { var file: String; var label: String; var sha256: String }

    static func rows() throws -> [Row] {
        let lines = try String(contentsOfFile: inputsPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "file\tlabel\tsource_repo\tsha256")
        return lines.dropFirst().map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Row(file: cells[0], label: cells[1], sha256: cells.count > 3 ? cells[3] : "")
        }
    }

    static func resolved(_ file: String) -> String {
        ((repo + "/Rules/" + file) as NSString).standardizingPath
    }

    @Test func everySampleIsRecordedUnchanged() throws {
        let rows = try Self.rows()
        var recorded: [String: Row] = [:]
        for row in rows { recorded[Self.resolved(row.file)] = row }
        for label in ["scam", "legit"] {
            for name in try samples(label) {
                let path = (samplesDirectory() + "/\(label)/\(name)" as NSString).standardizingPath
                let row = try #require(recorded[path], "\(label)/\(name) is not in Rules/scores-inputs.tsv: run scripts/fit-builtin.sh")
                #expect(row.label == label)
                #expect(row.sha256 == SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: path))),
                        "\(label)/\(name) changed since the fit: run scripts/fit-builtin.sh")
            }
        }
        // Nothing recorded under Samples/ that is gone.
        for row in rows where row.file.hasPrefix("../Samples/") {
            #expect(FileManager.default.fileExists(atPath: Self.resolved(row.file)), "\(row.file) is gone: run scripts/fit-builtin.sh")
        }
    }

    /// When every recorded page is on this machine unchanged (Samples, and the shared corpus
    /// if it was used), fitting them again gives the committed file byte for byte.
    @Test func refittingTheRecordedPagesGivesTheCommittedFile() throws {
        let rows = try Self.rows()
        let available = rows.allSatisfy { row in
            (try? Data(contentsOf: URL(fileURLWithPath: Self.resolved(row.file)))).map { SHA256.hex($0) == row.sha256 } ?? false
        }
        guard available else {
            print("ScoresFileTests: some recorded pages are not on this machine; only the Samples hashes are checked")
            return
        }
        let pages = try LabeledCorpus.manifest(Self.inputsPath)
        let (table, _, skipped) = FitSession.table(pages: pages, rules: .builtIn, textModel: true)
        #expect(skipped.isEmpty)
        let fitter = ScoreFitter()
        let yaml = ScoresFile.yaml(fitter.fit(table), table: table, fitter: fitter, validation: fitter.crossValidate(table, k: fitter.folds))
        let committed = try String(contentsOfFile: Self.scoresPath, encoding: .utf8)
        #expect(yaml == committed, "Rules/scores.yaml is not what scripts/fit-builtin.sh gives: run it")
        let model = try String(contentsOfFile: Self.repo + "/Rules/text-model.tsv", encoding: .utf8)
        #expect(TextModelFile.fitted(table, minPages: TextModel.leastCountedPages) == model,
                "Rules/text-model.tsv is not what scripts/fit-builtin.sh gives: run it")
    }

    /// The built-in cut-offs and weights are the fitted ones.
    @Test func builtInRulesCarryTheFittedScores() {
        let rules = RuleSet.builtIn
        #expect(rules.cutoffsSource == "Rules/scores.yaml")
        let scored = rules.rules.filter { !$0.spec.isHelper && !$0.isDisabled }
        #expect(scored.allSatisfy { $0.overriddenBy == "Rules/scores.yaml" && $0.spec.perHit == nil })
    }
}
