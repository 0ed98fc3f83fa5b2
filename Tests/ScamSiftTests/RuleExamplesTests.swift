import Testing
@testable import ScamSift

/// Every built-in rule's examples are tests: a rule cannot ship untested.
@Suite struct RuleExamplesTests {
    @Test func everyBuiltInRuleHasExamples() throws {
        let missing = RuleSet.builtIn.rules.filter { $0.spec.examples.hit.isEmpty }.map(\.id)
        #expect(missing.isEmpty, "rules without a hit example: \(missing)")
    }

    @Test(arguments: RuleSet.builtIn.rules.map(\.id))
    func examples(of id: String) throws {
        let result = RuleExamples.run(RuleSet.builtIn, only: [id])
        for failure in result.failures { Issue.record("\(failure)") }
        #expect(result.passed > 0)
    }
}
