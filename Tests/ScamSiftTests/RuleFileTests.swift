import Foundation
import Testing
@testable import ScamSift

let lintFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/lint").path

/// Each fixture names the exact diagnostics it must produce in `# expect:` lines.
@Suite struct LintFixtureTests {
    static let fixtures: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: lintFixtures)) ?? [])
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("duplicate-across") }.sorted()

    static func expectations(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("# expect: ") }.map { String($0.dropFirst("# expect: ".count)) }
    }

    @Test func thereIsAFixtureForEveryCheck() {
        #expect(Self.fixtures.count >= 16)
    }

    @Test(arguments: fixtures)
    func fixtureGivesExactlyItsExpectedDiagnostics(_ name: String) throws {
        let path = lintFixtures + "/" + name
        let expected = try Self.expectations(path)
        #expect(!expected.isEmpty)
        let got = RuleLinter.lint(paths: [path]).map { d in
            d.description.hasPrefix(path + ":") ? String(d.description.dropFirst(path.count + 1)) : d.description
        }.map { $0.replacingOccurrences(of: lintFixtures + "/", with: "") }
        #expect(got == expected)
    }

    /// SARIF names each problem's kind; every check the fixtures exercise has a kind of its own
    /// rather than the catch-all, so code scanning can tell them apart.
    @Test func everyFixtureProblemHasASARIFKind() {
        let problems = RuleLinter.lint(paths: Self.fixtures.map { lintFixtures + "/" + $0 })
        #expect(problems.count >= Self.fixtures.count)
        for p in problems { #expect(LintSARIF.kind(of: p.message).id != "rule-file", "\(p)") }
    }

    @Test func duplicateIdsAcrossFiles() throws {
        let a = lintFixtures + "/duplicate-across-a.yaml", b = lintFixtures + "/duplicate-across-b.yaml"
        let got = RuleLinter.lint(paths: [a, b]).map(\.description)
        #expect(got == ["\(b):3:5: error: duplicate rule id 'shared.id' (first defined at \(a):2:5)"])
    }

    @Test func builtInRulesLintClean() throws {
        let files = try RuleSet.builtInFiles(trusted: false)
        let warnings = files.flatMap(\.warnings) + (try RuleSet(files: files)).warnings
        #expect(warnings.isEmpty, "\(warnings.map(\.description))")
    }

    @Test func billionLaughsIsRefusedFastAndSmall() throws {
        let started = Date()
        let before = MemoryTests.residentBytes()
        let problems = RuleLinter.lint(paths: [lintFixtures + "/bomb.yaml"])
        #expect(Date().timeIntervalSince(started) < 1.0)
        #expect(MemoryTests.residentBytes() - before < 50 * 1024 * 1024)
        #expect(problems.first?.message.contains("expands to more than") == true)
    }

    @Test func oversizedRulesFileIsRefusedBeforeParsing() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("huge.yaml").path
        try Data(("rules: []\n# " + String(repeating: "x", count: RuleFileLoader.maxFileBytes) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let problems = RuleLinter.lint(paths: [path])
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("above the limit of 1048576 bytes") == true)
    }

    @Test func regexOffsetsPointIntoThePattern() {
        #expect(RegexCheck.syntaxOffset("abc(d") == 3)
        #expect(RegexCheck.syntaxOffset("ab)c") == 2)
        #expect(RegexCheck.syntaxOffset("[abc") == 0)
        #expect(RegexCheck.syntaxOffset("*a") == 0)
    }

    @Test func catastrophicShapes() {
        for slow in ["(a+)+", "(\\w+\\s?)*$", "(?:x|y+){2,}", "((ab)*c)+"] {
            #expect(RegexCheck.catastrophicShape(slow) != nil, "\(slow)")
        }
        for fine in ["a+b+", "(ab)+", "\\d+%\\s*daily", "(?:usdt|btc)+", "[a-z]+(\\.[a-z]+)?"] {
            #expect(RegexCheck.catastrophicShape(fine) == nil, "\(fine)")
        }
    }
}

@Suite struct OverrideAndDisableTests {
    static let base = """
    rules:
      - id: a.deposit
        category: deposit
        description: deposit
        weight: 20
        phrases: [deposit]
        examples: {hit: [deposit]}
      - id: a.telegram
        category: contact
        description: telegram
        weight: 10
        phrases: [telegram]
        examples: {hit: [telegram]}
      - id: a.whatsapp
        category: contact
        description: whatsapp
        weight: 10
        phrases: [whatsapp]
        examples: {hit: [whatsapp]}
    """

    func files(_ extra: String...) throws -> [RuleFile] {
        try [RuleFileLoader.parse(text: Self.base, file: "base.yaml")] + extra.enumerated().map { try RuleFileLoader.parse(text: $1, file: "custom\($0).yaml") }
    }

    let page = "<p>deposit</p><p>telegram</p><p>whatsapp</p>"

    @Test func overrideChangesWeightAndReportsWhichFile() throws {
        let rules = try RuleSet(files: files("override:\n  - id: a.deposit\n    weight: 45\n    description: deposit first\n"))
        let r = try report(rules, page)
        let hit = try #require(r.hits.first { $0.id == "a.deposit" })
        #expect(hit.points == 45)
        #expect(hit.description == "deposit first")
        #expect(hit.file == "base.yaml")
        #expect(hit.overriddenBy == "custom0.yaml")
        #expect(r.score == 65)
    }

