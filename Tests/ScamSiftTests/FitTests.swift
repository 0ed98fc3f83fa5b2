import Foundation
import Testing
@testable import ScamSift

/// A table from rows of (label, group, active feature names).
private func table(_ features: [(String, Int)], _ rows: [(Bool, String, [String])]) -> FeatureTable {
    let fs = features.map { FitFeature(ruleID: $0.0, handWeight: $0.1, sign: CoefficientSign(handWeight: $0.1)) }
    let index = Dictionary(uniqueKeysWithValues: fs.enumerated().map { ($1.ruleID, $0) })
    return FeatureTable(features: fs, examples: rows.enumerated().map { i, r in
        FitExample(path: "p\(i)", isScam: r.0, group: r.1, active: r.2.map { index[$0]! }.sorted())
    })
}

/// Scam pages fire `deposit` or `daily` (sometimes both), legit pages `free` or nothing; `noise`
/// fires on both alike; `wrongway` is a scam signal by hand that fires only on legit pages, and
/// `nicewrong` a nice signal that fires only on scam pages.
private func synthetic() -> FeatureTable {
    var rows: [(Bool, String, [String])] = []
    for i in 0..<40 {
        let scamActive = i % 3 == 0 ? ["deposit", "daily"] : i % 3 == 1 ? ["deposit"] : ["daily"]
        rows.append((true, "s\(i / 2)", scamActive + (i % 4 == 0 ? ["noise"] : []) + (i % 5 == 0 ? ["nicewrong"] : [])))
        rows.append((false, "l\(i / 2)", (i % 2 == 0 ? ["free"] : []) + (i % 4 == 0 ? ["noise"] : []) + (i % 5 == 0 ? ["wrongway"] : [])))
    }
    return table([("deposit", 20), ("daily", 25), ("free", -10), ("noise", 5), ("wrongway", 15), ("nicewrong", -5), ("never", 12)], rows)
}

@Suite struct FitTests {
    @Test func recoversTheSignsAndSeparatesTheClasses() {
        let t = synthetic()
        let m = LogisticFit.fit(t)
        let w = Dictionary(uniqueKeysWithValues: zip(t.features.map(\.ruleID), m.coefficients))
        #expect(w["deposit"]! > 0.5 && w["daily"]! > 0.5, "\(w)")
        #expect(w["free"]! < -0.1, "\(w)")
        let scam = t.examples.filter(\.isScam).map { m.probability($0.active) }
        let legit = t.examples.filter { !$0.isScam }.map { m.probability($0.active) }
        #expect(scam.min()! > legit.max()!, "scam \(scam.min()!) legit \(legit.max()!)")
    }

    @Test func signConstraintsHold() {
        let t = synthetic()
        let m = LogisticFit.fit(t, options: .init(l2: 0.001))
        let w = Dictionary(uniqueKeysWithValues: zip(t.features.map(\.ruleID), m.coefficients))
        // Unconstrained, these would go the other way.
        #expect(w["wrongway"] == 0, "\(w)")
        #expect(w["nicewrong"] == 0, "\(w)")
        for (f, c) in zip(t.features, m.coefficients) {
            #expect(f.sign.clamp(c) == c, "\(f.ruleID) \(c)")
        }
        // A feature no training page fires keeps its hand weight as points.
        let points = PointsScale.points(m, features: t.features, scale: 10)
        #expect(points[t.features.firstIndex { $0.ruleID == "never" }!] == 12)
        #expect(points[t.features.firstIndex { $0.ruleID == "wrongway" }!] == 0)
    }

    @Test func groupedFoldsNeverSplitAGroup() {
        var groups: [String] = [], labels: [Bool] = []
        for i in 0..<200 {
            groups.append("site\(i * 7 % 23)")
            labels.append(i * 7 % 23 < 11)
        }
        for k in [2, 3, 5, 10] {
            let fold = GroupedFolds.assign(groups: groups, isScam: labels, k: k)
            var foldOf: [String: Int] = [:]
            for (g, f) in zip(groups, fold) {
                #expect(foldOf[g, default: f] == f, "group \(g) in folds \(foldOf[g]!) and \(f)")
                foldOf[g] = f
            }
            #expect(Set(fold) == Set(0..<k))
            for f in 0..<k {
                #expect(Set(zip(fold, labels).filter { $0.0 == f }.map(\.1)) == [true, false], "fold \(f) of \(k) lacks a label")
            }
        }
        // Fewer groups than folds: one fold per group.
        #expect(GroupedFolds.assign(groups: ["a", "a", "b"], isScam: [true, true, false], k: 5).sorted() == [0, 0, 1])
    }

