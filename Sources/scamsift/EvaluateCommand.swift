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

    @OptionGroup var textModelOptions: TextModelOptions

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

    @Option(help: ArgumentHelp("Also run grouped K-fold cross-validation (by site): the loaded weights, and a fit made on the other folds (text output).", valueName: "K"))
    var cv: Int?

    func validate() throws {
        if let cv, cv < 2 { throw ValidationError("--cv takes 2 or more") }
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
        var engine = Engine(rules: rules)
        try textModelOptions.configure(&engine)
        // Cross-validation fits its own token models on the pages (out of fold): it needs their tokens.
        engine.keepTokens = cv != nil && !textModelOptions.off
        let outcomes = ParallelScorer.score(paths: pages.map(\.path), engine: engine, timings: accumulator)
        let evaluation = Evaluation.compute(pages: pages, outcomes: outcomes, rules: rules)
        switch format {
        case .text where offers: print(EvaluationFormatter.offers(evaluation), terminator: "")
        case .text: print(EvaluationFormatter.text(evaluation, byLanguage: breakdown == .lang), terminator: "")
            if let cv { print("\n" + crossValidation(k: cv, pages: pages, outcomes: outcomes, rules: rules), terminator: "") }
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

    /// The loaded weights and a fit, on the same grouped folds.
    func crossValidation(k: Int, pages: [LabeledPage], outcomes: [ScoreOutcome], rules: RuleSet) -> String {
        let (table, scores, _) = FitSession.table(pages: pages, outcomes: outcomes, rules: rules, textModel: !textModelOptions.off)
        let scam = table.examples.filter(\.isScam).count
        guard scam > 0, scam < table.examples.count else { return "Cross-validation needs both scam and legit pages.\n" }
        let loaded = CrossValidation.loadedWeights(table, scores: scores, cutoffs: rules.cutoffs, k: k)
        let fitted = ScoreFitter(folds: k).crossValidate(table, k: k)
        let note = "(nothing is trained for the loaded weights, so the folds only split the figures; when those weights were\n"
            + " fitted on these same pages, as the built-in ones are on Samples/ and the shared corpus, they are training-set figures)\n"
        return FitFormatter.crossValidation(loaded, title: "Loaded weights") + note + "\n"
            + FitFormatter.crossValidation(fitted, title: "Fitted on the other folds (scamsift fit, default options)")
    }
}