    @Test func disableByIdAndByCategory() throws {
        let byID = try report(RuleSet(files: files("disable:\n  ids: [a.deposit]\n")), page)
        #expect(byID.hits.map(\.id).sorted() == ["a.telegram", "a.whatsapp"])
        let byCategory = try report(RuleSet(files: files("disable:\n  categories: [contact]\n")), page)
        #expect(byCategory.hits.map(\.id) == ["a.deposit"])
    }

    @Test func laterFileWins() throws {
        let rules = try RuleSet(files: files("override:\n  - id: a.deposit\n    weight: 5\n", "override:\n  - id: a.deposit\n    weight: 7\n"))
        #expect(rules.rule("a.deposit")?.spec.weight == 7)
        #expect(rules.rule("a.deposit")?.overriddenBy == "custom1.yaml")
    }

    @Test func verdictCutoffsCanMove() throws {
        let rules = try RuleSet(files: files("verdicts:\n  suspicious: 10\n  likely_scam: 20\n"))
        #expect(rules.cutoffs == VerdictCutoffs(suspicious: 10, likelyScam: 20))
        #expect(try report(rules, "<p>deposit</p>").verdict == .likelyScam)
        #expect(throws: RuleLoadError.self) { try RuleSet(files: files("verdicts:\n  suspicious: 70\n  likely_scam: 20\n")) }
    }

    @Test func unknownIdsAreErrorsWithSuggestions() throws {
        do {
            _ = try RuleSet(files: files("disable:\n  ids: [a.telegran]\n"))
            Issue.record("expected an error")
        } catch let e as RuleLoadError {
            #expect(e.problems.map(\.description) == ["custom0.yaml:2:9: error: disable names unknown rule 'a.telegran' (did you mean 'a.telegram'?)"])
        }
    }
}

@Suite struct RuleSourcesTests {
    func write(_ dir: URL, _ name: String, weight: Int) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try "override:\n  - id: deposit.minimum\n    weight: \(weight)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func precedenceIsBuiltInThenUserFolderThenEnvironmentThenCommandLine() throws {
        guard RuleSet.builtIn.rule("deposit.minimum") != nil else { Issue.record("built-in rule deposit.minimum is gone"); return }
        let config = try temporaryDirectory()
        let userRules = config.appendingPathComponent("scamsift/rules")
        try FileManager.default.createDirectory(at: userRules, withIntermediateDirectories: true)
        _ = try write(userRules, "mine.yaml", weight: 1)
        let other = try temporaryDirectory()
        let envFile = try write(other, "env.yaml", weight: 2)
        let cliFile = try write(other, "cli.yaml", weight: 3)
        let env = ["XDG_CONFIG_HOME": config.path, "HOME": "/nonexistent"]

        func weight(_ sources: RuleSources) throws -> (Int, String?) {
            let rule = try #require(try sources.load().rule("deposit.minimum"))
            return (rule.spec.weight, rule.overriddenBy)
        }
        #expect(try weight(RuleSources(environment: env)) == (1, userRules.path + "/mine.yaml"))
        #expect(try weight(RuleSources(environment: env.merging(["SCAMSIFT_RULES": envFile]) { $1 })) == (2, envFile))
        #expect(try weight(RuleSources(commandLine: [cliFile], environment: env.merging(["SCAMSIFT_RULES": envFile]) { $1 })) == (3, cliFile))
        // Without XDG_CONFIG_HOME the folder is ~/.config/scamsift/rules.
        #expect(RuleSources(environment: ["HOME": "/home/x"]).userFolder == "/home/x/.config/scamsift/rules")
    }

    /// The user folder may exist and hold nothing (it is only read); a folder named in
    /// SCAMSIFT_RULES or on the command line must hold a rules file.
    @Test func anEmptyUserFolderIsPassedOverAndANamedEmptyFolderIsAnError() throws {
        let config = try temporaryDirectory()
        let userRules = config.appendingPathComponent("scamsift/rules")
        try FileManager.default.createDirectory(at: userRules, withIntermediateDirectories: true)
        let env = ["XDG_CONFIG_HOME": config.path, "HOME": "/nonexistent"]
        #expect(RuleSources(environment: env).customPaths.isEmpty)
        #expect(try RuleSources(environment: env).texts().count == BuiltInRuleFiles.all.count)
        let empty = try temporaryDirectory()
        for sources in [RuleSources(environment: env.merging(["SCAMSIFT_RULES": empty.path]) { $1 }),
                        RuleSources(commandLine: [empty.path], environment: env)] {
            let error = try #require(throws: RuleLoadError.self) { try sources.texts() }
            #expect(error.problems.map(\.file) == [empty.path])
            #expect(error.problems.first?.message.contains("no rules file") == true)
        }
        // A rules file in the folder's lexicon/ folder is enough.
        try FileManager.default.createDirectory(at: empty.appendingPathComponent("lexicon"), withIntermediateDirectories: true)
        try "language: xx\n".write(to: empty.appendingPathComponent("lexicon/xx.yaml"), atomically: true, encoding: .utf8)
        #expect(try RulePaths.expand([empty.path]) == [empty.path + "/lexicon/xx.yaml"])
    }

    @Test func folderMeansItsYamlFilesSorted() throws {
        let dir = try temporaryDirectory()
        for name in ["b.yml", "a.yaml", "notes.txt"] { try "rules: []\n".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        #expect(try RulePaths.expand([dir.path]).map { ($0 as NSString).lastPathComponent } == ["a.yaml", "b.yml"])
    }

    @Test func missingPathIsAClearError() {
        #expect(throws: RuleLoadError.self) { try RulePaths.expand(["/no/such/rules.yaml"]) }
    }
}
