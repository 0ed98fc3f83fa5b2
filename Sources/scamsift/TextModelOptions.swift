import ArgumentParser
import Foundation
import ScamSift
import ScamSiftLearn

/// Which token model judges a page's words, for every command that scores.
struct TextModelOptions: ParsableArguments {
    @Option(name: .customLong("text-model"), help: ArgumentHelp(
        "A learned database (`scamsift learn --db`) whose pages are added to the built-in text model. Default: $XDG_DATA_HOME/scamsift/learned.sqlite when it exists.",
        valueName: "db"))
    var database: String?

    @Flag(name: .customLong("no-text-model"), help: "Leave the text model out (its line and its points).")
    var off = false

    /// Sets the engine's text model: the built-in one plus the learned pages, or none.
    func configure(_ engine: inout Engine) throws {
        if off { engine.textModel = nil; return }
        let path = database ?? LearnedStore.defaultPath()
        guard database != nil || FileManager.default.fileExists(atPath: path) else { return }
        do {
            let learned = try LearnedStore(path: path, create: false).model()
            var model = engine.textModel ?? TextModel()
            model.add(learned)
            engine.textModel = model
        } catch {
            throw CLI.fail("\(error)")
        }
    }
}
