import Foundation

/// Where custom rules come from, in the order they are loaded (a later file's `override`,
/// `disable` and `verdicts` win over an earlier one's):
///
/// 1. the built-in rules (unless turned off);
/// 2. the user folder: `$XDG_CONFIG_HOME/scamsift/rules`, or `~/.config/scamsift/rules`;
/// 3. each path in `SCAMSIFT_RULES` (separated by `:`), in order;
/// 4. each `--rules` path, in the order given.
///
/// A folder means every `*.yaml` / `*.yml` file in it, sorted by name.
public struct RuleSources: Sendable {
    public var includeBuiltIn: Bool
    public var commandLine: [String]
    public var environment: [String: String]

    public init(includeBuiltIn: Bool = true, commandLine: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.includeBuiltIn = includeBuiltIn
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

    /// Custom rule paths (files or folders) in load order. The user folder is included only when it exists.
    public var customPaths: [String] {
        var paths: [String] = []
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: userFolder, isDirectory: &isDir), isDir.boolValue { paths.append(userFolder) }
        if let list = environment["SCAMSIFT_RULES"] {
            paths += list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return paths + commandLine
    }

    /// Every rules file to load, built-ins first, then custom files in load order.
    public func loadFiles() throws -> [RuleFile] {
        var files = includeBuiltIn ? try RuleSet.builtInFiles() : []
        var problems: [RuleFileError] = []
        for path in try RulePaths.expand(customPaths) {
            do { files.append(try RuleFileLoader.load(path: path)) } catch let e as RuleLoadError { problems += e.problems }
        }
        if !problems.isEmpty { throw RuleLoadError(problems: problems.sorted()) }
        return files
    }

    public func load() throws -> RuleSet {
        try RuleSet(files: loadFiles())
    }
}
