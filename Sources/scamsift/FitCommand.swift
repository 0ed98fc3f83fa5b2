import ArgumentParser
import Foundation
import ScamSift

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit rule weights on labeled pages and write them as a scores file (a rules file of overrides).",
        discussion: """
        Scores every page with all loaded rules, fits an L2-regularised logistic regression over which \
        rules fired (a rule's fitted weight keeps the sign of its hand weight), and writes each rule's \
        points and the verdict cut-offs. The text model is one more column (unless --no-text-model): how \
        far a page's words lean to "scam", from token models that never learned the page's site; its \
        points are the file's text_model weight. The likely-scam cut-off is chosen on grouped cross-validation \
        for --target-precision. Prints grouped cross-validation figures of the whole recipe. The same \
        inputs give a byte-identical file. Exit 2 on unusable input.
        """
    )

    @OptionGroup var labeledPages: LabeledPageOptions

    @Option(help: ArgumentHelp("Where to write the scores file.", valueName: "file"))
    var out: String

    @Option(name: .customLong("inputs-out"), help: ArgumentHelp("Also write the pages used (path, label, site, SHA-256) as a manifest.", valueName: "tsv"))
    var inputsOut: String?

    @Option(help: "Folds of the grouped cross-validation (2 or more).")
    var cv = 5

    @Option(help: "L2 penalty on the coefficients.")
    var l2 = 0.0003

    @Option(name: .customLong("max-coefficient"), help: "The largest fitted log-odds of one rule.")
    var maxCoefficient = 1.0

    @Option(name: .customLong("target-precision"), help: "Precision wanted at the likely-scam cut-off (0–1).")
    var targetPrecision = 0.97

    // Not a rule's points but log-odds: 1.2 × a cap of 1 keeps the cut-off above one capped rule
    // and a fifth of a second (CutoffChoice.floorOverOneRule says why 1.2).
    @Option(name: .customLong("one-rule-floor"), help: "Keep the likely-scam cut-off above this many times --max-coefficient, so that one rule alone never reaches it (0: no floor).")
    var oneRuleFloor = 1.2

    @Flag(help: "Also print every rule's fitted points beside its hand weight.")
    var weights = false

    @Flag(name: .customLong("no-text-model"), help: "Fit the rules alone, without the text model's column.")
    var noTextModel = false

    @Option(name: .customLong("text-model-out"), help: ArgumentHelp("Also write the token model trained on all the pages, in the text form of Rules/text-model.tsv (tokens seen on at least --min-token-pages pages).", valueName: "tsv"))
    var textModelOut: String?

    // 3 loses nothing: a token seen on 2 pages or fewer stays within 0.1 of 0.5 (see TextModel)
    // and never counts.
    @Option(name: .customLong("min-token-pages"), help: "Leave out of --text-model-out the tokens seen on fewer pages than this.")
    var minTokenPages = TextModel.leastCountedPages

    @OptionGroup var ruleOptions: RuleOptions

    func validate() throws {
        if labeledPages.isEmpty { throw ValidationError("give pages with --scam, --legit or --manifest") }
        if cv < 2 { throw ValidationError("--cv takes 2 or more") }
        if !(l2 > 0) { throw ValidationError("--l2 takes a number above 0") }
        if !(maxCoefficient > 0) { throw ValidationError("--max-coefficient takes a number above 0") }
        if !(0...1).contains(targetPrecision) { throw ValidationError("--target-precision takes a number from 0 to 1") }
        if !(oneRuleFloor >= 0) || !oneRuleFloor.isFinite { throw ValidationError("--one-rule-floor takes a number of 0 or more") }
    }

    func run() throws {
        let rules = try CLI.loadRules(ruleOptions)
        let pages = try labeledPages.pages()
        let (table, _, skipped) = FitSession.table(pages: pages, rules: rules, textModel: !noTextModel, tokens: textModelOut != nil)
        for path in skipped { CLI.stderr("scamsift: \(path): could not be scored, left out of the fit") }
        let scam = table.examples.filter(\.isScam).count
        guard scam > 0, scam < table.examples.count else { throw CLI.fail("the fit needs both scam and legit pages") }
        let fitter = ScoreFitter(options: .init(l2: l2, maxCoefficient: maxCoefficient), scale: PointsScale(),
                                 cutoffChoice: CutoffChoice(targetPrecision: targetPrecision, floorOverOneRule: oneRuleFloor), folds: cv)
        let validation = fitter.crossValidate(table, k: cv)
        let fitted = fitter.fit(table)
        do {
            try Data(ScoresFile.yaml(fitted, table: table, fitter: fitter, validation: validation).utf8).write(to: URL(fileURLWithPath: out))
            if let textModelOut {
                try Data(TextModelFile.fitted(table, minPages: minTokenPages).utf8).write(to: URL(fileURLWithPath: textModelOut))
            }
            if let inputsOut {
                try Data(FitInputs.record(pages, manifestPath: inputsOut).utf8).write(to: URL(fileURLWithPath: inputsOut))
            }
        } catch { throw CLI.fail("\(error)") }
        print(FitFormatter.crossValidation(validation, title: "Fitted weights"))
        if weights { print(FitFormatter.weights(fitted, table: table)) }
        print("Wrote \(out): suspicious from \(fitted.cutoffs.suspicious), likely-scam from \(fitted.cutoffs.likelyScam)")
    }
}
