/// Tells which language a page is written in, from its visible text: the script most of its
/// letters belong to, then which lexicon's very common words (`stopwords:`) occur most often
/// among the languages written in that script. `<html lang>` only breaks ties, since many
/// sites declare `en` whatever they are written in.
public struct LanguageDetector: Sendable {
    /// Broad scripts, enough to pick the candidate languages.
    public enum Script: String, Sendable, CaseIterable {
        case latin, cyrillic, greek, arabic, hebrew, devanagari, bengali, gurmukhi, gujarati, tamil, telugu,
             kannada, malayalam, sinhala, thai, lao, khmer, myanmar, georgian, armenian, ethiopic, han, kana, hangul
    }

    /// Languages with a lexicon: code and the script its stopwords are written in.
    let languages: [(code: String, script: Script?)]
    let automaton: AhoCorasick
    /// For each stopword pattern, the indices of the languages that list it.
    let owners: [[Int]]
    /// Whether the pattern needs a word boundary at its start and end.
    let bounded: [(start: Bool, end: Bool)]
    /// `owners` flat, for scanning: ownerList[ownerStart[p]..<ownerStart[p+1]] are pattern p's.
    private let ownerStart: [Int32]
    private let ownerList: [Int32]
    /// Every pattern's bytes, flat (patternBytes[patternStart[p]..<patternStart[p+1]]), kept
    /// for the snapshot, from which `plainWords` and `scannedPatterns` are made again.
    private let patternBytes: [UInt8]
    private let patternStart: [Int32]
    /// The stopwords made of word characters only, looked up word by word (most of them).
    let plainWords: PlainStopwords
    /// The others (with a space or an apostrophe, or in a script written without spaces), by
    /// pattern id: the ones the rules' automaton looks for (see `detect(_:declared:found:)`).
    let scannedPatterns: [Int32]

    /// Where a script is in `Script.allCases` (by a switch: looking the position up is not free).
    @inline(__always)
    static func index(_ s: Script) -> Int {
        switch s {
        case .latin: 0
        case .cyrillic: 1
        case .greek: 2
        case .arabic: 3
        case .hebrew: 4
        case .devanagari: 5
        case .bengali: 6
        case .gurmukhi: 7
        case .gujarati: 8
        case .tamil: 9
        case .telugu: 10
        case .kannada: 11
        case .malayalam: 12
        case .sinhala: 13
        case .thai: 14
        case .lao: 15
        case .khmer: 16
        case .myanmar: 17
        case .georgian: 18
        case .armenian: 19
        case .ethiopic: 20
        case .han: 21
        case .kana: 22
        case .hangul: 23
        }
    }

    /// Lists as one flat table: list k is items[start[k]..<start[k + 1]].
    static func flatten<T>(_ lists: [[T]]) -> (start: [Int32], items: [T]) {
        var start: [Int32] = [0], items: [T] = []
        for list in lists {
            items += list
            start.append(Int32(items.count))
        }
        return (start, items)
    }

    /// Only the start of the text is read: a few kilobytes tell the language.
    static let maxBytes = 4 * 1024

    init(table: ConceptTable) { self.init(stopwords: Self.stopwords(table)) }

    /// From `stopwords(_:)`'s result, when the caller has it already.
    init(stopwords words: (patterns: [[UInt8]], owners: [[Int]], languages: [(code: String, script: Script?)])) {
        self.languages = words.languages
        self.owners = words.owners
        (ownerStart, ownerList) = Self.flatten(words.owners.map { $0.map(Int32.init) })
        self.automaton = AhoCorasick(patterns: words.patterns)
        self.bounded = words.patterns.map { ($0.withUnsafeBufferPointer { WordChars.wordAt($0, 0) }, $0.withUnsafeBufferPointer { WordChars.wordBefore($0, $0.count) }) }
        (patternStart, patternBytes) = Self.flatten(words.patterns)
        (plainWords, scannedPatterns) = Self.split(words.patterns)
    }

    /// Stopword pattern p's bytes.
    func pattern(_ p: Int) -> [UInt8] { Array(patternBytes[Int(patternStart[p])..<Int(patternStart[p + 1])]) }

