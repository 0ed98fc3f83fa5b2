import Foundation
import Testing
@testable import ScamSift

/// Pages that show too little to judge get `unknown`, never `low-risk` (Engine/ContentCheck).
@Suite struct ContentCheckTests {
    static let engine = Engine(rules: .builtIn)

    static func report(_ html: String) throws -> Report {
        try engine.score(html: Data(html.utf8), source: "t")
    }

    static let filler = String(repeating: "Our team writes guides about gardening and cooking at home. ", count: 12)

    @Test(arguments: [
        ("<html><head><title>App</title></head><body><div id=\"app\"></div><script src=\"/js/app.js\"></script></body></html>", ThinContent.Kind.appShell),
        ("<html><head><title></title></head><body></body></html>", .emptyPage),
        ("<html><body><form><input name=\"phone\"><input type=\"password\" name=\"pw\"><button>Log in</button></form><p>Forgot password?</p></body></html>", .loginWall),
        ("<html><body><p>Welcome back. See you soon.</p></body></html>", .littleText),
    ])
    func aThinPageIsUnknownNotLowRisk(_ html: String, _ kind: ThinContent.Kind) throws {
        let r = try Self.report(html)
        #expect(r.thinContent?.kind == kind, "\(String(describing: r.thinContent))")
        #expect(r.verdict == .unknown)
        #expect(ReportFormatter.text(r).contains("Verdict: unknown (not enough content to judge"))
    }

    @Test func aPageWithEnoughTextIsJudged() throws {
        let r = try Self.report("<html><body><script src=\"a.js\"></script><p>\(Self.filler)</p></body></html>")
        #expect(r.thinContent == nil)
        #expect(r.verdict == .lowRisk)
    }

    /// A page saved from an app's source keeps its words in a <template>: they were read, so the
    /// page is judged on them. The same words hidden by a style leave it an app shell.
    @Test func aTemplatesWordsCountAsThePagesText() throws {
        let words = "<p>\(Self.filler)</p>"
        let template = try Self.report("<html><body><template>\(words)</template><script src=\"app.js\"></script></body></html>")
        #expect(template.thinContent == nil)
        #expect(template.verdict == .lowRisk)
        let styled = try Self.report("<html><body><div style=\"display:none\">\(words)</div><script src=\"app.js\"></script></body></html>")
        #expect(styled.thinContent?.kind == .appShell)
    }

    @Test func rulesCanStillRaiseAThinPage() throws {
        // A sign-in page of a task app: little text, but an invite-code field, a recharge link
        // and the fee it asks. (Recharge and VIP links alone weigh little in the fitted
        // weights: legit marketplaces quote them in their scam warnings.)
        let html = """
        <html><body><form action="/register"><input name="phone" placeholder="Phone">
        <input type="password" name="pw"><input name="invite" placeholder="Invitation code (required)">
        <button>Register</button></form><a href="/recharge">Recharge</a> <a href="/vip">VIP levels</a>
        <p>Activation fee: 300 BDT</p></body></html>
        """
        let r = try Self.report(html)
        #expect(r.thinContent?.kind == .loginWall)
        #expect(r.verdict != .unknown && r.verdict != .lowRisk, "\(r.score) \(r.hits.map(\.id))")
        #expect(ReportFormatter.text(r).contains("Content: not enough to judge: the page asks you to sign in first"))
    }

    @Test func textInScriptsWithoutSpacesCountsByCharacter() {
        #expect(ThinContent.count("充值升级 VIP 3") == 8)
        #expect(ThinContent.count("  ...  ") == 0)
    }

    @Test func jsonWritesEveryKeyNullWhenUnknown() throws {
        let r = try Self.report("<html><body><p>\(Self.filler)</p></body></html>")
        let json = ReportFormatter.json([.report(r)])
        for key in ["\"url\" : null", "\"thin_content\" : null", "\"declared_lang\" : null"] {
            #expect(json.contains(key), "\(key) missing")
        }
        let thin = ReportFormatter.json([.report(try Self.report("<html><body></body></html>"))])
        #expect(thin.contains("\"kind\" : \"empty-page\"") && thin.contains("\"text_characters\" : 0"))
    }

    @Test func theCommandExitsThreeWhenAPageCannotBeJudged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-thin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shell = dir.appendingPathComponent("shell.html"), article = dir.appendingPathComponent("article.html")
        try Data("<html><body><div id=\"root\"></div><script src=\"main.js\"></script></body></html>".utf8).write(to: shell)
        try Data("<html><body><p>\(Self.filler)</p></body></html>".utf8).write(to: article)
        #expect(try CLI.run(["score", article.path]).status == 0)
        let r = try CLI.run(["score", shell.path, article.path])
        #expect(r.status == 3, "\(r.stdout)")
        #expect(r.stdout.contains("Verdict: unknown"))
    }
}
