import Foundation
import Testing
@testable import ScamSift

@Suite struct EvaluateTests {
    @Test func samplesMeetTheQualityBar() throws {
        let pages = try LabeledCorpus.load([samplesDirectory()])
        #expect(pages.filter { $0.label == .scam }.count >= 40)
        #expect(pages.filter { $0.label == .legit }.count >= 40)
        let e = Evaluation.run(pages: pages, engine: Engine(rules: .builtIn))
        #expect(e.failures.isEmpty)
        #expect(e.atLikelyScam.precision >= 0.95, "\(e.misjudged)")
        #expect(e.atLikelyScam.recall >= 0.95, "\(e.misjudged)")
        // No page on the wrong side of the suspicious cut-off.
        #expect(e.atSuspicious.falsePositives == 0 && e.atSuspicious.falseNegatives == 0, "\(e.misjudged)")
    }

    @Test func samplesCoverFourLanguages() throws {
        var languages: Set<String> = []
        for page in try LabeledCorpus.load([samplesDirectory()]) {
            let lang = try HTMLParser.parse(Data(contentsOf: URL(fileURLWithPath: page.path))).lang ?? ""
            languages.insert(String(lang.prefix(2)).lowercased())
        }
        #expect(languages.isSuperset(of: ["en", "bn"]))
        #expect(languages.count >= 4, "\(languages)")
    }

    @Test func metricsOnAKnownCase() {
        let rules = RuleSet.builtIn
        let pages = [LabeledPage(path: "s1", label: .scam), LabeledPage(path: "s2", label: .scam),
                     LabeledPage(path: "l1", label: .legit), LabeledPage(path: "l2", label: .legit),
                     LabeledPage(path: "a1", label: .ambiguous), LabeledPage(path: "bad", label: .scam)]
        func outcome(_ path: String, _ score: Int) -> ScoreOutcome {
            .report(Report(source: path, url: nil, title: "", lang: nil, declaredLang: nil, encoding: "UTF-8", score: score, rawScore: score,
                           verdict: rules.cutoffs.verdict(for: score), cutoffs: rules.cutoffs, hits: [], ruleErrors: []))
        }
        let e = Evaluation.compute(pages: pages, outcomes: [outcome("s1", 90), outcome("s2", rules.cutoffs.suspicious), outcome("l1", 65), outcome("l2", 0),
                                                            outcome("a1", 50), .failure(source: "bad", message: "the file is empty", kind: "unparseable")],
                                   rules: rules)
        #expect(e.atLikelyScam.truePositives == 1 && e.atLikelyScam.falseNegatives == 1)
        #expect(e.atLikelyScam.falsePositives == 1 && e.atLikelyScam.trueNegatives == 1)
        #expect(e.atLikelyScam.precision == 0.5 && e.atLikelyScam.recall == 0.5)
        #expect(e.atSuspicious.truePositives == 2 && e.atSuspicious.recall == 1.0)
        // s1>l1, s1>l2, s2<l1, s2>l2: 3 of 4 pairs.
        #expect(e.rocAUC == 0.75)
        #expect(e.misjudged.map(\.path) == ["l1", "s2"])
        #expect(e.ambiguous.map(\.path) == ["a1"])
        #expect(e.failures == ["bad": "the file is empty"])
        #expect(e.counts["failed"] == 1 && e.counts["scam"] == 3)
    }