    /// The plain words among the patterns, and the ids of the others.
    static func split(_ patterns: [[UInt8]]) -> (PlainStopwords, [Int32]) {
        var plain: [(bytes: [UInt8], id: Int32)] = [], scanned: [Int32] = []
        for (p, pattern) in patterns.enumerated() {
            if PlainStopwords.isPlainWord(pattern) { plain.append((pattern, Int32(p))) } else { scanned.append(Int32(p)) }
        }
        return (PlainStopwords(plain), scanned)
    }

    /// How many stopword patterns the detector looks for.
    var patternCount: Int { owners.count }

    /// The lexicons' stopwords as patterns (in the detector's pattern order), which languages
    /// list each, and each language with its script. The rule set adds the patterns to its own
    /// automaton, so that the rules' pass over the visible text finds them too.
    static func stopwords(_ table: ConceptTable) -> (patterns: [[UInt8]], owners: [[Int]], languages: [(code: String, script: Script?)]) {
        var patterns: [[UInt8]] = []
        var index: [[UInt8]: Int] = [:]
        var owners: [[Int]] = []
        var languages: [(code: String, script: Script?)] = []
        for (l, language) in table.languages.enumerated() {
            var counts: [Script: Int] = [:]
            for word in language.stopwords {
                let bytes = TextNormalizer.normalize(word.text)
                guard !bytes.isEmpty else { continue }
                for s in String(decoding: bytes, as: UTF8.self).unicodeScalars { if let script = Self.script(s.value) { counts[script, default: 0] += 1 } }
                if let i = index[bytes] {
                    if !owners[i].contains(l) { owners[i].append(l) }
                } else {
                    index[bytes] = patterns.count
                    patterns.append(bytes)
                    owners.append([l])
                }
            }
            let main = counts.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
            languages.append((language.code, main))
        }
        return (patterns, owners, languages)
    }

