import Foundation
import PackagePlugin

/// Embeds the package's `Rules/*.yaml`, `Rules/lexicon/*.yaml`, `Rules/text-model.tsv` and the
/// message catalogues `Catalog/*.yaml` into the ScamSift module at build time, so a copied
/// `scamsift` binary still knows its built-in rules and speaks its languages.
@main
struct EmbedRulesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        // The rules, then the concept lexicons in Rules/lexicon/.
        let rulesDir = context.package.directoryURL.appending(path: "Rules")
        func yamlFiles(_ dir: URL) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
        // And the built-in text model, when there is one.
        let model = rulesDir.appending(path: "text-model.tsv")
        let files = try yamlFiles(rulesDir) + yamlFiles(rulesDir.appending(path: "lexicon"))
            + (FileManager.default.fileExists(atPath: model.path) ? [model] : [])
            + yamlFiles(context.package.directoryURL.appending(path: "Catalog"))
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInRuleFiles.swift")
        // The tool is given the folders and lists them itself when it runs: the list made here
        // is kept with the build plan, which a file new to a folder does not renew, so a new
        // lexicon was left out of the build until something else renewed the plan. The folders
        // are inputs too, as adding or removing a file changes a folder.
        let folders = [rulesDir, rulesDir.appending(path: "lexicon"), context.package.directoryURL.appending(path: "Catalog")]
        return [
            .buildCommand(
                displayName: "Embedding the built-in rules and message catalogues",
                executable: try context.tool(named: "EmbedRules").url,
                arguments: [output.path] + folders.map(\.path),
                inputFiles: files + folders,
                outputFiles: [output]
            )
        ]
    }
}
