import Foundation
import Yams

/// One rules file as far as it could be read (see `RuleFileLoader.read(text:file:trusted:)`).
public struct RuleFileReading: Sendable {
    /// Nil when nothing could be read (not YAML, too large, an expansion bomb).
    public var file: RuleFile?
    public var problems: [RuleFileError]
    /// Ids of rules that are there but could not be read: other rules may name them.
    public var unreadableRuleIDs: Set<String> = []

    public var hasErrors: Bool { problems.contains { $0.severity == .error } }
}

/// Reads one rules file into a `RuleFile`, checking everything that can be checked
/// inside one file. Problems found across files are checked by `RuleSet`.
public enum RuleFileLoader {
    /// Rules files above this size are refused before YAML sees them.
    public static let maxFileBytes = 1024 * 1024

    static let topKeys = ["rules", "override", "disable", "verdicts", "text_model", "tests", "lexicon", "language", "name", "stopwords", "concepts"]
    static let ruleKeys = ["id", "category", "description", "weight", "per_hit", "max_hits", "target", "phrases", "regex",
                           "near", "xpath", "min_count", "all", "any", "not", "n_of", "unless", "outside", "opens_section", "negated_by", "examples",
                           "allow_slow", "offer"]
    static let matcherKeys = ["phrases", "regex", "near", "xpath", "all", "any", "not", "n_of", "offer"]

    public static func load(path: String, displayName: String? = nil) throws -> RuleFile {
        try parse(text: read(path: path, displayName: displayName), file: displayName ?? path)
    }