    /// The page's language code, or nil when the text has too few letters to tell.
    /// - Parameter found: the matches in `text` of the stopwords in `scannedPatterns` (pattern
    ///   ids are the detector's), in the order an automaton reports them, when another pass
    ///   already found them; the plain words are then looked up here. nil: the detector looks
    ///   for all of them itself.
    /// - Parameter fallback: read instead when `text` has too few letters (the hidden text of a
    ///   page whose words are all in a `<template>`).
    public func detect(_ text: [UInt8], declared: String?, found: [AhoCorasick.Match]? = nil, fallback: [UInt8]? = nil) -> String? {
        let limit = min(text.count, Self.maxBytes)
        // 1. Scripts of the letters, counted in an array by script (a dictionary, or a run
        //    length kept in variables a nested function shares, cost more than the rest).
        var perScript = [Int](repeating: 0, count: Script.allCases.count)
        var letters = 0
        text.withUnsafeBufferPointer { b in
        perScript.withUnsafeMutableBufferPointer { perScript in
            var i = 0
            while i < limit {
                let c = b[i]
                if c < 0x80 {
                    if c >= 0x61 && c <= 0x7A { perScript[Self.index(.latin)] += 1 }
                    i += 1
                } else if let (v, n) = WordChars.decode(b, i) {
                    if let s = Self.script(v) { perScript[Self.index(s)] += 1 }
                    i += n
                } else {
                    i += 1
                }
            }
        }}
        var scripts: [Script: Int] = [:]
        for (k, script) in Script.allCases.enumerated() where perScript[k] > 0 {
            scripts[script] = perScript[k]
            letters += perScript[k]
        }
        guard letters >= 20, let main = scripts.max(by: { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) })?.key else {
            if let fallback { return detect(fallback, declared: declared) }
            return Self.primary(declared)
        }
        // Han text with a fair share of kana is Japanese.
        if main == .han || main == .kana, (scripts[.kana] ?? 0) * 5 >= (scripts[.han] ?? 0) + (scripts[.kana] ?? 0), (scripts[.kana] ?? 0) > 0 {
            return "ja"
        }
        // Languages written in any script that holds a fair share of the letters: a page may
        // mix a script with a long block in another (Roman Urdu beside Urdu).
        let present = Set(scripts.filter { $0.value * 4 >= letters }.map(\.key)).union([main])
        let candidates = languages.indices.filter { languages[$0].script.map(present.contains) ?? false
            || (present.contains(.kana) && languages[$0].script == .han) }
        // 2. Stopword hits among the candidates; a word several languages share counts for each a fraction.
        // One candidate in the main script is the answer whatever its words (with no hit, it is
        // also the only language of the main script, which `decide` falls back to), and with no
        // candidate no hit could count: then the text need not be scanned.
        let needsWords = !(candidates.isEmpty || (candidates.count == 1 && languages[candidates[0]].script == main))
        let hits = needsWords ? stopwordHits(text, found: found) : [Double](repeating: 0, count: languages.count)
        return decide(candidates: candidates, hits: hits, main: main, declared: declared)
    }

    /// Stopword hits per language in the start of `text` (`found` as for `detect`); a word
    /// several languages share counts for each a fraction.
    func stopwordHits(_ text: [UInt8], found: [AhoCorasick.Match]?) -> [Double] {
        let limit = min(text.count, Self.maxBytes)
        var hits = [Double](repeating: 0, count: languages.count)
        text.withUnsafeBufferPointer { full in
        hits.withUnsafeMutableBufferPointer { hits in
        bounded.withUnsafeBufferPointer { bounded in
        ownerStart.withUnsafeBufferPointer { ownerStart in
        ownerList.withUnsafeBufferPointer { ownerList in
            let b = UnsafeBufferPointer(rebasing: full[0..<limit])
            // Boundaries are checked in the first `limit` bytes only, as a scan of them sees them.
            func count(_ m: AhoCorasick.Match) {
                if bounded[m.pattern].start && WordChars.wordBefore(b, m.start) { return }
                if bounded[m.pattern].end && WordChars.wordAt(b, m.end) { return }
                let from = Int(ownerStart[m.pattern]), to = Int(ownerStart[m.pattern + 1])
                let share = 1 / Double(to - from)
                for k in from..<to { hits[Int(ownerList[k])] += share }
            }
            guard let found else {
                automaton.scan(b, count)
                return
            }
            // The plain words merged into the other matches in the order an automaton holding
            // them all would report them (by end, the longer first at one end), so that the
            // fractions add up in the same order, to the same bits. Two matches never share
            // both end and length: they would be the same word.
            let words = plainWords.matches(in: b)
            var w = 0
            for m in found where m.end <= limit {
                while w < words.count, words[w].end < m.end || (words[w].end == m.end && words[w].start < m.start) {
                    count(words[w])
                    w += 1
                }
                count(m)
            }
            while w < words.count {
                count(words[w])
                w += 1
            }
        }}}}}
        return hits
    }

    /// The candidate with the most stopword hits (the declared language breaks ties); with none,
    /// the declared language if it fits the main script, else the script's only or usual language.
    func decide(candidates: [Int], hits: [Double], main: Script, declared: String?) -> String? {
        let declaredCode = Self.primary(declared)
        var best: Int?
        for c in candidates where hits[c] > 0 {
            guard let b = best else { best = c; continue }
            if hits[c] > hits[b] || (hits[c] == hits[b] && languages[c].code == declaredCode) { best = c }
        }
        if let best { return languages[best].code }
        // No common word of any lexicon: the declared language if it fits the script, else the script's usual language.
        let inMain = candidates.filter { languages[$0].script == main }
        if let declaredCode, inMain.contains(where: { languages[$0].code == declaredCode }) { return declaredCode }
        if inMain.count == 1 { return languages[inMain[0]].code }
        return Self.usualLanguage[main] ?? declaredCode
    }

    /// For scripts that (nearly) one language writes, that language.
    static let usualLanguage: [Script: String] = [
        .cyrillic: "ru", .greek: "el", .hebrew: "he", .bengali: "bn", .gurmukhi: "pa", .gujarati: "gu", .tamil: "ta",
        .telugu: "te", .kannada: "kn", .malayalam: "ml", .sinhala: "si", .thai: "th", .lao: "lo", .khmer: "km",
        .myanmar: "my", .georgian: "ka", .armenian: "hy", .ethiopic: "am", .han: "zh", .kana: "ja", .hangul: "ko",
    ]

    /// `en-GB` → `en`; nil for an empty value.
    static func primary(_ tag: String?) -> String? {
        guard let tag, let first = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first, !first.isEmpty else { return nil }
        return String(first)
    }

    /// The script of a letter (nil for digits, punctuation and marks shared by scripts).
    static func script(_ v: UInt32) -> Script? {
        switch v {
        case 0x61...0x7A, 0x41...0x5A, 0xC0...0x24F, 0x1E00...0x1EFF: return .latin
        case 0x0370...0x03FF: return .greek
        case 0x0400...0x052F: return .cyrillic
        case 0x0531...0x058F: return .armenian
        case 0x05D0...0x05EA: return .hebrew
        case 0x0620...0x064A, 0x066E...0x06D3, 0x06FA...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x0904...0x0939, 0x0958...0x0961: return .devanagari
        case 0x0985...0x09B9, 0x09DC...0x09E1: return .bengali
        case 0x0A05...0x0A39: return .gurmukhi
        case 0x0A85...0x0AB9: return .gujarati
        case 0x0B85...0x0BB9: return .tamil
        case 0x0C05...0x0C39: return .telugu
        case 0x0C85...0x0CB9: return .kannada
        case 0x0D05...0x0D3A: return .malayalam
        case 0x0D85...0x0DC6: return .sinhala
        case 0x0E01...0x0E30: return .thai
        case 0x0E81...0x0EB0: return .lao
        case 0x1000...0x102A: return .myanmar
        case 0x10A0...0x10FF: return .georgian
        case 0x1200...0x137F: return .ethiopic
        case 0x1780...0x17B3: return .khmer
        case 0x3040...0x30FF: return .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return .han
        case 0xAC00...0xD7A3, 0x1100...0x11FF: return .hangul
        default: return nil
        }
    }
}

