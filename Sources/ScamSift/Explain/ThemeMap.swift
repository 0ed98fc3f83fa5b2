import Foundation
import Yams

/// Which theme a reason belongs to, for the headline: what the site does ("pays first",
/// "fixed returns", "recruiting", …). Read from `Catalog/themes.yaml`: each rule category has a
/// theme, and single rules may have their own. A reason without a theme still shows in the
/// report; it just does not shape the headline.
public struct ThemeMap: Sendable {
    /// Category → theme.
    public let categories: [String: String]
    /// Rule id → theme, beating its category's.
    public let rules: [String: String]
    /// Every theme, in the order the file lists them under `themes:`.
    public let themes: [String]

    public func theme(rule: String, category: String) -> String? {
        rules[rule] ?? categories[category]
    }

    public static func parse(_ text: String, file: String) throws -> ThemeMap {
        // Without Yams when the file has the plain shape of the built-in one (see `PlainYAML`)
        // and every name maps to a listed theme; otherwise Yams's reading words the problem.
        if let fields = PlainYAML.read(text), case let .sequence(themes)? = fields["themes"] {
            func table(_ key: String) -> [String: String]? {
                switch fields[key] {
                case nil: return [:]
                case let .mapping(m)? where m.values.allSatisfy(themes.contains): return m
                default: return nil
                }
            }
            if let categories = table("categories"), let rules = table("rules") {
                return ThemeMap(categories: categories, rules: rules, themes: themes)
            }
        }
        return try parseYAML(text, file: file)
    }

    static func parseYAML(_ text: String, file: String) throws -> ThemeMap {
        guard case let .mapping(map)? = try Yams.compose(yaml: text, .basic) else {
            throw Catalog.Problem(file: file, line: 1, message: "expected a mapping with 'themes', 'categories' and 'rules'")
        }
        let themes = map[Node("themes")]?.sequence?.compactMap { $0.scalar?.string } ?? []
        func table(_ key: String) throws -> [String: String] {
            guard let node = map[Node(key)] else { return [:] }
            guard case let .mapping(entries) = node else { throw Catalog.Problem(file: file, line: node.mark?.line ?? 1, message: "'\(key)' must be a mapping") }
            var out: [String: String] = [:]
            for (k, v) in entries {
                guard let name = k.scalar?.string, let theme = v.scalar?.string, themes.contains(theme) else {
                    throw Catalog.Problem(file: file, line: k.mark?.line ?? 1, message: "'\(key)' maps names to one of the listed themes")
                }
                out[name] = theme
            }
            return out
        }
        return ThemeMap(categories: try table("categories"), rules: try table("rules"), themes: themes)
    }

    public static let builtIn: ThemeMap = {
        guard let file = BuiltInRuleFiles.catalogs.first(where: { $0.name == "Catalog/themes.yaml" }) else {
            return ThemeMap(categories: [:], rules: [:], themes: [])
        }
        do { return try parse(file.text, file: file.name) } catch { fatalError("built-in themes: \(error)") }
    }()
}