    /// The text of a rules file, refused when it cannot be read, is too large or is not UTF-8.
    public static func read(path: String, displayName: String? = nil) throws -> String {
        let name = displayName ?? path
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > maxFileBytes {
                throw RuleLoadError(problems: [RuleFileError(file: name, line: 1, column: 1,
                    message: "the file is \(size) bytes, above the limit of \(maxFileBytes) bytes for a rules file")])
            }
            // Read as pages are (`readFile`), not with `Data(contentsOf:)`: the `rules` fuzz
            // target once saw Foundation's reader leak a 4 KB buffer here.
            switch readFile(path) {
            case let .success(read): data = read
            case let .failure(problem):
                throw RuleLoadError(problems: [RuleFileError(file: name, line: 1, column: 1, message: problem.message)])
            }
        } catch let error as RuleLoadError {
            throw error
        } catch {
            throw RuleLoadError(problems: [RuleFileError(file: name, line: 1, column: 1, message: "cannot read the file: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleLoadError(problems: [RuleFileError(file: name, line: 1, column: 1, message: "the file is not UTF-8 text")])
        }
        return text
    }

    public static func parse(text: String, file: String, trusted: Bool = false) throws -> RuleFile {
        let reading = read(text: text, file: file, trusted: trusted)
        guard let result = reading.file, !reading.hasErrors else { throw RuleLoadError(problems: reading.problems) }
        return result
    }

    /// Everything of one file that could be read, with every problem found in it. `parse` refuses
    /// a file with errors; `rules lint` goes on to check the rest of it against the other files.
    public static func read(text: String, file: String, trusted: Bool = false) -> RuleFileReading {
        if text.utf8.count > maxFileBytes {
            return RuleFileReading(problems: [RuleFileError(file: file, line: 1, column: 1,
                message: "the file is \(text.utf8.count) bytes, above the limit of \(maxFileBytes) bytes for a rules file")])
        }
        let root: Node?
        do {
            // The basic resolver tags nothing: the reader checks types itself, and the default
            // resolver's regexes for every scalar cost a large part of start-up.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            return RuleFileReading(problems: [yamlProblem(error, file: file)])
        } catch {
            return RuleFileReading(problems: [RuleFileError(file: file, line: 1, column: 1, message: "YAML error: \(error)")])
        }
        var reader = YAMLReader(file: file)
        reader.trusted = trusted
        var result = RuleFile(path: file)
        var unreadable = Set<String>()
        if let root, !reader.checkExpansion(root) {
            return RuleFileReading(problems: reader.problems)
        }
        guard let root else {
            reader.warning(nil, "the file holds no rules")
            result.warnings = reader.problems
            return RuleFileReading(file: result, problems: reader.problems)
        }
        if let entries = reader.mapping(root, what: "a rules file", known: topKeys) {
            for (key, _, value) in entries {
                switch key {
                case "rules":
                    for item in reader.sequence(value, what: "'rules'") ?? [] {
                        if let rule = readRule(item, reader: &reader) {
                            result.rules.append(rule)
                        } else if let id = item.mapping?["id"]?.string {
                            unreadable.insert(id)
                        }
                        if reader.exhausted { break }
                    }
                case "override":
                    for item in reader.sequence(value, what: "'override'") ?? [] {
                        if let o = readOverride(item, reader: &reader) { result.overrides.append(o) }
                    }
                case "disable":
                    result.disable = readDisable(value, reader: &reader)
                case "verdicts":
                    result.verdicts = readVerdicts(value, reader: &reader)
                    result.verdictsLocation = reader.location(value)
                case "text_model":
                    result.textModelWeight = readTextModel(value, reader: &reader)
                case "tests":
                    for item in reader.sequence(value, what: "'tests'") ?? [] {
                        if let t = readTest(item, reader: &reader) { result.tests.append(t) }
                    }
                case "lexicon", "concepts":
                    result.concepts = LexiconReader.concepts(value, what: "'\(key)'", reader: &reader)
                    result.conceptsLocation = reader.location(value)
                case "language":
                    result.language = reader.string(value, what: "'language'")
                    if let code = result.language { LexiconReader.checkLanguage(code, node: value, reader: &reader) }
                case "name":
                    result.languageName = reader.string(value, what: "'name'")
                case "stopwords":
                    result.stopwords = LexiconReader.stopwords(value, reader: &reader)
                default:
                    break
                }
            }
            let keys = Set(entries.map(\.key))
            if keys.contains("concepts"), !keys.contains("language") {
                reader.error(root, "a lexicon file ('concepts:') needs 'language:', its language code (such as fr); a rules file extends concepts under 'lexicon:'")
            }
            if keys.contains("language"), !keys.contains("concepts") {
                reader.error(root, "'language:' goes with 'concepts:' in a lexicon file")
            }
            if keys.contains("concepts"), keys.contains("lexicon") {
                reader.error(root, "a file has either 'concepts:' (a lexicon file) or 'lexicon:' (a rules file's own concepts), not both")
            }
        }
        result.warnings = reader.problems.filter { $0.severity == .warning }
        return RuleFileReading(file: result, problems: reader.problems, unreadableRuleIDs: unreadable)
    }

    static func yamlProblem(_ error: YamlError, file: String) -> RuleFileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let extra = context.map { " (\($0.text))" } ?? ""
            return RuleFileError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)\(extra)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return RuleFileError(file: file, line: context.mark.line, column: context.mark.column,
                                 message: "duplicate key \(duplicates.sorted().joined(separator: ", ")) in mapping")
        default:
            return RuleFileError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
    }