extension LanguageDetector: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.int(languages.count)
        for (code, script) in languages {
            w.string(code)
            w.optional(script?.rawValue)
        }
        w.write(automaton)
        w.int(owners.count)
        for list in owners { w.array(list) }
        w.integers(bounded.map { UInt8(($0.start ? 1 : 0) | ($0.end ? 2 : 0)) })
        w.integers(patternBytes)
        w.integers(patternStart)
    }

    init(from r: inout SnapshotReader) throws {
        var languages: [(code: String, script: Script?)] = []
        for _ in 0..<(try r.int()) {
            let code = try r.string()
            let script = try r.optional(String.self)
            guard script == nil || Script(rawValue: script!) != nil else { throw SnapshotReader.Malformed(offset: -1) }
            languages.append((code, script.flatMap(Script.init(rawValue:))))
        }
        self.languages = languages
        automaton = try r.read()
        var owners: [[Int]] = []
        for _ in 0..<(try r.int()) { owners.append(try r.array()) }
        self.owners = owners
        (ownerStart, ownerList) = Self.flatten(owners.map { $0.map(Int32.init) })
        bounded = try r.integers(UInt8.self).map { (start: $0 & 1 != 0, end: $0 & 2 != 0) }
        let patternBytes: [UInt8] = try r.integers(), patternStart: [Int32] = try r.integers()
        self.patternBytes = patternBytes
        self.patternStart = patternStart
        let lengths = automaton.patternLengths
        guard owners.count == automaton.patternCount, bounded.count == owners.count,
              owners.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0 < languages.count } }),
              patternStart.count == owners.count + 1, patternStart.first == 0, patternStart.last == Int32(patternBytes.count),
              zip(patternStart, patternStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              (0..<owners.count).allSatisfy({ Int(patternStart[$0 + 1] - patternStart[$0]) == lengths[$0] })
        else { throw SnapshotReader.Malformed(offset: -1) }
        let patterns = (0..<owners.count).map { Array(patternBytes[Int(patternStart[$0])..<Int(patternStart[$0 + 1])]) }
        (plainWords, scannedPatterns) = Self.split(patterns)
    }
}
