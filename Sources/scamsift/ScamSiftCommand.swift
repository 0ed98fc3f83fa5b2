import ArgumentParser
import ScamSift

@main
struct ScamSiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scamsift",
        abstract: "Tells whether an \"earn money online\" site is a real marketplace or an investment-first scam.",
        version: ReportFormatter.version,
        subcommands: [ScoreCommand.self],
        defaultSubcommand: nil
    )
}