    @Test func crossValidationKeepsEachSiteOnOneSide() {
        let v = ScoreFitter().crossValidate(synthetic(), k: 5)
        #expect(v.folds == 5 && v.pages.count == 80)
        var foldOf: [String: Int] = [:]
        for p in v.pages {
            #expect(foldOf[p.group, default: p.fold] == p.fold)
            foldOf[p.group] = p.fold
        }
        // One rule alone never reaches likely-scam: the scam pages caught there all fire two
        // rules or more, among them every page with both `deposit` and `daily` (paths p0, p6,
        // p12…); at suspicious nearly all are caught.
        let c = v.confusion(at: .likelyScam)
        #expect(c.precision >= 0.97, "\(c)")
        let active = Dictionary(uniqueKeysWithValues: synthetic().examples.map { ($0.path, $0.active.count) })
        let caught = Set(v.pages.filter { $0.isScam && $0.reaches(.likelyScam) }.map(\.path))
        #expect(caught.isSuperset(of: stride(from: 0, to: 80, by: 6).map { "p\($0)" }), "\(caught.sorted())")
        #expect(caught.allSatisfy { active[$0]! >= 2 }, "\(caught.sorted())")
        #expect(v.confusion(at: .suspicious).recall >= 0.9, "\(v.confusion(at: .suspicious))")
        #expect(v.auc > 0.95)
        let calibration = v.calibration(bins: 10)
        #expect(calibration.count == 10 && calibration.map(\.pages).reduce(0, +) == 80)
        #expect(calibration.first!.observedScamRate < calibration.last!.observedScamRate)
    }

    /// The scores file says "no rule reaches likely-scam alone" only when it is true. A fitted
    /// rule never does (the cut-off is kept above the cap, whatever the scale's bounds); a rule
    /// that no training page fired keeps its hand weight, which may.
    @Test func theScoresFileSaysWhetherOneRuleReachesLikelyScam() {
        // Pages where one rule settles it (synthetic()), and pages where each rule alone is as
        // often on legit pages and only the two together mark a scam.
        var pairs: [(Bool, String, [String])] = []
        for i in 0..<30 {
            pairs.append((true, "s\(i)", ["deposit", "daily"]))
            pairs.append((false, "l\(i)", [i % 2 == 0 ? "deposit" : "daily"]))
        }
        let needsTwo = table([("deposit", 20), ("daily", 25)], pairs)
        // The same pages with a rule that never fires and whose author gave it 80 points.
        let unseenHeavy = table([("deposit", 20), ("daily", 25), ("heavy", 80)], pairs)
        var said: Set<Bool> = []
        for t in [synthetic(), needsTwo, unseenHeavy] {
            for (maxScale, cap) in [(20.0, 0.5), (60.0, 1.0), (5.0, 1.0)] {
                var fitter = ScoreFitter(options: .init(maxCoefficient: cap))
                fitter.scale.maxScale = maxScale
                let fitted = fitter.fit(t)
                let fittedPoints = fitted.points.indices.filter { fitted.model.seen[$0] }.map { fitted.points[$0] }
                #expect(fittedPoints.allSatisfy { $0 < fitted.cutoffs.likelyScam }, "max scale \(maxScale), cap \(cap): \(fitted.points) \(fitted.cutoffs)")
                let alone = fitted.points.contains { $0 >= fitted.cutoffs.likelyScam }
                let yaml = ScoresFile.yaml(fitted, table: t, fitter: fitter, validation: nil)
                #expect(yaml.contains("(no rule reaches likely-scam alone)") == !alone, "max scale \(maxScale), cap \(cap)")
                #expect(yaml.contains("one rule reaches likely-scam alone)") == alone, "max scale \(maxScale), cap \(cap)")
                said.insert(alone)
            }
        }
        #expect(said == [true, false], "the cases should cover both sentences")
    }

