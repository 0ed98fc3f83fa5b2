import Foundation

/// The text model as a column of the fit, without letting it vouch for pages it learned.
///
/// A token model that learned a page knows its words and calls it right; fitted on such
/// values, the weights would trust the text model far more than it earns on new pages. So
/// each training page's value comes from a token model trained on the other folds of the
/// training pages (grouped by site, as everywhere in the fit: "stacking"), and a held-out
/// page's from one trained on all of them. The model that ships is trained on all the pages.
public enum TextStacking {
    /// A token model trained on the pages at `rows`.
    public static func model(_ table: FeatureTable, rows: [Int]) -> TextModel {
        var m = TextModel()
        for r in rows { m.learn(table.examples[r].tokens, isScam: table.examples[r].isScam) }
        return m
    }

    /// How far the page's words lean to "scam" (`TextModelHit.lean`), as the engine scores it;
    /// 0 when the model is unusable.
    static func value(_ model: TextModel, _ e: FitExample) -> Double {
        model.probability(e.tokens).map { TextModelHit.lean($0) } ?? 0
    }

    /// Fills `textValue` of the pages at `rows` from models trained on the other folds of `rows`.
    static func fillOutOfFold(_ table: inout FeatureTable, rows: [Int], folds: Int) {
        guard table.textColumn != nil else { return }
        let groups = rows.map { table.examples[$0].group }
        let k = GroupedFolds.count(groups: groups, k: folds)
        guard k >= 2 else {
            for r in rows { table.examples[r].textValue = 0 }
            return
        }
        let fold = GroupedFolds.assign(groups: groups, isScam: rows.map { table.examples[$0].isScam }, k: k)
        for f in 0..<k {
            let train = rows.indices.filter { fold[$0] != f }.map { rows[$0] }
            let m = model(table, rows: train)
            for local in rows.indices where fold[local] == f {
                table.examples[rows[local]].textValue = value(m, table.examples[rows[local]])
            }
        }
    }

    /// Fills `textValue` of the pages at `rows` from a model trained on the pages at `train`.
    static func fill(_ table: inout FeatureTable, rows: [Int], from train: [Int]) {
        guard table.textColumn != nil else { return }
        let m = model(table, rows: train)
        for r in rows { table.examples[r].textValue = value(m, table.examples[r]) }
    }
}
