import ArgumentParser
import Foundation
import ScamSift

struct RulesNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented template rules file with one rule, ready to edit, lint and test.",
        discussion: "Writes to standard output, or to --out FILE (never over an existing file)."
    )

    @Argument(help: ArgumentHelp("The new rule's id: category.name, lowercase words joined by _.", valueName: "id"))
    var id: String

    @Option(name: [.short, .long], help: ArgumentHelp("Write the file here instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if !RuleTemplate.isValidID(id) { throw ValidationError("'\(id)' is not a rule id: write category.name, lowercase, such as custom.verification_deposit") }
    }

    func run() throws {
        let yaml = RuleTemplate.yaml(id: id)
        guard let out else { print(yaml, terminator: ""); return }
        if FileManager.default.fileExists(atPath: out) { throw CLI.fail("\(out): already exists; not overwritten") }
        guard FileManager.default.createFile(atPath: out, contents: Data(yaml.utf8)) else { throw CLI.fail("\(out): cannot write the file there") }
        CLI.stderr("wrote \(out): edit it, then `scamsift rules lint \(out)` and `scamsift rules test \(out)`")
    }
}
