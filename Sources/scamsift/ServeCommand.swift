import ArgumentParser
import Foundation
import ScamSift
import ScamSiftServe

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a small web page on this machine: paste a site's address or upload a saved page, and read the report.",
        discussion: """
        The first line on standard output is the address it listens on (with --port 0, the port \
        the system chose). Nothing is stored: each page is kept in memory for its request only. \
        Pasted addresses are fetched with the same limits as `score URL`, and refused when they \
        (or a redirect) lead to this machine or a private network, unless --allow-private. Forms \
        posted from other sites are refused. Stop it with Ctrl-C.
        """
    )

    @Option(help: "The address to listen on (127.0.0.1: this machine only; 0.0.0.0: every network it is on).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 for any free port.")
    var port = 8080

    @Flag(name: .customLong("allow-private"), help: "Also fetch addresses on this machine or a private network (for testing your own pages).")
    var allowPrivate = false

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds a check may take in all: receiving the page, fetching, scoring.", valueName: "seconds"))
    var requestTimeout: Double = 60

    @OptionGroup(title: "Language (the default; ?lang= and the browser's languages come first)") var languageOptions: LanguageOptions

    @OptionGroup var ruleOptions: RuleOptions

    @OptionGroup var textModelOptions: TextModelOptions

    @OptionGroup(title: "Fetching (pasted addresses; --max-bytes also caps uploads)") var fetchOptions: FetchOptions

    func validate() throws {
        try fetchOptions.validateFetch()
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if !(requestTimeout > 0) { throw ValidationError("--request-timeout must be above 0") }
        if host.isEmpty { throw ValidationError("--host must name an address, such as 127.0.0.1") }
    }

    func run() async throws {
        let rules = try CLI.loadRules(ruleOptions)
        var engine = Engine(rules: rules)
        try textModelOptions.configure(&engine)
        var settings = ServeSettings()
        settings.host = host
        settings.port = port
        settings.fetch = fetchOptions.config
        settings.addresses = allowPrivate ? .any : .publicOnly
        settings.language = languageOptions.language
        settings.digits = languageOptions.digits
        settings.region = languageOptions.resolvedRegion
        settings.requestTimeout = requestTimeout
        do {
            try await ServeServer(settings: settings, engine: engine).run(stopOnSignals: true) { address in
                // The first line: tests and scripts read the address from it.
                FileHandle.standardOutput.write(Data("\(address.url)\n".utf8))
                CLI.stderr("scamsift: serving on \(address.url) (Ctrl-C to stop)")
            }
        } catch {
            throw CLI.fail("cannot serve on \(host):\(port): \(error)")
        }
    }
}