    @Test func manifestLabelsAndErrors() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pages"), withIntermediateDirectories: true)
        for file in ["pages/a.html", "b.html", "x.html"] { try Data("<p>x</p>".utf8).write(to: dir.appendingPathComponent(file)) }
        try "file\tlabel\tnote\npages/a.html\tscam\tx\nb.html\tlegit\ty\n".write(to: dir.appendingPathComponent("MANIFEST.tsv"), atomically: true, encoding: .utf8)
        let pages = try LabeledCorpus.load([dir.appendingPathComponent("MANIFEST.tsv").path])
        #expect(pages.map(\.label) == [.legit, .scam])
        #expect(pages.last?.path == dir.appendingPathComponent("pages/a.html").path)
        try "file\tlabel\nx.html\tspam\n".write(to: dir.appendingPathComponent("bad.tsv"), atomically: true, encoding: .utf8)
        #expect(throws: LabeledCorpus.Problem.self) { try LabeledCorpus.load([dir.appendingPathComponent("bad.tsv").path]) }
    }

    @Test func foldersLabelPagesByTheNearestLabelFolder() throws {
        let root = try temporaryDirectory()
        let fm = FileManager.default
        for folder in ["scam/deep/legit", "legit/2026", "other", "scam/loop"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in ["scam/a.html", "scam/deep/b.htm", "scam/deep/legit/c.html", "legit/2026/d.html", "other/e.html", "scam/notes.txt"] {
            try Data("<p>x</p>".utf8).write(to: root.appendingPathComponent(file))
        }
        // A link to a page counts as the page; a link back up to a folder is not followed.
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("legit/f.html").path, withDestinationPath: root.appendingPathComponent("other/e.html").path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("scam/loop/up").path, withDestinationPath: root.path)
        let pages = try LabeledCorpus.load([root.path])
        let found = pages.map { "\($0.label.rawValue) \($0.path.dropFirst(root.path.count + 1))" }
        #expect(found == ["legit legit/2026/d.html", "legit legit/f.html", "legit scam/deep/legit/c.html", "scam scam/a.html", "scam scam/deep/b.htm"])
        // A labeled folder given directly labels what is inside it.
        #expect(try LabeledCorpus.load([root.appendingPathComponent("scam").path]).map(\.label) == [.legit, .scam, .scam])
        #expect(try LabeledCorpus.load([root.appendingPathComponent("scam/deep").path]).map(\.label) == [.legit])
        #expect(throws: LabeledCorpus.Problem.self) { try LabeledCorpus.load([root.appendingPathComponent("other").path]) }
    }
}

@Suite struct EvaluateCommandTests {
    func corpus() throws -> URL {
        let dir = try temporaryDirectory()
        for label in ["scam", "legit", "ambiguous"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(label), withIntermediateDirectories: true)
        }
        let fm = FileManager.default
        try fm.copyItem(atPath: samplesDirectory() + "/scam/" + firstSample("scam"), toPath: dir.appendingPathComponent("scam/a.html").path)
        try fm.copyItem(atPath: samplesDirectory() + "/legit/" + firstSample("legit"), toPath: dir.appendingPathComponent("legit/b.html").path)
        try fm.copyItem(atPath: samplesDirectory() + "/legit/" + firstSample("legit"), toPath: dir.appendingPathComponent("ambiguous/c.html").path)
        try Data().write(to: dir.appendingPathComponent("scam/empty.html"))
        return dir
    }

    @Test func reportsEverySection() throws {
        let r = try CLI.run(["evaluate", corpus().path])
        #expect(r.status == 0, "\(r.stderr)")
        for section in ["Pages: 2 scam, 1 legit, 1 ambiguous (not counted), 1 failed to parse", "At the likely-scam cut-off",
                        "At the suspicious (counted as positive) cut-off", "ROC AUC", "Threshold sweep", "Misjudged",
                        "Ambiguous pages", "Failed to parse (1)", "empty.html: the file is empty", "Rules, most useful first", "never fires"] {
            #expect(r.stdout.contains(section), "missing: \(section)")
        }
    }

    @Test func jsonAndQualityGates() throws {
        let dir = try corpus()
        let r = try CLI.run(["evaluate", "--format", "json", dir.path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["counts", "at_likely_scam", "at_suspicious", "roc_auc", "sweep", "misjudged", "rules", "failures"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let gated = try CLI.run(["evaluate", "--fail-under-recall", "1.0", "--no-builtin-rules", "--rules", samplesDirectory() + "/rules", dir.path])
        #expect(gated.status == 1)
        #expect(gated.stderr.contains("recall 0.000 is below 1.000"))
        #expect(try CLI.run(["evaluate", "/no/such/folder"]).status == 2)
    }
}
