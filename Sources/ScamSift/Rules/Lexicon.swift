import Synchronization
import Yams

/// Reads the lexicon parts of a file: `concepts:` (a lexicon file, one language) or `lexicon:`
/// (a rules file's own concepts), `stopwords:` and the `language:` code.
enum LexiconReader {
    /// ISO 639-1 codes, to warn about a `language:` that is probably a typo. An unknown code
    /// still loads: a lexicon for a language this list forgot must not be refused.
    static let knownLanguages: Set<String> = Set("""
        aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el \
        en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu \
        ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na \
        nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so \
        sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu fil
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    static func checkLanguage(_ code: String, node: Node, reader: inout YAMLReader) {
        if !knownLanguages.contains(code) {
            reader.warning(node, "unknown language code '\(code)'" + Suggest.didYouMean(code, among: knownLanguages.sorted())
                           + "; the lexicon still loads")
        }
    }

    /// A concept name: lower-case ASCII letters, digits and `_`, starting with a letter.
    static func isValidConceptName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    static func concepts(_ node: Node, what: String, reader: inout YAMLReader) -> [ConceptSpec] {
        guard reader.visit(node) else { return [] }
        guard case let .mapping(map) = node else {
            reader.error(node, "\(what) must be a mapping from concept names to phrase lists, not \(reader.describe(node))")
            return []
        }
        var out: [ConceptSpec] = []
        var seen: [String: SourceLocation] = [:]
        for (k, v) in map {
            guard reader.visit(k), let name = k.scalar?.string else {
                reader.error(k, "\(what) has a key that is not a plain name")
                continue
            }
            if !isValidConceptName(name) {
                reader.error(k, "'\(name)' is not a valid concept name: use lower-case letters, digits and '_', starting with a letter (such as min_deposit)")
                continue
            }
            if RegexCheck.macros.contains(where: { $0.0 == "{\(name)}" }) {
                reader.error(k, "'\(name)' is a regex macro ({\(name)}) and cannot be a concept")
                continue
            }
            if let first = seen[name] {
                reader.error(k, "concept '\(name)' is defined twice in this file (first at \(first))")
                continue
            }
            seen[name] = reader.location(k)
            let phrases = conceptPhrases(v, concept: name, reader: &reader)
            if phrases.isEmpty { continue }
            out.append(ConceptSpec(name: name, phrases: phrases, location: reader.location(k)))
        }
        return out
    }

    /// A concept's phrases, checked like rule phrases, except that a single character of a script
    /// written without spaces (天, 日) is allowed: in Chinese such a character is a whole word. So
    /// is a single Hangul syllable (연, 일), matched only as a whole word: with a `*` it would
    /// match inside every longer Korean word.
    static func conceptPhrases(_ node: Node, concept: String, reader: inout YAMLReader) -> [PhraseSpec] {
        let what = "concept '\(concept)'"
        guard let list = reader.strings(node, what: what) else { return [] }
        // The built-in lexicons are linted in full by the tests; loading them skips the checks.
        if reader.trusted { return list.map { PhraseSpec(text: $0.0, location: reader.location($0.1)) } }
        if list.isEmpty {
            reader.error(node, "\(what) has no phrases")
            return []
        }
        var out: [PhraseSpec] = []
        var seen: [[UInt8]: String] = [:]
        for (text, n) in list {
            if text.contains("{") {
                reader.error(n, "phrase '\(text)' of \(what) names another concept; a lexicon lists plain phrases")
                continue
            }
            let normalized = TextNormalizer.normalize(PhraseSyntax.core(text))
            let scalars = String(decoding: normalized, as: UTF8.self).unicodeScalars
            if normalized.isEmpty || normalized.allSatisfy({ $0 == UInt8(ascii: " ") }) {
                reader.error(n, "phrase '\(text)' of \(what) is empty once normalised")
                continue
            }
            if scalars.count == 1, !WordChars.isSpaceless(scalars.first!.value) {
                if !WordChars.isHangulSyllable(scalars.first!.value) {
                    reader.error(n, "phrase '\(text)' of \(what) normalises to a single character and would match almost anywhere")
                    continue
                }
                if PhraseSyntax.openStart(text) || PhraseSyntax.openEnd(text) {
                    reader.error(n, "phrase '\(text)' of \(what) is a single Hangul syllable with a '*': it would match inside every longer word; give it alone")
                    continue
                }
            }
            let key = normalized + (PhraseSyntax.openStart(text) ? [1] : []) + (PhraseSyntax.openEnd(text) ? [2] : [])
            if let first = seen[key] {
                reader.error(n, "phrase '\(text)' of \(what) repeats '\(first)' (the same once normalised)")
                continue
            }
            seen[key] = text
            out.append(PhraseSpec(text: text, location: reader.location(n)))
        }
        return out
    }

    static func stopwords(_ node: Node, reader: inout YAMLReader) -> [PhraseSpec] {
        (reader.strings(node, what: "'stopwords'") ?? []).compactMap { text, n in
            TextNormalizer.normalize(text).isEmpty ? nil : PhraseSpec(text: text, location: reader.location(n))
        }
    }
}

/// Every concept of the loaded files, by language, and the expansion of `{concept}` in rules.
public struct ConceptTable: Sendable {
    /// One language's (or one rules file's) phrases for one concept.
    public struct Entry: Sendable {
        /// The language code; nil for a rules file's `lexicon:` section, which extends the concept in every language.
        public var language: String?
        public var phrases: [PhraseSpec]
    }

    /// Concept name → its entries, in file load order.
    public private(set) var concepts: [String: [Entry]] = [:]
    /// Languages with a lexicon, in load order, with their names and stopwords.
    public private(set) var languages: [(code: String, name: String?, stopwords: [PhraseSpec])] = []

    public init() {}

    /// Collects the concepts of `files`. Problems across files (a concept that most languages
    /// define and one lacks) are reported through `warn`.
    init(files: [RuleFile], warn: (SourceLocation, String) -> Void) {
        var lexiconFiles: [(code: String, file: RuleFile)] = []
        for file in files {
            for concept in file.concepts {
                concepts[concept.name, default: []].append(Entry(language: file.language, phrases: concept.phrases))
            }
            if let code = file.language {
                lexiconFiles.append((code, file))
                if let i = languages.firstIndex(where: { $0.code == code }) {
                    languages[i].stopwords += file.stopwords
                } else {
                    languages.append((code, file.languageName, file.stopwords))
                }
            }
        }
        merged = concepts.mapValues { Self.withoutRepeats($0.flatMap(\.phrases)) }
        // A concept that more than half the languages define and one lacks is probably an
        // omission (a warning: a language may truly have no word for it).
        let codes = Set(lexiconFiles.map(\.code))
        guard codes.count >= 3 else { return }
        for (code, file) in lexiconFiles {
            let own = Set(lexiconFiles.filter { $0.code == code }.flatMap { $0.file.concepts.map(\.name) })
            // Report once, at the language's first file.
            guard lexiconFiles.first(where: { $0.code == code })?.file.path == file.path else { continue }
            for name in concepts.keys.sorted() where !own.contains(name) {
                let having = Set(concepts[name]!.compactMap(\.language)).count
                if having * 2 > codes.count {
                    warn(file.conceptsLocation ?? SourceLocation(file: file.path, line: 1, column: 1),
                         "language '\(code)' has no phrases for concept '\(name)', which \(having) of \(codes.count) languages define")
                }
            }
        }
    }

    public var names: [String] { concepts.keys.sorted() }

    /// All phrases of each concept, every language, first written first, without repeats
    /// (made once: many rules name the same concept).
    private var merged: [String: [PhraseSpec]] = [:]

    /// All phrases of a concept, every language, first written first, without repeats.
    func phrases(_ name: String) -> [PhraseSpec] { merged[name] ?? [] }

    /// Regex groups of concepts, made the first time a regex names each.
    private let groups = RegexGroupCache()

    func regexGroup(_ name: String) -> String {
        groups.group(name) { ConceptExpander.group(phrases(name)) }
    }

    static func withoutRepeats(_ phrases: [PhraseSpec]) -> [PhraseSpec] {
        // Keyed on the bytes: hashing a String normalises it first, which costs more.
        var seen = Set<[UInt8]>()
        return phrases.filter { seen.insert(Array($0.text.utf8)).inserted }
    }

    /// The languages a concept is defined in (nil: a rules file's own section), in load order.
    func languages(of name: String) -> [String?] {
        var out: [String?] = []
        for e in concepts[name] ?? [] where !out.contains(e.language) { out.append(e.language) }
        return out
    }

    /// A concept's phrases in one language, plus those of rules files' own sections.
    func phrases(_ name: String, language: String?) -> [PhraseSpec] {
        (concepts[name] ?? []).filter { $0.language == language || $0.language == nil }.flatMap(\.phrases)
    }
}

final class RegexGroupCache: Sendable {
    private let made = Mutex<[String: String]>([:])

    func group(_ name: String, make: () -> String) -> String {
        if let known = made.withLock({ $0[name] }) { return known }
        let group = make()
        made.withLock { $0[name] = group }
        return group
    }
}

/// Expands `{concept}` in phrases and regexes.
///
/// - A phrase that is just `{deposit}` stands for every phrase of that concept in every language.
/// - A phrase with words around a concept, or with several concepts (`{minimum} {deposit}`), is
///   expanded within each language on its own, so words of two languages are never joined.
///   A `*` inside a lexicon phrase is kept only where it ends up at an end of the whole phrase.
/// - In a regex, `{deposit}` becomes a group of every phrase of the concept, longest first.
enum ConceptExpander {
    /// Phrases one template may expand to, above which it is refused as a mistake.
    static let maxExpansion = 20_000

    /// `{name}` references in a text, where name is a valid concept name and not a macro.
    static func references(in text: String) -> [(name: String, range: Range<String.Index>)] {
        var out: [(String, Range<String.Index>)] = []
        var i = text.startIndex
        while let open = text[i...].firstIndex(of: "{") {
            guard let close = text[open...].firstIndex(of: "}") else { break }
            let name = String(text[text.index(after: open)..<close])
            let escaped = open > text.startIndex && text[text.index(before: open)] == "\\"
            if !escaped, LexiconReader.isValidConceptName(name), !RegexCheck.macros.contains(where: { $0.0 == "{\(name)}" }) {
                out.append((name, open..<text.index(after: close)))
            }
            i = text.index(after: open)
        }
        return out
    }

    /// The regex with each concept reference as a plain word, for checks made before the
    /// concepts are known.
    static func placeholders(in pattern: String) -> String {
        var out = pattern
        for ref in references(in: pattern).reversed() { out.replaceSubrange(ref.range, with: "(?:\(ref.name))") }
        return out
    }

    struct UnknownConcept: Error {
        var name: String
    }

    struct TooLarge: Error {
        var count: Int
    }

    /// The phrases a written phrase stands for.
    static func expand(_ phrase: PhraseSpec, table: ConceptTable) throws -> [PhraseSpec] {
        let refs = references(in: phrase.text)
        if refs.isEmpty { return [phrase] }
        for ref in refs where table.concepts[ref.name] == nil { throw UnknownConcept(name: ref.name) }
        // Just one concept: every language's phrases, as they are.
        if refs.count == 1, refs[0].range == phrase.text.startIndex..<phrase.text.endIndex {
            return table.phrases(refs[0].name).map { PhraseSpec(text: $0.text, location: phrase.location) }
        }
        // A template: expanded within each language (and with rules files' own phrases).
        var languages: [String?] = []
        for ref in refs { for l in table.languages(of: ref.name) where !languages.contains(l) { languages.append(l) } }
        var out: [PhraseSpec] = []
        var seen = Set<[UInt8]>()
        for language in languages {
            var partial = [""]
            var cursor = phrase.text.startIndex
            for (k, ref) in refs.enumerated() {
                let literal = String(phrase.text[cursor..<ref.range.lowerBound])
                let atStart = ref.range.lowerBound == phrase.text.startIndex
                let atEnd = ref.range.upperBound == phrase.text.endIndex
                let options = table.phrases(ref.name, language: language).map { p -> String in
                    var t = Substring(p.text)
                    if t.hasPrefix("*"), !atStart { t = t.dropFirst() }
                    if t.hasSuffix("*"), !atEnd { t = t.dropLast() }
                    return String(t)
                }
                if options.isEmpty { partial = []; break }
                var next: [String] = []
                for p in partial { for o in options { next.append(p + literal + o) } }
                partial = next
                if partial.count > maxExpansion { throw TooLarge(count: partial.count) }
                cursor = ref.range.upperBound
                if k == refs.count - 1 { partial = partial.map { $0 + phrase.text[cursor...] } }
            }
            for p in partial.map(closingSpacelessGaps) where seen.insert(Array(p.utf8)).inserted {
                out.append(PhraseSpec(text: p, location: phrase.location))
            }
            if out.count > maxExpansion { throw TooLarge(count: out.count) }
        }
        return out
    }

    /// A template's space between two characters of a script written without spaces is
    /// dropped: `{guaranteed} {profit}` in Chinese is 保本收益, not 保本 收益.
    static func closingSpacelessGaps(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, c) in scalars.enumerated() {
            if c == " ", i > 0, i + 1 < scalars.count,
               WordChars.isSpaceless(scalars[i - 1].value), WordChars.isSpaceless(scalars[i + 1].value) { continue }
            out.append(c)
        }
        return String(out)
    }

    /// The regex with each concept reference replaced by a group of its phrases.
    static func expand(regex pattern: String, table: ConceptTable) throws -> String {
        let refs = references(in: pattern)
        if refs.isEmpty { return pattern }
        var out = pattern
        for ref in refs.reversed() {
            guard table.concepts[ref.name] != nil else { throw UnknownConcept(name: ref.name) }
            out.replaceSubrange(ref.range, with: table.regexGroup(ref.name))
        }
        return out
    }

    /// A word character for a concept's word boundaries inside a regex: ICU's `\w` (letters,
    /// marks, digits) less `_`, the joiners and the scripts written without spaces, with the
    /// very ranges `WordChars.isSpaceless` has. Built from `\w` and plain ranges because ICU
    /// keeps `\w` ready-made: a class of Unicode properties (`\p{L}`, `\p{Han}`) is computed
    /// again at each compile, about half a millisecond each, and a concept group has up to four.
    static let wordClass: String = {
        func hex(_ v: UInt32) -> String {
            let digits = String(v, radix: 16), width = v > 0xFFFF ? 8 : 4
            return (v > 0xFFFF ? "\\U" : "\\u") + String(repeating: "0", count: width - digits.count) + digits
        }
        let ranges = WordChars.spacelessRanges.map { hex($0.lowerBound) + "-" + hex($0.upperBound) }.joined()
        return "[\\w--[_\\u200c\\u200d" + ranges + "]]"
    }()

    /// A group of the phrases' cores, escaped and normalised as page text is, longest first,
    /// each with the word boundaries a phrase has: `*` lifts one, and none is needed where the
    /// phrase begins or ends with a character that is not a word character.
    static func group(_ phrases: [PhraseSpec]) -> String {
        // Sorted into four kinds by the boundaries they need, each kind one alternation.
        var kinds: [[Bool]: Set<String>] = [:]
        for p in phrases {
            let bytes = TextNormalizer.normalize(PhraseSyntax.core(p.text))
            guard !bytes.isEmpty else { continue }
            let start = !PhraseSyntax.openStart(p.text) && WordChars.firstIsWord(bytes)
            let end = !PhraseSyntax.openEnd(p.text) && WordChars.lastIsWord(bytes)
            kinds[[start, end], default: []].insert(String(decoding: bytes, as: UTF8.self))
        }
        var parts: [String] = []
        for key in [[true, true], [true, false], [false, true], [false, false]] {
            guard let cores = kinds[key] else { continue }
            parts.append((key[0] ? "(?<!\(wordClass))" : "") + "(?:" + PrefixTrie(cores).pattern + ")"
                         + (key[1] ? "(?!\(wordClass))" : ""))
        }
        return "(?:" + parts.joined(separator: "|") + ")"
    }

    /// Phrases as a regex with their common prefixes factored out (`pa(?:y|yout)` rather than
    /// `pay|payout`): ICU tries an alternation's branches one by one, so a group of hundreds of
    /// phrases cost hundreds of comparisons at every position; factored, it costs one per
    /// character. The longer branch is tried first, as in a longest-first alternation.
    struct PrefixTrie {
        final class Node {
            var children: [Unicode.Scalar: Node] = [:]
            var isEnd = false
        }
        let root = Node()

        init(_ phrases: Set<String>) {
            for phrase in phrases {
                var node = root
                for c in phrase.unicodeScalars {
                    if let next = node.children[c] { node = next } else {
                        let next = Node()
                        node.children[c] = next
                        node = next
                    }
                }
                node.isEnd = true
            }
        }

        var pattern: String { Self.emit(root) }

        static func emit(_ node: Node) -> String {
            let branches = node.children.keys.sorted { $0.value < $1.value }.map { c in
                ConceptExpander.escape(String(c)) + emit(node.children[c]!)
            }
            if branches.isEmpty { return "" }
            if branches.count == 1, !node.isEnd { return branches[0] }
            return "(?:" + branches.joined(separator: "|") + ")" + (node.isEnd ? "?" : "")
        }
    }

    /// Escapes ICU regex syntax characters; a space matches any run of white space.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            // A single space: normalised text has nothing else between two words of one block.
            // (A phrase does not reach across blocks, in a regex as in a phrase rule; and the
            // regex planner can take a whole phrase as an atom.)
            if ch == " " { out += " "; continue }
            if "\\^$.|?*+()[]{}/#-".unicodeScalars.contains(ch) { out += "\\" }
            out.unicodeScalars.append(ch)
        }
        return out
    }
}

extension ConceptExpander {
    /// A template of several concepts expanding to more phrases than this gets a warning: each
    /// phrase is a path of the automaton every page walks, and `{guaranteed} {profit}` alone was
    /// 4,918 of them (the built-in rules' three such templates were half of all patterns).
    static let templateWarning = 1_000

    /// The rule with every concept reference expanded; errors go to `report`, warnings to `warn`.
    static func expand(_ spec: RuleSpec, table: ConceptTable, report: (SourceLocation, String) -> Void,
                       warn: (SourceLocation, String) -> Void = { _, _ in }) -> RuleSpec {
        func list(_ phrases: [PhraseSpec]) -> [PhraseSpec] {
            var out: [PhraseSpec] = []
            var seen = Set<[UInt8]>()
            for p in phrases {
                do {
                    let expanded = try expand(p, table: table)
                    if expanded.count > templateWarning, references(in: p.text).count > 1 {
                        warn(p.location, "phrase '\(p.text)' of rule '\(spec.id)' expands to \(expanded.count) phrases, which every page's scan pays for; "
                             + "a 'near' of the concepts with 'within: 0' and 'sentence: true' finds the same pairs (and keeps each stem's ending)")
                    }
                    for e in expanded where seen.insert(Array(e.text.utf8)).inserted { out.append(e) }
                } catch let e as UnknownConcept {
                    report(p.location, "rule '\(spec.id)' names unknown concept '{\(e.name)}'" + Suggest.didYouMean(e.name, among: table.names))
                } catch let e as TooLarge {
                    report(p.location, "phrase '\(p.text)' of rule '\(spec.id)' expands to more than \(e.count) phrases; name fewer concepts in one phrase")
                } catch {
                    report(p.location, "\(error)")
                }
            }
            return out
        }
        var spec = spec
        switch spec.matcher {
        case let .phrases(p): spec.matcher = .phrases(list(p))
        case let .near(a, b, within, sentence): spec.matcher = .near(a: list(a), b: list(b), within: within, sentence: sentence)
        case let .regex(pattern, location):
            do {
                spec.matcher = .regex(try expand(regex: pattern, table: table), location)
            } catch let e as UnknownConcept {
                report(location, "rule '\(spec.id)' names unknown concept '{\(e.name)}'" + Suggest.didYouMean(e.name, among: table.names))
            } catch {
                report(location, "\(error)")
            }
        default: break
        }
        if var n = spec.negation {
            n.before = list(n.before)
            n.after = list(n.after)
            n.sentence = list(n.sentence)
            n.sentenceBefore = list(n.sentenceBefore)
            n.quoted = list(n.quoted)
            spec.negation = n
        }
        return spec
    }
}

extension ConceptTable: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        // Sorted by name, so that the same table always makes the same bytes.
        w.int(concepts.count)
        for name in concepts.keys.sorted() {
            w.string(name)
            w.int(concepts[name]!.count)
            for entry in concepts[name]! {
                w.optional(entry.language)
                w.array(entry.phrases)
            }
        }
        w.int(languages.count)
        for language in languages {
            w.string(language.code)
            w.optional(language.name)
            w.array(language.stopwords)
        }
        // Stored rather than made again: removing repeats hashes every phrase.
        for name in concepts.keys.sorted() { w.array(merged[name] ?? []) }
    }

    init(from r: inout SnapshotReader) throws {
        for _ in 0..<(try r.int()) {
            let name = try r.string()
            var entries: [Entry] = []
            for _ in 0..<(try r.int()) { entries.append(Entry(language: try r.optional(), phrases: try r.array())) }
            concepts[name] = entries
        }
        for _ in 0..<(try r.int()) { languages.append((try r.string(), try r.optional(), try r.array())) }
        for name in concepts.keys.sorted() { merged[name] = try r.array() }
    }
}
