import ArgumentParser
import Foundation
import ScamSift
import ScamSiftLearn

struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Teach the text model labeled pages (or take them back with --forget).",
        discussion: """
        Like SpamAssassin's sa-learn: every page's words (and pairs of characters in scripts written \
        without spaces) are counted as scam or legit in a SQLite database, which `score`, `batch` and \
        `evaluate` add to the built-in text model. Learning is incremental: a page already learned \
        with the same label is skipped, one learned with the other label is moved. Pages are known \
        by the SHA-256 of their bytes. Exit 2 on unusable input.
        """
    )

    @OptionGroup var labeledPages: LabeledPageOptions

    @Option(help: ArgumentHelp("The database. Default: $XDG_DATA_HOME/scamsift/learned.sqlite.", valueName: "path"))
    var db: String?

    @Flag(help: "Take the given pages back out of the database instead.")
    var forget = false

    @Option(help: ArgumentHelp("Write the database's model in the text form of Rules/text-model.tsv.", valueName: "tsv"))
    var export: String?

    @Flag(name: [.short, .long], help: "Print only errors.")
    var quiet = false

    @OptionGroup var ruleOptions: RuleOptions

    func validate() throws {
        if labeledPages.isEmpty && export == nil {
            throw ValidationError("give pages with --scam, --legit or --manifest (or --export)")
        }
    }

    func run() throws {
        let path = db ?? LearnedStore.defaultPath()
        let store: LearnedStore
        do { store = try LearnedStore(path: path, create: true) } catch { throw CLI.fail("\(error)") }
        let pages = try labeledPages.pages()
        var tally: [LearnedStore.Outcome: Int] = [:]
        var failed = 0
        if !pages.isEmpty {
            var engine = Engine(rules: try CLI.loadRules(ruleOptions))
            engine.textModel = nil
            engine.keepTokens = true
            let outcomes = ParallelScorer.score(paths: pages.map(\.path), engine: engine)
            for (page, outcome) in zip(pages, outcomes) where page.label != .ambiguous {
                guard case let .report(report) = outcome, let data = try? Data(contentsOf: URL(fileURLWithPath: page.path)) else {
                    if case let .failure(_, message, _) = outcome { CLI.stderr("scamsift: \(page.path): \(message)") }
                    failed += 1
                    continue
                }
                let sha = SHA256.hex(data)
                do {
                    let result = forget ? try store.forget(sha256: sha)
                        : try store.learn(sha256: sha, isScam: page.label == .scam, path: page.path, tokens: report.tokenHashes ?? [])
                    tally[result, default: 0] += 1
                } catch {
                    throw CLI.fail("\(path): \(error)")
                }
            }
        }
        do {
            if let export {
                try Data(TextModelFile.write(try store.model()).utf8).write(to: URL(fileURLWithPath: export))
            }
            let s = try store.summary()
            if !quiet {
                let done = tally.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                print("\(done.isEmpty ? "nothing learned" : done); \(path) holds \(s.scamPages) scam and \(s.legitPages) legit pages, \(s.tokens) tokens")
            }
        } catch { throw CLI.fail("\(error)") }
        if failed > 0 { throw ExitCode(2) }
    }
}
