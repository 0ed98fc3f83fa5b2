import Foundation

/// Runs every rule's `examples` (SwiftLint style): each snippet is wrapped in a page and must
/// make the rule fire (`hit`) or not (`miss`), as written, nested deep in divs, and after a
/// multibyte prefix.
public enum RuleExamples {
    public enum Variant: String, CaseIterable, Sendable {
        case plain, nested, multibytePrefix = "multibyte-prefix"
    }

    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public var rule: String
        public var file: String
        public var example: String
        public var variant: Variant
        public var expectedHit: Bool
        public var description: String {
            let expected = expectedHit ? "to fire" : "not to fire"
            let got = expectedHit ? "it did not" : "it did"
            return "\(file): rule '\(rule)': expected \(expected) on \(variant.rawValue) example \"\(example)\", but \(got)"
        }
    }

    public struct Result: Sendable {
        public var passed = 0
        public var failures: [Failure] = []
    }

    /// Checks the examples of the rules in `only` (all rules when nil), against the whole set.
    public static func run(_ rules: RuleSet, only: Set<String>? = nil) -> Result {
        var result = Result()
        for rule in rules.rules where only?.contains(rule.id) ?? true {
            for (snippets, expect) in [(rule.spec.examples.hit, true), (rule.spec.examples.miss, false)] {
                for snippet in snippets {
                    for variant in Variant.allCases {
                        let fired = fires(rule, snippet: snippet, variant: variant, in: rules)
                        if fired == expect {
                            result.passed += 1
                        } else {
                            result.failures.append(Failure(rule: rule.id, file: rule.spec.file, example: snippet,
                                                           variant: variant, expectedHit: expect))
                        }
                    }
                }
            }
        }
        return result
    }

    static let prefix = "🙂 ১২৩ — "

    public static func page(for snippet: String, targets: [RuleTarget], variant: Variant) -> (html: String, url: String?) {
        var body = snippet
        var title = "Example page"
        var metaContent = ""
        var url: String? = nil
        switch variant {
        case .plain: break
        case .nested: body = "<div><section><div><article><div>\(snippet)</div></article></div></section></div>"
        case .multibytePrefix: body = "<span>\(prefix)</span>\(snippet)"
        }
        if targets.contains(.title) { title = (variant == .multibytePrefix ? prefix : "") + escape(snippet); body = "<p>Example</p>" }
        if targets.contains(.meta) { metaContent = (variant == .multibytePrefix ? prefix : "") + escape(snippet); body = "<p>Example</p>" }
        if targets.contains(.url) { url = snippet; body = "<p>Example</p>" }
        let meta = metaContent.isEmpty ? "" : "<meta name=\"description\" content=\"\(metaContent)\">"
        return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(title)</title>\(meta)</head><body>\(body)</body></html>", url)
    }

    static func fires(_ rule: CompiledRule, snippet: String, variant: Variant, in rules: RuleSet) -> Bool {
        let (html, url) = page(for: snippet, targets: rule.spec.targets, variant: variant)
        guard let page = try? HTMLParser.parse(Data(html.utf8), url: url, xpaths: rules.xpaths) else { return false }
        let outcome = RuleEvaluator(rules: rules, page: page, regexBudget: 1, skipsUnreadHelpers: false).run()
        guard let i = rules.index[rule.id] else { return false }
        return outcome.fired[i]
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
}
