import Foundation

/// Where custom rules come from, in the order they are loaded (a later file's `override`,
/// `disable` and `verdicts` win over an earlier one's):
///
/// 1. the built-in rules (unless turned off);
/// 2. the user folder: `$XDG_CONFIG_HOME/scamsift/rules`, or `~/.config/scamsift/rules`;
/// 3. each path in `SCAMSIFT_RULES` (separated by `:`), in order;
/// 4. each `--rules` path, in the order given.
///
/// A folder means every `*.yaml` / `*.yml` file in it (then in its `lexicon/` folder), sorted by
/// name; a folder named in 3 or 4 that holds none is an error.
public struct RuleSources: Sendable {
    public var includeBuiltIn: Bool
    /// The user folder and `SCAMSIFT_RULES` (off with `--no-user-rules`).
    public var includeUser: Bool
    public var commandLine: [String]
    public var environment: [String: String]

    public init(includeBuiltIn: Bool = true, includeUser: Bool = true, commandLine: [String] = [],
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.includeBuiltIn = includeBuiltIn
        self.includeUser = includeUser
        self.commandLine = commandLine
        self.environment = environment
    }

    /// The user's own rules folder, whether or not it exists.
    public var userFolder: String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return (xdg as NSString).appendingPathComponent("scamsift/rules")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/scamsift/rules")
    }

    /// Custom rule paths (files or folders) in load order. The user folder is included only when
    /// it holds a rules file (it may exist empty; a folder named on the command line or in
    /// `SCAMSIFT_RULES` may not).
    public var customPaths: [String] {
        var paths: [String] = []
        guard includeUser else { return commandLine }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: userFolder, isDirectory: &isDir), isDir.boolValue,
           !RulePaths.rulesFiles(in: userFolder).isEmpty { paths.append(userFolder) }
        if let list = environment["SCAMSIFT_RULES"] {
            paths += list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return paths + commandLine
    }

    /// The text of every rules file to load, built-ins first, then custom files in load order.
    public func texts() throws -> [RuleText] {
        var texts = includeBuiltIn ? BuiltInRuleFiles.all.map { RuleText(name: $0.name, text: $0.text, builtIn: true) } : []
        var problems: [RuleFileError] = []
        for path in try RulePaths.expand(customPaths) {
            do { texts.append(RuleText(name: path, text: try RuleFileLoader.read(path: path), builtIn: false)) } catch let e as RuleLoadError { problems += e.problems }
        }
        if !problems.isEmpty { throw RuleLoadError(problems: problems.sorted()) }
        return texts
    }

    /// Every rules file to load, parsed, built-ins first, then custom files in load order.
    public func loadFiles() throws -> [RuleFile] {
        try Self.parse(texts())
    }

    /// Parses rules files, all at once on all cores (YAML parsing is a large part of building
    /// the rules, and files are independent), reporting the problems of every file.
    static func parse(_ texts: [RuleText]) throws -> [RuleFile] {
        let results = ResultSlots<Result<RuleFile, Error>>(count: texts.count)
        DispatchQueue.concurrentPerform(iterations: texts.count) { i in
            results[i] = Result { try RuleFileLoader.parse(text: texts[i].text, file: texts[i].name, trusted: texts[i].builtIn) }
        }
        var files: [RuleFile] = [], problems: [RuleFileError] = []
        for result in results.values() {
            switch result {
            case let .success(file): files.append(file)
            case let .failure(e as RuleLoadError): problems += e.problems
            case let .failure(e): throw e
            }
        }
        if !problems.isEmpty { throw RuleLoadError(problems: problems.sorted()) }
        return files
    }

    /// The rule set these sources make: read from `cache` when an earlier run with the same
    /// executable compiled the same files (see `RuleSetCache`), built and stored there otherwise.
    public func load(cache: RuleSetCache? = nil) throws -> RuleSet {
        let texts = try texts()
        let cache = cache ?? RuleSetCache(environment: environment)
        let key = cache.folder == nil ? nil : RuleSetSnapshot.key(texts)
        let version = RuleSetSnapshot.version(texts)
        let sources = (includeBuiltIn ? ["built-in"] : []) + texts.filter { !$0.builtIn }.map(\.name)
        if let key, var cached = cache.load(key: key) {
            cached.version = version
            cached.sources = sources
            return cached
        }
        var rules = try RuleSet(files: Self.parse(texts))
        rules.version = version
        rules.sources = sources
        if let key { cache.store(rules, key: key) }
        return rules
    }
}
