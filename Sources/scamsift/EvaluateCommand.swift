import ArgumentParser
import Foundation
import ScamSift

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure the rules on labeled pages: confusion matrices, precision, recall, ROC AUC, and a per-rule table.",
        discussion: """
        Labels come from folder names (scam/, legit/, and ambiguous/, reported but not counted) or from a TSV \
        manifest with 'file' and 'label' columns. Exit 1 when --fail-under-precision or --fail-under-recall \
        is not met at the likely-scam cut-off, 2 on unusable input.
        """
    )

    @Argument(help: ArgumentHelp("Folders of labeled pages, or TSV manifests.", valueName: "dir|manifest"))
    var inputs: [String]

    @OptionGroup var ruleOptions: RuleOptions

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Option(name: .customLong("fail-under-precision"), help: "Exit 1 when precision at the likely-scam cut-off is below this (0–1).")
    var minPrecision: Double?

    @Option(name: .customLong("fail-under-recall"), help: "Exit 1 when recall at the likely-scam cut-off is below this (0–1).")
    var minRecall: Double?

    @Option(name: .customLong("by"), help: ArgumentHelp("Also break the figures down: 'lang' gives precision and recall per language (told from each page's text).", valueName: "lang"))
    var breakdown: Breakdown?

    enum Breakdown: String, ExpressibleByArgument { case lang }

    @Flag(help: "Also print where the time went (parse, extraction, matching, scoring) on standard error.")
    var timings = false

    @Flag(help: "List the offers found instead: one line per page (label, file, offers with their yearly return), then how many pages promise 100% a year or more.")
    var offers = false

    func validate() throws {
        for value in [minPrecision, minRecall].compactMap({ $0 }) where !(0...1).contains(value) {
            throw ValidationError("--fail-under-precision and --fail-under-recall take a number from 0 to 1")
        }
    }

    func run() throws {
        let rules = try CLI.loadRules(ruleOptions)
        let pages: [LabeledPage]
        do { pages = try LabeledCorpus.load(inputs) } catch { throw CLI.fail("\(error)") }
        let clock = Date()
        let accumulator = timings ? StageTimings.Accumulator() : nil
        let evaluation = Evaluation.run(pages: pages, engine: Engine(rules: rules), timings: accumulator)
        switch format {
        case .text where offers: print(EvaluationFormatter.offers(evaluation), terminator: "")
        case .text: print(EvaluationFormatter.text(evaluation, byLanguage: breakdown == .lang), terminator: "")
        case .json: print(ReportFormatter.jsonDocument(evaluation))
        }
        if let accumulator {
            CLI.stderr(EvaluationFormatter.timings(accumulator.value, wallSeconds: Date().timeIntervalSince(clock)))
        }
        var failed = false
        if let p = minPrecision, evaluation.atLikelyScam.precision < p {
            CLI.stderr(String(format: "scamsift: precision %.3f is below %.3f", evaluation.atLikelyScam.precision, p)); failed = true
        }
        if let r = minRecall, evaluation.atLikelyScam.recall < r {
            CLI.stderr(String(format: "scamsift: recall %.3f is below %.3f", evaluation.atLikelyScam.recall, r)); failed = true
        }
        if failed { throw ExitCode(1) }
    }
}