    /// The text lists exactly the pages on the wrong side of their own fold's cut-off, legit
    /// pages first.
    @Test func crossValidationListsTheMisjudgedPages() {
        let cut = VerdictCutoffs(suspicious: 30, likelyScam: 60)
        let other = VerdictCutoffs(suspicious: 30, likelyScam: 50)
        func page(_ path: String, _ isScam: Bool, _ score: Int, _ cutoffs: VerdictCutoffs) -> CrossValidation.Page {
            .init(path: path, isScam: isScam, group: path, fold: cutoffs == cut ? 0 : 1, score: score,
                  probability: Double(score) / 100, cutoffs: cutoffs)
        }
        let v = CrossValidation(folds: 2, groups: 6, pages: [
            page("a/scam-caught", true, 60, cut), page("a/scam-missed", true, 59, cut),
            page("b/legit-ok", false, 59, cut), page("b/legit-flagged", false, 55, other),
            page("c/scam-caught-by-its-fold", true, 52, other), page("c/legit-clean", false, 0, other),
        ])
        let lines = FitFormatter.misjudged(v)
        #expect(lines.first == "Misjudged at the likely-scam cut-off (2 pages, each judged by its fold's cut-off):")
        let rows = lines.dropFirst().joined(separator: "\n").split(separator: "\n").dropFirst(2).map { String($0) }
        #expect(rows.count == 2)
        #expect(rows.first?.hasPrefix("  legit, flagged") == true && rows.first?.hasSuffix("b/legit-flagged") == true)
        #expect(rows.last?.hasPrefix("  scam, missed") == true && rows.last?.hasSuffix("a/scam-missed") == true)
        #expect(FitFormatter.misjudged(CrossValidation(folds: 1, groups: 1, pages: [page("x", true, 70, cut)]))
                == ["Misjudged at the likely-scam cut-off: none"])
    }

    @Test func fittingTwiceGivesTheSameBytes() {
        let t = synthetic()
        let fitter = ScoreFitter()
        let a = ScoresFile.yaml(fitter.fit(t), table: t, fitter: fitter, validation: fitter.crossValidate(t, k: 5))
        let b = ScoresFile.yaml(fitter.fit(t), table: t, fitter: fitter, validation: fitter.crossValidate(t, k: 5))
        #expect(a == b)
        #expect(a.contains("  - {id: deposit, weight: ") && a.contains("per_hit: 0}"))
        #expect(a.contains("verdicts:\n  suspicious: "))
    }

    @Test func cutoffsReachThePrecisionWithTheMostRecall() {
        let choice = CutoffChoice(targetPrecision: 0.97)
        // Scams at 5…9, legit at 0…4 and one at 6: thresholds lie halfway between margins; from
        // 6.5 up precision is 1, and 6.5 keeps the most scams (7, 8, 9).
        let margins = [5.0, 6, 7, 8, 9, 0, 1, 2, 4, 6]
        let labels = [true, true, true, true, true, false, false, false, false, false]
        #expect(choice.threshold(margins: margins, isScam: labels) == 6.5)
        // A floor (one rule's largest log-odds) keeps every candidate above it, even when a
        // lower threshold would keep more scams at the same precision.
        #expect(choice.threshold(margins: margins, isScam: labels, above: 7) == 7.5)
        #expect(choice.threshold(margins: margins, isScam: labels, above: 8.75) == 8.875)
        #expect(choice.threshold(margins: margins, isScam: labels, above: 20) == 21)
        // 95% of the five scams (all five) sit at 5 or above; the highest margin below 5 is 4.
        #expect(choice.suspiciousThreshold(margins: margins, isScam: labels) == 4.5)
        #expect(choice.cutoffs(threshold: 6.5, suspiciousThreshold: 4.5, scale: 10) == VerdictCutoffs(suspicious: 45, likelyScam: 65))
        #expect(choice.cutoffs(threshold: 4, suspiciousThreshold: 4.5, scale: 10) == VerdictCutoffs(suspicious: 39, likelyScam: 40))
        #expect(choice.cutoffs(threshold: 4, suspiciousThreshold: -1, scale: 10) == VerdictCutoffs(suspicious: 1, likelyScam: 40))
        // A rule at the cap (log-odds 1 at 48.45 points each: 48) is suspicious alone, though
        // the 95% line lies just above it (1.005: 49 points); a line below it stays.
        #expect(choice.cutoffs(threshold: 1.24, suspiciousThreshold: 1.005, scale: 48.45, oneRuleAtCap: 1) == VerdictCutoffs(suspicious: 48, likelyScam: 61))
        #expect(choice.cutoffs(threshold: 1.24, suspiciousThreshold: 1.005, scale: 48.45) == VerdictCutoffs(suspicious: 49, likelyScam: 61))
        #expect(choice.cutoffs(threshold: 1.24, suspiciousThreshold: 0.9, scale: 48.45, oneRuleAtCap: 1) == VerdictCutoffs(suspicious: 44, likelyScam: 61))
        #expect(PointsScale().scale(forThreshold: 2) == 30)
        // The scale that puts a threshold at 60 puts the cut-off at 60, not at 61 by a last bit.
        for t in [2.5275492379532283, 2.303185945445526, 2.8905413911078446, 1.263] {
            let s = PointsScale().scale(forThreshold: t)
            #expect(choice.cutoffs(threshold: t, suspiciousThreshold: t / 2, scale: s).likelyScam == 60, "\(t)")
        }
    }

    @Test func oneRuleAloneNeverReachesLikelyScam() {
        // Every scam page fires one perfectly precise rule and nothing else: on held-out
        // pages one rule's worth is already a precise cut-off. The floor keeps the cut-off
        // above it, so the rule's points stay below likely-scam.
        var rows: [(Bool, String, [String])] = []
        for i in 0..<30 {
            rows.append((true, "s\(i)", ["deposit"]))
            rows.append((false, "l\(i)", i % 2 == 0 ? ["free"] : []))
        }
        let t = table([("deposit", 20), ("free", -10)], rows)
        let fitted = ScoreFitter().fit(t)
        let deposit = fitted.points[t.features.firstIndex { $0.ruleID == "deposit" }!]
        #expect(deposit > 0 && deposit < fitted.cutoffs.likelyScam, "\(deposit) \(fitted.cutoffs)")
        #expect(ScoresFile.yaml(fitted, table: t, fitter: ScoreFitter(), validation: nil).contains("(no rule reaches likely-scam alone)"))
        // Without the floor (`fit --one-rule-floor 0`) the same pages put the cut-off at one rule's worth.
        let unfloored = ScoreFitter(cutoffChoice: CutoffChoice(floorOverOneRule: 0))
        let bare = unfloored.fit(t)
        #expect(bare.points[t.features.firstIndex { $0.ruleID == "deposit" }!] >= bare.cutoffs.likelyScam, "\(bare.cutoffs)")
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func siteGroupsFromFileNames() {
        #expect(SiteGroup.fromFileName("en-gig-marketplace-taskharbor.html") == "taskharbor")
        #expect(SiteGroup.fromFileName("en-seller-levels-taskharbor.html") == "taskharbor")
        #expect(SiteGroup.fromFileName("fikriroy234__myweb__dogeminer__index.php.html") == "fikriroy234/myweb")
        #expect(SiteGroup.fromFileName("en-Arpit-Chaurasia26__Digital-Fixed-Deposit-System__views__x.vue.html") == "arpit-chaurasia26/digital-fixed-deposit-system")
        #expect(SiteGroup.fromFileName("www.shop.example.com-index.html") == "shop.example.com")
        #expect(SiteGroup.of(LabeledPage(path: "/x/en-a-b.html", label: .scam, group: "owner/repo")) == "owner/repo")
    }
}