    /// `_?[A-Za-z0-9][A-Za-z0-9_.-]*`, checked by hand: compiling a regex for it cost start-up time.
    static func isValidID(_ id: String) -> Bool {
        var bytes = Substring(id).utf8[...]
        if bytes.first == UInt8(ascii: "_") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first.isASCIIAlnum else { return false }
        return bytes.allSatisfy { $0.isASCIIAlnum || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func readRule(_ node: Node, reader: inout YAMLReader) -> RuleSpec? {
        guard let entries = reader.mapping(node, what: "a rule", known: ruleKeys) else { return nil }
        let value = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        var id = ""
        if let node = value["id"] {
            id = reader.string(node, what: "'id'") ?? ""
            if !id.isEmpty, !isValidID(id) {
                reader.error(node, "rule id '\(id)' may hold only letters, digits, '_', '.' and '-' (a leading '_' marks a helper)")
            }
        } else {
            reader.error(node, "a rule needs an 'id'")
        }
        let named = id.isEmpty ? "a rule" : "rule '\(id)'"
        func required(_ key: String) -> Node? {
            if let n = value[key] { return n }
            reader.error(node, "\(named) has no '\(key)'")
            return nil
        }
        let isHelper = id.hasPrefix("_")
        let category = (isHelper ? value["category"] : required("category")).flatMap { reader.string($0, what: "'category'") } ?? "helper"
        let descriptions = (isHelper ? value["description"] : required("description")).flatMap { readDescription($0, reader: &reader) } ?? LocalizedText("")
        let weight = (isHelper ? value["weight"] : required("weight")).flatMap { reader.int($0, what: "'weight'") } ?? 0
        let perHit = value["per_hit"].flatMap { reader.int($0, what: "'per_hit'") }
        let maxHits = value["max_hits"].flatMap { reader.int($0, what: "'max_hits'") }
        if let n = value["max_hits"], let m = maxHits, m < 1 { reader.error(n, "'max_hits' must be 1 or more") }
        let allowSlow = value["allow_slow"].flatMap { reader.bool($0, what: "'allow_slow'") } ?? false

        let targets = value["target"].map { readTargets($0, reader: &reader) } ?? [.text]

        let matchers = entries.filter { matcherKeys.contains($0.key) }
        var matcher: MatcherSpec?
        if matchers.isEmpty {
            reader.error(node, "\(named) has no matcher: give one of \(matcherKeys.joined(separator: ", "))")
        } else if matchers.count > 1 {
            reader.error(matchers[1].keyNode, "\(named) has more than one matcher (\(matchers.map(\.key).joined(separator: ", "))); split it into helper rules and combine them with 'all' or 'any'")
        } else {
            matcher = readMatcher(matchers[0].key, matchers[0].value, allowSlow: allowSlow, minCount: value["min_count"], reader: &reader)
        }
        if let n = value["min_count"], matchers.first?.key != "xpath" { reader.error(n, "'min_count' goes with 'xpath'") }

        let negation = value["negated_by"].flatMap { readNegation($0, reader: &reader) }
        let unless = value["unless"].map { readReferences($0, what: "'unless'", reader: &reader) } ?? []
        let outside = value["outside"].map { readReferences($0, what: "'outside'", reader: &reader) } ?? []
        var opensSection: SectionOpeners?
        if let n = value["opens_section"] {
            if n.scalar?.string == "headings" { opensSection = .headings }
            else if reader.bool(n, what: "'opens_section' (true, false or headings)") == true { opensSection = .headingsAndQuestions }
        }
        // Sections are made of words in blocks: a rule that finds no words has no hits to leave out or to open one.
        if matchers.count == 1, ["all", "any", "not", "n_of", "xpath", "offer"].contains(matchers[0].key) {
            if let n = value["outside"] { reader.error(n, "'outside' goes with a rule that finds words ('phrases', 'near' or 'regex'), not with '\(matchers[0].key)'") }
        }
        if let n = value["opens_section"], opensSection != nil, matchers.count == 1, matchers[0].key != "phrases" {
            reader.error(n, "'opens_section' goes with 'phrases' (a heading's or a question's words), not with '\(matchers[0].key)'")
        }

        var examples = ExamplesSpec()
        if let n = value["examples"], let ex = reader.mapping(n, what: "'examples'", known: ["hit", "miss"]) {
            for (k, _, v) in ex {
                let list = reader.strings(v, what: "'examples.\(k)'")?.map(\.0) ?? []
                if k == "hit" { examples.hit = list } else { examples.miss = list }
            }
        } else if value["examples"] == nil, !isHelper {
            reader.warning(node, "\(named) has no examples, so nothing tests it")
        }

        // A rule with errors elsewhere (a bad example list, an unknown key) is still returned,
        // so lint can check its references in the same pass; a file with any error is refused.
        guard !id.isEmpty, isValidID(id), let matcher else { return nil }
        return RuleSpec(id: id, category: category, descriptions: descriptions, weight: weight, perHit: perHit,
                        maxHits: maxHits, targets: targets, matcher: matcher, negation: negation, unless: unless,
                        outside: outside, opensSection: opensSection, examples: examples, allowSlow: allowSlow, location: reader.location(node))
    }

    /// `description: text` (English), or one text per language: `description: {en: …, bn: …}`.
    /// A language code ScamSift does not know is a warning (the text is kept, and shown to no one).
    static func readDescription(_ node: Node, reader: inout YAMLReader) -> LocalizedText? {
        guard case let .mapping(map) = node else {
            if case .scalar = node { return reader.string(node, what: "'description'").map(LocalizedText.init) }
            reader.error(node, "'description' must be text, or a mapping of language codes to texts ({en: …, bn: …}), not \(reader.describe(node))")
            return nil
        }
        guard reader.visit(node) else { return nil }
        var texts: [String: String] = [:]
        var failed = false
        for (k, v) in map {
            guard reader.visit(k), let code = k.scalar?.string, Language.isCode(code) else {
                reader.error(k, "'description' has a key \(reader.describe(k)) that is not a language code such as en or bn")
                failed = true
                continue
            }
            if texts[code] != nil {
                reader.error(k, "'description' gives '\(code)' twice")
                failed = true
                continue
            }
            guard let text = reader.string(v, what: "'description.\(code)'") else { failed = true; continue }
            if !Language.known.contains(code) {
                reader.warning(k, "'description' has a text in '\(code)', a language ScamSift does not know"
                               + Suggest.didYouMean(code, among: Language.known.sorted()) + "; it is never shown")
            }
            texts[code] = text
        }
        if texts.isEmpty && !failed { reader.error(node, "'description' gives no text: write {en: …, bn: …} or a plain text") }
        return failed || texts.isEmpty ? nil : LocalizedText(texts: texts)
    }

    static func readTargets(_ node: Node, reader: inout YAMLReader) -> [RuleTarget] {
        func one(_ n: Node) -> RuleTarget? {
            if case .mapping = n {
                guard let e = reader.mapping(n, what: "'target'", known: ["xpath"]), let x = e.first,
                      let expr = reader.string(x.value, what: "'target.xpath'") else { return nil }
                if let message = HTMLParser.xpathError(expr) {
                    reader.error(x.value, "invalid XPath '\(expr)': \(message)")
                    return nil
                }
                return .xpath(expr)
            }
            guard let name = reader.string(n, what: "'target'") else { return nil }
            guard let target = RuleTarget.named[name] else {
                reader.error(n, "unknown target '\(name)'" + Suggest.didYouMean(name, among: RuleTarget.named.keys.sorted())
                             + "; targets are \(RuleTarget.named.keys.sorted().joined(separator: ", ")) or {xpath: EXPR}")
                return nil
            }
            return target
        }
        if case let .sequence(seq) = node { return seq.compactMap(one) }
        return one(node).map { [$0] } ?? []
    }

    static func readPhrases(_ node: Node, what: String, reader: inout YAMLReader) -> [PhraseSpec] {
        var out: [PhraseSpec] = []
        for (text, n) in reader.strings(node, what: what) ?? [] {
            if reader.trusted {
                out.append(PhraseSpec(text: text, location: reader.location(n)))
                continue
            }
            let core = PhraseSyntax.core(text)
            let normalized = TextNormalizer.normalize(core)
            // Counted in code points: a two-letter Bengali word such as না is one grapheme but a real word.
            let characters = String(decoding: normalized, as: UTF8.self).unicodeScalars.count
            if normalized.isEmpty {
                reader.error(n, "phrase '\(text)' is empty once normalised")
                continue
            }
            if characters == 1 {
                reader.error(n, "phrase '\(text)' normalises to a single character and would match almost anywhere")
                continue
            }
            out.append(PhraseSpec(text: text, location: reader.location(n)))
        }
        if out.isEmpty, reader.problems.last?.location != reader.location(node) {
            reader.error(node, "\(what) has no phrases")
        }
        return out
    }

    static func readReferences(_ node: Node, what: String, reader: inout YAMLReader) -> [Reference] {
        (reader.strings(node, what: what) ?? []).map { Reference(name: $0.0, location: reader.location($0.1)) }
    }

    static func readMatcher(_ key: String, _ node: Node, allowSlow: Bool, minCount: Node?, reader: inout YAMLReader) -> MatcherSpec? {
        switch key {
        case "phrases":
            let phrases = readPhrases(node, what: "'phrases'", reader: &reader)
            return phrases.isEmpty ? nil : .phrases(phrases)
        case "regex":
            guard let written = reader.string(node, what: "'regex'") else { return nil }
            let location = reader.location(node)
            if reader.trusted { return .regex(written, location) }
            // Concepts are known only once every file is loaded (RuleSet expands them); until
            // then each reference is checked as a plain word.
            let pattern = ConceptExpander.placeholders(in: written)
            if let problem = RegexCheck.compileError(pattern) {
                reader.error(node, "invalid regex: \(problem)")
                return nil
            }
            if let offset = RegexCheck.upperCaseLiteral(pattern) {
                reader.error(node, "regex has an upper-case letter at offset \(offset); text is lower-cased before matching, so write the pattern in lower case")
                return nil
            }
            if let slow = RegexCheck.catastrophicShape(pattern), !allowSlow {
                reader.error(node, "regex may backtrack catastrophically: \(slow.message) at offset \(slow.offset) of the pattern; rewrite it, or add 'allow_slow: true' to accept the risk")
                return nil
            }
            // YARA-style: a regex that the automaton cannot pre-filter runs on every page.
            let plan = RegexPlan(pattern)
            if let slowPart = plan.parts.first(where: \.isSlow) {
                let shown = slowPart.atoms.map { "only very common literals (\($0.prefix(4).map { "'\($0)'" }.joined(separator: ", ")))" } ?? "no literal that every match must contain"
                let which = plan.parts.count > 1 ? "the alternative '\(slowPart.pattern.prefix(40))' of this regex" : "regex"
                reader.warning(node, "\(which) has \(shown), so it is tried on nearly every page and slows scanning down; anchor it on a rarer word or split it")
            }
            return .regex(written, location)
        case "near":
            guard let e = reader.mapping(node, what: "'near'", known: ["a", "b", "within", "sentence"]) else { return nil }
            let v = Dictionary(uniqueKeysWithValues: e.map { ($0.key, $0.value) })
            guard let an = v["a"], let bn = v["b"] else {
                reader.error(node, "'near' needs two phrase lists, 'a' and 'b'")
                return nil
            }
            let within = v["within"].flatMap { reader.int($0, what: "'near.within'") } ?? 8
            if within < 0 || within > 200 { reader.error(v["within"], "'near.within' must be between 0 and 200 words") }
            let sentence = v["sentence"].flatMap { reader.bool($0, what: "'near.sentence'") } ?? false
            let a = readPhrases(an, what: "'near.a'", reader: &reader)
            let b = readPhrases(bn, what: "'near.b'", reader: &reader)
            return a.isEmpty || b.isEmpty ? nil : .near(a: a, b: b, within: within, sentence: sentence)
        case "xpath":
            guard let expr = reader.string(node, what: "'xpath'") else { return nil }
            if !reader.trusted, let message = HTMLParser.xpathError(expr) {
                reader.error(node, "invalid XPath '\(expr)': \(message)")
                return nil
            }
            let count = minCount.flatMap { reader.int($0, what: "'min_count'") } ?? 1
            return .xpath(expr, minCount: count, reader.location(node))
        case "all", "any":
            let refs = readReferences(node, what: "'\(key)'", reader: &reader)
            if refs.isEmpty { reader.error(node, "'\(key)' names no rules"); return nil }
            return key == "all" ? .all(refs) : .any(refs)
        case "not":
            guard let id = reader.string(node, what: "'not'") else { return nil }
            return .not(Reference(name: id, location: reader.location(node)))
        case "offer":
            return OfferCondition.read(node, reader: &reader).map { .offer($0, reader.location(node)) }
        case "n_of":
            guard let e = reader.mapping(node, what: "'n_of'", known: ["n", "of"]) else { return nil }
            let v = Dictionary(uniqueKeysWithValues: e.map { ($0.key, $0.value) })
            guard let nn = v["n"], let ofn = v["of"] else {
                reader.error(node, "'n_of' needs 'n' and 'of'")
                return nil
            }
            guard let n = reader.int(nn, what: "'n_of.n'") else { return nil }
            let refs = readReferences(ofn, what: "'n_of.of'", reader: &reader)
            if n < 1 || n > refs.count {
                reader.error(nn, "'n_of.n' is \(n) but 'of' names \(refs.count) rules")
                return nil
            }
            return .nOf(n, refs)
        default:
            return nil
        }
    }

    static func readNegation(_ node: Node, reader: inout YAMLReader) -> NegationSpec? {
        guard let e = reader.mapping(node, what: "'negated_by'", known: ["before", "after", "within", "sentence", "sentence_before", "quoted"]) else { return nil }
        var spec = NegationSpec(before: [], after: [], within: 3)
        for (k, _, v) in e {
            switch k {
            case "before": spec.before = readPhrases(v, what: "'negated_by.before'", reader: &reader)
            case "after": spec.after = readPhrases(v, what: "'negated_by.after'", reader: &reader)
            case "sentence": spec.sentence = readPhrases(v, what: "'negated_by.sentence'", reader: &reader)
            case "sentence_before": spec.sentenceBefore = readPhrases(v, what: "'negated_by.sentence_before'", reader: &reader)
            case "quoted": spec.quoted = readPhrases(v, what: "'negated_by.quoted'", reader: &reader)
            default: spec.within = reader.int(v, what: "'negated_by.within'") ?? 3
            }
        }
        if spec.allPhrases.isEmpty {
            reader.error(node, "'negated_by' needs 'before', 'after', 'sentence', 'sentence_before' or 'quoted' phrases")
            return nil
        }
        return spec
    }

    static func readOverride(_ node: Node, reader: inout YAMLReader) -> OverrideSpec? {
        guard let e = reader.mapping(node, what: "an override", known: ["id", "weight", "per_hit", "description"]) else { return nil }
        let v = Dictionary(uniqueKeysWithValues: e.map { ($0.key, $0.value) })
        guard let idNode = v["id"] else { reader.error(node, "an override needs the 'id' of the rule it changes"); return nil }
        guard let id = reader.string(idNode, what: "'id'") else { return nil }
        let weight = v["weight"].flatMap { reader.int($0, what: "'weight'") }
        let perHit = v["per_hit"].flatMap { reader.int($0, what: "'per_hit'") }
        let descriptions = v["description"].flatMap { readDescription($0, reader: &reader) }
        if weight == nil && perHit == nil && descriptions == nil {
            reader.error(node, "the override of '\(id)' changes nothing: give 'weight', 'per_hit' or 'description'")
            return nil
        }
        return OverrideSpec(id: id, weight: weight, perHit: perHit, descriptions: descriptions, location: reader.location(idNode))
    }

    static func readDisable(_ node: Node, reader: inout YAMLReader) -> DisableSpec {
        var spec = DisableSpec()
        guard let e = reader.mapping(node, what: "'disable'", known: ["ids", "categories"]) else { return spec }
        for (k, _, v) in e {
            let refs = readReferences(v, what: "'disable.\(k)'", reader: &reader)
            if k == "ids" { spec.ids = refs } else { spec.categories = refs }
        }
        return spec
    }

    static func readVerdicts(_ node: Node, reader: inout YAMLReader) -> VerdictCutoffs? {
        guard let e = reader.mapping(node, what: "'verdicts'", known: ["suspicious", "likely_scam"]) else { return nil }
        var cut = VerdictCutoffs.standard
        for (k, _, v) in e {
            guard let n = reader.int(v, what: "'verdicts.\(k)'") else { continue }
            if n < 1 || n > 100 { reader.error(v, "'verdicts.\(k)' must be between 1 and 100"); continue }
            if k == "suspicious" { cut.suspicious = n } else { cut.likelyScam = n }
        }
        if cut.suspicious >= cut.likelyScam {
            reader.error(node, "'verdicts.suspicious' (\(cut.suspicious)) must be below 'verdicts.likely_scam' (\(cut.likelyScam))")
            return nil
        }
        return cut
    }

    static func readTextModel(_ node: Node, reader: inout YAMLReader) -> Int? {
        guard let e = reader.mapping(node, what: "'text_model'", known: ["weight"]) else { return nil }
        guard let (_, _, v) = e.first(where: { $0.0 == "weight" }) else {
            reader.error(node, "'text_model' needs a 'weight'")
            return nil
        }
        guard let n = reader.int(v, what: "'text_model.weight'") else { return nil }
        if n < 0 || n > 100 { reader.error(v, "'text_model.weight' must be between 0 and 100"); return nil }
        return n
    }

    static func readTest(_ node: Node, reader: inout YAMLReader) -> PageTestSpec? {
        guard let e = reader.mapping(node, what: "a test", known: ["page", "verdict", "fires", "not_fires"]) else { return nil }
        let v = Dictionary(uniqueKeysWithValues: e.map { ($0.key, $0.value) })
        guard let pn = v["page"] else { reader.error(node, "a test needs a 'page'"); return nil }
        guard let page = reader.string(pn, what: "'page'") else { return nil }
        var verdict: Verdict?
        if let vn = v["verdict"], let s = reader.string(vn, what: "'verdict'") {
            verdict = Verdict(rawValue: s)
            if verdict == nil {
                reader.error(vn, "unknown verdict '\(s)'" + Suggest.didYouMean(s, among: Verdict.allCases.map(\.rawValue)))
            }
        }
        let fires = v["fires"].map { (reader.strings($0, what: "'fires'") ?? []).map(\.0) } ?? []
        let notFires = v["not_fires"].map { (reader.strings($0, what: "'not_fires'") ?? []).map(\.0) } ?? []
        if verdict == nil && fires.isEmpty && notFires.isEmpty {
            reader.error(node, "a test must expect something: 'verdict', 'fires' or 'not_fires'")
            return nil
        }
        return PageTestSpec(page: page, verdict: verdict, fires: fires, notFires: notFires, location: reader.location(pn))
    }
}

/// `*` at the start or end of a phrase lifts the word boundary on that side
/// (`ডিপোজিট*` also finds ডিপোজিটের).
enum PhraseSyntax {
    static func core(_ phrase: String) -> String {
        var s = Substring(phrase)
        if s.hasPrefix("*") { s = s.dropFirst() }
        if s.hasSuffix("*") { s = s.dropLast() }
        return String(s)
    }
    static func openStart(_ phrase: String) -> Bool { phrase.hasPrefix("*") }
    static func openEnd(_ phrase: String) -> Bool { phrase.hasSuffix("*") }
}
