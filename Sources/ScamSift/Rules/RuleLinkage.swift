import Foundation

/// Steps 1–3 of building a rule set: rules from every file gathered under unique ids, concepts
/// expanded, overrides and disables applied in file order, references resolved and ordered.
/// Every cross-file problem is found here, without compiling any matcher, so `rules lint` can
/// check files that also have problems of their own.
struct RuleLinkage {
    var specs: [RuleSpec] = []
    var index: [String: Int] = [:]
    var concepts: ConceptTable
    var writtenWeights: [Int] = []
    var overriddenBy: [String?] = []
    var disabledBy: [String?] = []
    var cutoffs = VerdictCutoffs.standard
    var cutoffsSource: String?
    var textModelWeight: Int?
    var textModelWeightSource: String?
    /// Rules in an order where every rule comes after those it reads.
    var order: [Int] = []
    /// Sorted; the files' own warnings included.
    var problems: [RuleFileError]

    var hasErrors: Bool { problems.contains { $0.severity == .error } }

    /// - Parameter unreadable: ids of rules that exist but could not be read (lint reads files
    ///   with errors too); naming them is not reported as naming an unknown rule.
    init(files: [RuleFile], unreadable: Set<String> = []) {
        var problems: [RuleFileError] = files.flatMap(\.warnings)
        func error(_ location: SourceLocation, _ message: String) { problems.append(RuleFileError(location, message)) }

        // 1. Collect rules; ids are unique across all files.
        var specs: [RuleSpec] = []
        var index: [String: Int] = [:]
        for file in files {
            for rule in file.rules {
                if let first = index[rule.id] {
                    error(rule.location, "duplicate rule id '\(rule.id)' (first defined at \(specs[first].location))")
                    continue
                }
                index[rule.id] = specs.count
                specs.append(rule)
            }
        }
        let ids = specs.map(\.id)
        let categories = Set(specs.map(\.category))

        // 1b. Concepts: `{deposit}` in phrases, near lists, negations and regexes becomes the
        //     concept's phrases in every loaded language.
        let concepts = ConceptTable(files: files) { problems.append(RuleFileError($0, $1, severity: .warning)) }
        for i in specs.indices {
            specs[i] = ConceptExpander.expand(specs[i], table: concepts, report: error) {
                problems.append(RuleFileError($0, $1, severity: .warning))
            }
        }

        // 2. Overrides and disables, in file order: a later file wins.
        let writtenWeights = specs.map(\.weight)
        var overriddenBy = [String?](repeating: nil, count: specs.count)
        var disabledBy = [String?](repeating: nil, count: specs.count)
        var cutoffs = VerdictCutoffs.standard
        var cutoffsSource: String?
        var textModelWeight: Int?, textModelWeightSource: String?
        for file in files {
            for o in file.overrides {
                guard let i = index[o.id] else {
                    if unreadable.contains(o.id) { continue }
                    error(o.location, "override names unknown rule '\(o.id)'" + Suggest.didYouMean(o.id, among: ids))
                    continue
                }
                if let w = o.weight { specs[i].weight = w }
                if let p = o.perHit { specs[i].perHit = p == 0 ? nil : p }
                if let d = o.descriptions { specs[i].descriptions = d }
                overriddenBy[i] = file.path
            }
            for ref in file.disable.ids {
                guard let i = index[ref.name] else {
                    if unreadable.contains(ref.name) { continue }
                    error(ref.location, "disable names unknown rule '\(ref.name)'" + Suggest.didYouMean(ref.name, among: ids))
                    continue
                }
                disabledBy[i] = file.path
            }
            for ref in file.disable.categories {
                guard categories.contains(ref.name) else {
                    error(ref.location, "disable names unknown category '\(ref.name)'" + Suggest.didYouMean(ref.name, among: categories.sorted()))
                    continue
                }
                for i in specs.indices where specs[i].category == ref.name { disabledBy[i] = file.path }
            }
            if let v = file.verdicts { cutoffs = v; cutoffsSource = file.path }
            if let w = file.textModelWeight { textModelWeight = w; textModelWeightSource = file.path }
        }

        // 3. References: they exist, they form no cycle, and every helper is used.
        var used = Set<String>()
        for spec in specs {
            for ref in spec.references {
                used.insert(ref.name)
                if index[ref.name] == nil, !unreadable.contains(ref.name) {
                    error(ref.location, "rule '\(spec.id)' refers to unknown rule '\(ref.name)'" + Suggest.didYouMean(ref.name, among: ids))
                }
            }
            for ref in spec.outside {
                if let i = index[ref.name], specs[i].opensSection == nil {
                    error(ref.location, "rule '\(spec.id)' is kept outside the sections of '\(ref.name)', which opens none (give it 'opens_section: true')")
                }
            }
        }
        for spec in specs where spec.isHelper && !used.contains(spec.id) {
            problems.append(RuleFileError(spec.location, "helper rule '\(spec.id)' is used by no other rule", severity: .warning))
        }
        let order = RuleSet.topologicalOrder(specs, index: index, report: error)
        self.specs = specs
        self.index = index
        self.concepts = concepts
        self.writtenWeights = writtenWeights
        self.overriddenBy = overriddenBy
        self.disabledBy = disabledBy
        self.cutoffs = cutoffs
        self.cutoffsSource = cutoffsSource
        self.textModelWeight = textModelWeight
        self.textModelWeightSource = textModelWeightSource
        self.order = order
        self.problems = problems.sorted()
    }
}
