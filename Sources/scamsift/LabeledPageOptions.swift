import ArgumentParser
import ScamSift

/// Labeled pages given as folders and manifests, for `fit` and `learn`.
struct LabeledPageOptions: ParsableArguments {
    @Option(name: .customLong("scam"), help: ArgumentHelp("A folder of scam pages (repeatable).", valueName: "dir"))
    var scamFolders: [String] = []

    @Option(name: .customLong("legit"), help: ArgumentHelp("A folder of legitimate pages (repeatable).", valueName: "dir"))
    var legitFolders: [String] = []

    @Option(name: .customLong("manifest"), help: ArgumentHelp("A TSV manifest with 'file' and 'label' columns, and 'source_repo' for the site (repeatable).", valueName: "tsv"))
    var manifests: [String] = []

    var isEmpty: Bool { scamFolders.isEmpty && legitFolders.isEmpty && manifests.isEmpty }

    /// The pages, each once; a problem (a missing file, a bad manifest row) ends the command with exit 2.
    func pages() throws -> [LabeledPage] {
        do { return try FitInputs.pages(scam: scamFolders, legit: legitFolders, manifests: manifests) } catch { throw CLI.fail("\(error)") }
    }
}
