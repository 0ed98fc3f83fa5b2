import Foundation

/// `scamsift rules lint`: every problem in the given rules files, in one pass, without scoring
/// anything. The files are checked together with the built-in rules (so overrides of built-in
/// ids and duplicate ids across files are caught), but only problems in the given files are
/// reported. A file with errors of its own is still checked against the others, as far as it
/// could be read, and so are the pages and rule ids its `tests:` name.
public enum RuleLinter {
    public static func lint(paths: [String], includeBuiltIn: Bool = true) -> [RuleFileError] {
        let files: [String]
        do {
            files = try RulePaths.expand(paths)
        } catch let e as RuleLoadError {
            return e.problems.sorted()
        } catch {
            return []
        }
        var problems = Set<RuleFileError>()
        var readable: [RuleFile] = []
        var unreadable = Set<String>()
        for path in files {
            let reading: RuleFileReading
            do {
                reading = RuleFileLoader.read(text: try RuleFileLoader.read(path: path), file: path)
            } catch let e as RuleLoadError {
                problems.formUnion(e.problems)
                continue
            } catch {
                problems.insert(RuleFileError(file: path, line: 1, column: 1, message: "\(error)"))
                continue
            }
            problems.formUnion(reading.problems)
            if let file = reading.file {
                problems.formUnion(missingDescriptions(file))
                readable.append(file)
            }
            unreadable.formUnion(reading.unreadableRuleIDs)
        }
        // Files that could not be read at all have nothing to check across files (and a refused
        // file, such as a billion-laughs bomb, should not wait for the built-ins).
        if readable.isEmpty { return problems.sorted() }
        let builtIns = includeBuiltIn ? RuleSet.builtInFiles(except: files) : []
        let linkage = RuleLinkage(files: builtIns + readable, unreadable: unreadable)
        problems.formUnion(linkage.problems)
        let known = unreadable.union(linkage.index.keys)
        for file in readable { problems.formUnion(checkTests(of: file, knownRules: known)) }
        let linted = Set(files)
        return problems.filter { linted.contains($0.file) }.sorted()
    }

    /// A `tests:` entry's page must exist (relative to the rules file's folder), and the rules it
    /// expects to fire or not must exist: otherwise the test could never pass, or would pass
    /// for the wrong reason.
    static func checkTests(of file: RuleFile, knownRules: Set<String>) -> [RuleFileError] {
        var problems: [RuleFileError] = []
        for test in file.tests {
            let path = RuleFileTester.pagePath(test.page, of: file)
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                problems.append(RuleFileError(test.location, "test page '\(test.page)' does not exist (looked for \(path))"))
            } else if isFolder.boolValue {
                problems.append(RuleFileError(test.location, "test page '\(test.page)' is a folder, not a page"))
            }
            for id in test.fires + test.notFires where !knownRules.contains(id) {
                problems.append(RuleFileError(test.location, "test of '\(test.page)' names unknown rule '\(id)'"
                    + Suggest.didYouMean(id, among: knownRules.sorted())))
            }
        }
        return problems
    }
}

extension RuleLinter {
    /// A warning for each rule a person is shown (not a helper) that has no description in a
    /// language ScamSift speaks: its readers would see the English one.
    public static func missingDescriptions(_ file: RuleFile) -> [RuleFileError] {
        // A rule with no description at all already has an error for it.
        file.rules.filter { rule in !rule.isHelper && rule.descriptions.texts.values.contains { !$0.isEmpty } }.flatMap { rule in
            Catalog.languages.filter { !rule.descriptions.has($0) }.map { code in
                RuleFileError(rule.location, "rule '\(rule.id)' has no '\(code)' description (\(Catalog.builtIn[code]!.name)); "
                              + "its readers see \(code == "en" ? "another language's" : "the English one")", severity: .warning)
            }
        }
    }
}

/// `scamsift rules test`: the examples of every rule the files define, and the page tests they carry.
public enum RuleFileTester {
    public struct Outcome: Sendable {
        public var passed = 0
        public var failures: [String] = []
        public var failed: Int { failures.count }
    }

    /// Runs with the built-ins loaded first (rules may build on them); tests only what `files` define.
    /// With no paths, tests the built-in rules themselves.
    public static func run(paths: [String], includeBuiltIn: Bool = true) throws -> Outcome {
        let custom = try RulePaths.expand(paths).map { try RuleFileLoader.load(path: $0) }
        let builtIns = includeBuiltIn ? RuleSet.builtInFiles(except: paths.isEmpty ? [] : try RulePaths.expand(paths)) : []
        let rules = try RuleSet(files: builtIns + custom)
        let tested = paths.isEmpty ? builtIns : custom
        var outcome = Outcome()

        let ids = Set(tested.flatMap { $0.rules.map(\.id) })
        let examples = RuleExamples.run(rules, only: ids)
        outcome.passed += examples.passed
        outcome.failures += examples.failures.map { f in
            let location = rules.rule(f.rule).map { "\($0.spec.location)" } ?? f.file
            let expected = f.expectedHit ? "expected to fire" : "expected not to fire"
            let got = f.expectedHit ? "it did not fire" : "it fired"
            return "\(location): rule '\(f.rule)': \(f.variant.rawValue) example \"\(f.example)\": \(expected), but \(got)"
        }

        let engine = Engine(rules: rules)
        for file in tested {
            for test in file.tests {
                let pagePath = pagePath(test.page, of: file)
                let fail = { (why: String) in outcome.failures.append("\(test.location): page test '\(test.page)': \(why)") }
                guard let data = FileManager.default.contents(atPath: pagePath) else { fail("cannot read \(pagePath)"); continue }
                let page: Page
                do { page = try HTMLParser.parse(data, xpaths: rules.xpaths) } catch { fail("\(error)"); continue }
                let run = RuleEvaluator(rules: rules, page: page, regexBudget: engine.regexBudget, skipsUnreadHelpers: false).run()
                let report = engine.makeReport(page: page, outcome: run, source: test.page)
                let fired = Set(rules.rules.indices.filter { run.fired[$0] }.map { rules.rules[$0].id })
                var problems: [String] = []
                if let verdict = test.verdict, report.verdict != verdict {
                    problems.append("expected verdict \(verdict.rawValue), got \(report.verdict.rawValue) (score \(report.score))")
                }
                for id in test.fires where !fired.contains(id) { problems.append("expected '\(id)' to fire, but it did not") }
                for id in test.notFires where fired.contains(id) { problems.append("expected '\(id)' not to fire, but it did") }
                for id in test.fires + test.notFires where rules.rule(id) == nil { problems.append("names unknown rule '\(id)'") }
                if problems.isEmpty { outcome.passed += 1 } else { fail(problems.joined(separator: "; ")) }
            }
        }
        return outcome
    }

    /// A test's page: as written when absolute, else relative to the rules file's folder.
    static func pagePath(_ page: String, of file: RuleFile) -> String {
        if page.hasPrefix("/") { return page }
        return ((file.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(page)
    }
}
