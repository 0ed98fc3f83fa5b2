import Foundation
import Testing

@Suite struct RulesCommandTests {
    let customRules = samplesDirectory() + "/rules/security-deposit.yaml"

    @Test func lintExitCodes() throws {
        #expect(try CLI.run(["rules", "lint", customRules]).status == 0)
        let warnOnly = lintFixtures + "/no-examples.yaml"
        #expect(try CLI.run(["rules", "lint", warnOnly]).status == 0)
        #expect(try CLI.run(["rules", "lint", "--strict", warnOnly]).status == 1)
        let broken = try CLI.run(["rules", "lint", lintFixtures + "/wrong-type.yaml"])
        #expect(broken.status == 2)
        #expect(broken.stdout == lintFixtures + "/wrong-type.yaml:6:13: error: 'weight' must be a whole number, not 'heavy'\n")
        #expect(try CLI.run(["rules", "lint", "/no/such/file.yaml"]).status == 2)
    }

    @Test func lintJSON() throws {
        let r = try CLI.run(["rules", "lint", "--format", "json", lintFixtures + "/wrong-type.yaml", warnOnlyPath])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["errors"] as? Int == 1)
        // no-examples.yaml: no examples, and no Bengali description.
        #expect(json["warnings"] as? Int == 2)
        let first = try #require((json["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["line"] as? Int != nil && first["column"] as? Int != nil && first["severity"] as? String != nil)
    }

    var warnOnlyPath: String { lintFixtures + "/no-examples.yaml" }

    /// What SARIF 2.1.0 requires of a log, and what code scanning needs to place a result: one
    /// run whose driver lists each `ruleId` used, results with a level, a message and a region.
    @Test func lintSARIF() throws {
        let files = ["one-pass.yaml", "test-pages.yaml", "no-examples.yaml"]
        let r = try CLI.run(["rules", "lint", "-f", "sarif"] + files, cwd: lintFixtures)
        #expect(r.status == 2)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.hasSuffix("sarif-2.1.0.json") == true)
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "scamsift")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ruleIDs = rules.compactMap { $0["id"] as? String }
        #expect(Set(ruleIDs).count == ruleIDs.count)
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == 8)
        for result in results {
            let id = try #require(result["ruleId"] as? String)
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ruleIDs.indices.contains(index) && ruleIDs[index] == id)
            #expect(["error", "warning"].contains(result["level"] as? String ?? ""))
            #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let physical = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let artifact = try #require(physical["artifactLocation"] as? [String: Any])
            #expect(files.contains(artifact["uri"] as? String ?? ""), "relative paths stay relative: \(artifact)")
            #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
            let region = try #require(physical["region"] as? [String: Any])
            #expect((region["startLine"] as? Int ?? 0) >= 1 && (region["startColumn"] as? Int ?? 0) >= 1)
        }
        let kinds = Dictionary(grouping: results.compactMap { $0["ruleId"] as? String }, by: { $0 }).mapValues(\.count)
        #expect(kinds == ["unknown-key": 1, "unknown-rule": 3, "test-page": 2, "no-examples": 1, "missing-translation": 1])
        // The same files give the same bytes.
        #expect(try CLI.run(["rules", "lint", "-f", "sarif"] + files, cwd: lintFixtures).stdout == r.stdout)
    }

    @Test func rulesTestPassesOnTheSampleRulesFile() throws {
        let r = try CLI.run(["rules", "test", samplesDirectory() + "/rules"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix("14 passed, 0 failed\n"), "\(r.stdout)")
    }

    @Test func rulesTestCatchesADeliberatelyWrongExample() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("wrong.yaml")
        try """
        rules:
          - id: wrong.example
            category: test
            description: the miss example actually matches
            weight: 10
            phrases: [activation fee]
            examples:
              hit: ["Pay the activation fee"]
              miss: ["An activation fee of $5 applies"]
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["rules", "test", file.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL \(file.path):2:5: rule 'wrong.example': plain example \"An activation fee of $5 applies\": expected not to fire, but it fired"))
        #expect(r.stdout.hasSuffix("3 passed, 3 failed\n"))
    }

    @Test func rulesTestExitsTwoOnLoadError() throws {
        #expect(try CLI.run(["rules", "test", lintFixtures + "/wrong-type.yaml"]).status == 2)
    }

    @Test func builtInRulesPassTheirOwnTests() throws {
        let r = try CLI.run(["rules", "test"])
        #expect(r.status == 0, "\(r.stdout.suffix(2000))")
        #expect(r.stdout.hasSuffix(", 0 failed\n"))
    }

    @Test func listShowsRulesInEffect() throws {
        let plain = try CLI.run(["rules", "list"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("Rules/"))
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("custom.yaml")
        let victim = "deposit.minimum"
        try "disable:\n  ids: [\(victim)]\n".write(to: file, atomically: true, encoding: .utf8)
        let custom = try CLI.run(["rules", "list", "--format", "json", "--rules", file.path, "--rules", customRules])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(custom.stdout.utf8)) as? [[String: Any]])
        let ids = rows.compactMap { $0["id"] as? String }
        #expect(ids.contains("custom.security_deposit_for_task"))
        #expect(!ids.contains(victim))
        #expect(ids == ids.sorted())
        #expect(!ids.contains { $0.hasPrefix("_") })
        // The environment variable is a source too.
        let env = try CLI.run(["rules", "list", "--format", "json"], environment: ["SCAMSIFT_RULES": customRules])
        #expect(env.stdout.contains("custom.security_deposit_for_task"))
    }

    @Test func showPrintsOneRuleWithExamples() throws {
        let r = try CLI.run(["rules", "show", "custom.security_deposit_for_task", "--rules", customRules])
        #expect(r.status == 0)
        #expect(r.stdout.contains("near:        within 10 words"))
        #expect(r.stdout.contains("hit:  প্রথম কাজ পেতে ৫০০ টাকা জামানত জমা দিন"))
        let missing = try CLI.run(["rules", "show", "custom.security_deposit_for_tsk", "--rules", customRules])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("did you mean 'custom.security_deposit_for_task'?"))
    }

    @Test func showSaysHowEachRegexPartRuns() throws {
        let file = try temporaryDirectory().appendingPathComponent("parts.yaml")
        try """
        rules:
          - id: t.pct_pairs
            category: plans
            description: Two rates close together
            weight: 5
            regex: '\\d+\\s?% daily[\\s\\S]{0,40}?vip ?2|bonus \\w+'
            examples:
              hit: ["5% daily for VIP 1, 7% for VIP 2"]
              miss: ["5% daily"]
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["rules", "show", "t.pct_pairs", "--rules", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("part 1 of 2: searched near '% daily'; windows end at characters it cannot match; head, then tail within 40 characters where 'vip' follows"))
        #expect(r.stdout.contains("part 2 of 2: tried at 'bonus'\n"))
    }
}

/// `scamsift rules new`: a template that lints clean and whose examples pass.
@Suite struct RulesNewTests {
    @Test func theTemplateLintsCleanAndItsExamplesPass() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mine.yaml").path
        let made = try CLI.run(["rules", "new", "custom.verification_deposit", "-o", file])
        #expect(made.status == 0, "\(made.stderr)")
        let lint = try CLI.run(["rules", "lint", "--strict", file])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        let test = try CLI.run(["rules", "test", file])
        #expect(test.status == 0 && test.stdout.contains(" passed, 0 failed"), "\(test.stdout)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("id: custom.verification_deposit"))
        // Never over an existing file; a bad id is refused.
        let again = try CLI.run(["rules", "new", "custom.other", "-o", file])
        #expect(again.status == 2 && again.stderr.contains("already exists"))
        #expect(try CLI.run(["rules", "new", "Not An Id"]).status == 2)
        #expect(try CLI.run(["rules", "new", "custom.x"]).stdout.hasPrefix("# A rules file of your own."))
    }
}

@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsNameTheSubcommands(_ shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0)
        for command in ["score", "batch", "evaluate", "fit", "learn", "rules"] { #expect(r.stdout.contains(command), "\(shell): \(command)") }
    }
}
