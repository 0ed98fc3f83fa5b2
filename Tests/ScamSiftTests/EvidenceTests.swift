import Foundation
import Testing
@testable import ScamSift

/// A rule's evidence must hold what the rule is named for: a referral rule quotes a referral
/// word, a multi-level rule a percentage or a level, a principal rule a principal word. Checked
/// on every sample page (the issue behind this: evidence that quoted an unrelated sentence).
@Suite struct EvidenceTests {
    static let rules = RuleSet.builtIn

    /// Every language's phrases of these concepts, normalised, without `*`.
    static func words(_ concepts: [String], extra: [String] = []) -> [String] {
        var out = extra
        for concept in concepts {
            for (code, _, _) in rules.concepts.languages {
                out += rules.concepts.phrases(concept, language: code).map(\.text)
            }
        }
        return out.map { String(decoding: TextNormalizer.normalize(PhraseSyntax.core($0)), as: UTF8.self) }.filter { $0.count > 1 }
    }

    static let referralWords = words(["referral", "commission", "referral_level", "invite_code", "team"],
                                     extra: ["friend", "invite", "affiliate", "sponsor", "downline", "f1", "amigo", "teman", "বন্ধু", "दोस्त", "朋友", "好友", "邀請", "下级", "أصحاب", "أصدقاء"])
    static let levelWords = words(["referral_level"], extra: ["level", "f1", "লেভেল", "স্তর", "स्तर", "लेवल"])
    static let principalWords = words(["principal"], extra: ["principal", "capital", "মূলধন", "মূল", "मूलधन", "modal"])

    /// Byte-wise: `String.contains` compares whole characters, and a Bengali word followed by
    /// a vowel sign is one character longer than the word.
    static func holds(_ text: String, _ words: [String]) -> Bool {
        let bytes = Data(text.utf8)
        return words.contains { bytes.range(of: Data($0.utf8)) != nil }
    }

    static func contexts(_ hit: Hit) -> String {
        String(decoding: TextNormalizer.normalize(hit.evidence.map(\.context).joined(separator: " | ")), as: UTF8.self)
    }

    @Test func referralAndPrincipalEvidenceHoldsTheirWords() throws {
        var problems: [String] = []
        var paths: [String] = []
        for label in ["scam", "legit"] { paths += try samples(label).map { samplesDirectory() + "/\(label)/\($0)" } }
        // The shared corpus too, when it is on this machine: pages written elsewhere.
        let corpus = (samplesDirectory() as NSString).deletingLastPathComponent + "/../shared/corpus"
        for label in ["scam", "legit"] {
            let dir = corpus + "/" + label
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            paths += names.filter { $0.hasSuffix(".html") }.sorted().map { dir + "/" + $0 }
        }
        for path in paths {
            let name = (path as NSString).lastPathComponent
            let report = try Engine(rules: Self.rules).score(html: Data(contentsOf: URL(fileURLWithPath: path)), source: name)
            for hit in report.hits {
                let text = Self.contexts(hit)
                switch hit.id {
                case "referral.commission_on_deposits", "referral.multi_level_commission":
                    if !Self.holds(text, Self.referralWords) { problems.append("\(name) \(hit.id): \(text)") }
                    if hit.id == "referral.multi_level_commission", !text.contains("%"), !Self.holds(text, Self.levelWords) {
                        problems.append("\(name) \(hit.id) quotes no percentage or level: \(text)")
                    }
                case "returns.principal_returned":
                    if !Self.holds(text, Self.principalWords) { problems.append("\(name) \(hit.id): \(text)") }
                default: break
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