@Suite struct FitManifestTests {
    func write(_ text: String) throws -> String {
        let dir = try temporaryDirectory()
        try Data("<p>x</p>".utf8).write(to: dir.appendingPathComponent("a.html"))
        try Data("<p>y</p>".utf8).write(to: dir.appendingPathComponent("b.html"))
        let path = dir.appendingPathComponent("MANIFEST.tsv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        ("file\tlabel\na.html\tscam\nmissing.html\tlegit\n", ":3: no such file 'missing.html'"),
        ("file\tlabel\na.html\tscam\nb.html\tspam\n", ":3: unknown label 'spam'"),
        ("file\tlabel\na.html\tscam\nb.html\tlegit\na.html\tscam\n", ":4: duplicate row for 'a.html' (first on line 2)"),
    ])
    func manifestErrorsNameTheLine(_ manifest: String, _ message: String) throws {
        let path = try write(manifest)
        #expect { try LabeledCorpus.load([path]) } throws: { "\($0)".contains(path + message) }
        let r = try CLI.run(["fit", "--manifest", path, "--out", path + ".yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains(path + message), "\(r.stderr)")
        #expect(try CLI.run(["evaluate", path]).status == 2)
    }

    @Test func manifestGroupsBySourceRepo() throws {
        let path = try write("file\tlabel\tsource_repo\na.html\tscam\towner/one\nb.html\tlegit\t\n")
        let pages = try LabeledCorpus.load([path])
        #expect(pages.map(\.group) == [nil, "owner/one"])
        #expect(pages.map(SiteGroup.of) == ["b", "owner/one"])
    }
}

@Suite struct FitCommandTests {
    /// Three scam and three legit samples from different sites, copied into a temporary corpus.
    func corpus() throws -> URL {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        for label in ["scam", "legit"] {
            try fm.createDirectory(at: dir.appendingPathComponent(label), withIntermediateDirectories: true)
            for name in try samples(label).prefix(3) {
                try fm.copyItem(atPath: samplesDirectory() + "/\(label)/\(name)", toPath: dir.appendingPathComponent("\(label)/\(name)").path)
            }
        }
        return dir
    }

    @Test func fitWritesAScoresFileThatLoadsAndIsDeterministic() throws {
        let dir = try corpus()
        let out1 = dir.appendingPathComponent("one.yaml").path, out2 = dir.appendingPathComponent("two.yaml").path
        let inputs = dir.appendingPathComponent("inputs.tsv").path
        let args = ["fit", "--scam", dir.appendingPathComponent("scam").path, "--legit", dir.appendingPathComponent("legit").path, "--cv", "3"]
        let r1 = try CLI.run(args + ["--out", out1, "--inputs-out", inputs])
        #expect(r1.status == 0, "\(r1.stderr)")
        for section in ["grouped 3-fold cross-validation", "ROC AUC", "Calibration", "likely-scam"] {
            #expect(r1.stdout.contains(section), "missing \(section)")
        }
        #expect(try CLI.run(args + ["--out", out2]).status == 0)
        let first = try String(contentsOfFile: out1, encoding: .utf8)
        #expect(first == (try String(contentsOfFile: out2, encoding: .utf8)))
        // The scores file is a rules file: it loads after the built-ins, and a report's points add up.
        let rules = try RuleSet.load(paths: [out1])
        #expect(rules.cutoffsSource == out1)
        let page = samplesDirectory() + "/scam/" + (try firstSample("scam"))
        let report = try Engine(rules: rules).score(html: Data(contentsOf: URL(fileURLWithPath: page)))
        #expect(report.rawScore == report.hits.map(\.points).reduce(0, +))
        #expect(report.hits.filter { $0.id != "text_model" }.allSatisfy { $0.points == $0.weight && $0.overriddenBy == out1 })
        // The text model's line: its weight from this file, its points a share of it.
        #expect(report.hits.filter { $0.id == "text_model" }.allSatisfy { $0.file == out1 && (0...$0.weight).contains($0.points) })
        // The inputs record is a manifest: six pages, with their hashes, relative to it.
        let record = try String(contentsOfFile: inputs, encoding: .utf8).split(separator: "\n")
        #expect(record.first == "file\tlabel\tsource_repo\tsha256" && record.count == 7)
        #expect(try LabeledCorpus.load([inputs]).count == 6)
        // It lints clean, and evaluate --cv shows the loaded weights beside a fit.
        let lint = try CLI.run(["rules", "lint", out1])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        let cv = try CLI.run(["evaluate", "--cv", "3", "--rules", out1, dir.path])
        #expect(cv.status == 0, "\(cv.stderr)")
        for section in ["Loaded weights: grouped 3-fold cross-validation", "Fitted on the other folds", "Calibration", "ROC AUC"] {
            #expect(cv.stdout.contains(section), "missing \(section)")
        }
        #expect(try CLI.run(["evaluate", "--cv", "1", dir.path]).status == 2)
    }

    @Test func theOneRuleFloorIsAnOptionAndIsChecked() throws {
        let dir = try corpus()
        let args = ["fit", "--scam", dir.appendingPathComponent("scam").path, "--legit", dir.appendingPathComponent("legit").path, "--cv", "3",
                    "--out", dir.appendingPathComponent("scores.yaml").path]
        for bad in ["-1", "nan", "inf"] {
            let r = try CLI.run(args + ["--one-rule-floor", bad])
            #expect(r.status != 0 && r.stderr.contains("--one-rule-floor"), "\(bad): \(r.stderr)")
        }
        let r = try CLI.run(args + ["--one-rule-floor", "0"])
        #expect(r.status == 0, "\(r.stderr)")
    }
}
