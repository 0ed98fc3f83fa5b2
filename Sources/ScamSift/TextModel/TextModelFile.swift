import Foundation

/// The text form of a token model, as the built-in one is committed (`Rules/text-model.tsv`)
/// and as `scamsift learn --export` writes it:
///
/// ```
/// # comment lines
/// pages<TAB>SCAM<TAB>LEGIT
/// HASH<TAB>SCAM<TAB>LEGIT        one line per token: 16 hex digits, then page counts
/// ```
///
/// Tokens are sorted by hash, so the same model gives the same bytes.
public enum TextModelFile {
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// The model as text. Tokens seen on fewer than `minPages` pages in all are left out
    /// (a token seen once says almost nothing, and they are most of a model).
    public static func write(_ model: TextModel, minPages: Int = 1, header: [String] = []) -> String {
        var out = header.map { "# " + $0 }.joined(separator: "\n")
        if !out.isEmpty { out += "\n" }
        out += "pages\t\(model.scamPages)\t\(model.legitPages)\n"
        for (h, c) in model.counts.sorted(by: { $0.key < $1.key }) where Int(c.scam) + Int(c.legit) >= minPages {
            out += hex(h) + "\t\(c.scam)\t\(c.legit)\n"
        }
        return out
    }

    /// The token model of every page of a fit's table, as `fit --text-model-out` writes it.
    public static func fitted(_ table: FeatureTable, minPages: Int) -> String {
        let model = TextStacking.model(table, rows: Array(table.examples.indices))
        return write(model, minPages: minPages, header: [
            "ScamSift text model, written by `scamsift fit --text-model-out`. Do not edit: fit again.",
            "Each line: a token's hash (64-bit FNV-1a of the token, in hex), then the scam and legit pages",
            "it was seen on; tokens seen on fewer than \(minPages) pages are left out. It holds no text of the pages.",
        ])
    }

    static func hex(_ h: UInt64) -> String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Reads the text form; every problem names its line. Read byte by byte: the built-in
    /// model is read at every start-up, and splitting 15,000 lines into strings cost more than
    /// the rest of a one-page run.
    public static func read(_ text: String, file: String) throws -> TextModel {
        let c = try columns(text, file: file)
        return TextModel(scamPages: c.scamPages, legitPages: c.legitPages, counts: Dictionary(uniqueKeysWithValues: zip(c.hashes, c.counts)))
    }

    /// A model file's columns: tokens sorted by hash, with their counts.
    struct Columns {
        var scamPages: Int
        var legitPages: Int
        var hashes: [UInt64]
        var counts: [TextModel.TokenCount]
    }

    static func columns(_ text: String, file: String) throws -> Columns {
        var text = text
        return try text.withUTF8 { try columns(bytes: $0, file: file) }
    }

    static func columns(bytes b: UnsafeBufferPointer<UInt8>, file: String) throws -> Columns {
        var pages: (Int, Int)?
        var hashes: [UInt64] = [], counts: [TextModel.TokenCount] = []
        hashes.reserveCapacity(b.count / 24)
        counts.reserveCapacity(b.count / 24)
        var lineNumber = 0
        var i = 0
        while i < b.count {
            lineNumber += 1
            // The usual line, read in one pass; anything else (a comment, the pages line, a line
            // with a problem) is read again below, which also words the problem.
            if let (scamPages, legitPages) = pages, let line = Self.usualLine(b, from: i),
               hashes.last.map({ $0 < line.hash }) ?? true, Int(line.scam) <= scamPages, Int(line.legit) <= legitPages {
                hashes.append(line.hash)
                counts.append(TextModel.TokenCount(scam: line.scam, legit: line.legit))
                i = line.next
                continue
            }
            var end = i
            while end < b.count && b[end] != 0x0A { end += 1 }
            defer { i = end + 1 }
            if end == i || b[i] == 0x23 { continue }   // empty, or "#"
            let line = UnsafeBufferPointer(rebasing: b[i..<end])
            func fail(_ message: String) -> Problem { Problem(file: file, line: lineNumber, message: message) }
            // Three fields, found without making an array per line (15,000 lines at start-up).
            var tabs = 0, firstTab = -1, secondTab = -1
            for k in 0..<line.count where line[k] == 0x09 {
                tabs += 1
                if tabs == 1 { firstTab = k } else if tabs == 2 { secondTab = k }
            }
            guard tabs == 2 else { throw fail("expected 3 tab-separated fields, found \(tabs + 1)") }
            let f0 = 0..<firstTab, f1 = (firstTab + 1)..<secondTab, f2 = (secondTab + 1)..<line.count
            func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: line[r]), as: UTF8.self) }
            guard let a = Self.pageCount(line, f1), let c = Self.pageCount(line, f2) else {
                throw fail("page counts must be whole numbers, found '\(string(f1))' and '\(string(f2))'")
            }
            if f0.count == 5, line[f0].elementsEqual("pages".utf8) {
                guard pages == nil else { throw fail("a second 'pages' line") }
                pages = (Int(a), Int(c))
                continue
            }
            guard let h = Self.tokenHash(line, f0) else { throw fail("'\(string(f0))' is no token hash (16 hex digits)") }
            guard let (scamPages, legitPages) = pages else { throw fail("a token before the 'pages' line") }
            if let last = hashes.last, last >= h {
                throw fail(last == h ? "token \(string(f0)) given twice" : "token \(string(f0)) is out of order (tokens are sorted by hash)")
            }
            guard Int(a) <= scamPages, Int(c) <= legitPages else { throw fail("token \(string(f0)) is on more pages than the model learned") }
            hashes.append(h)
            counts.append(TextModel.TokenCount(scam: a, legit: c))
        }
        guard let (scam, legit) = pages else { throw Problem(file: file, line: max(1, lineNumber), message: "no 'pages' line") }
        return Columns(scamPages: scam, legitPages: legit, hashes: hashes, counts: counts)
    }

    /// A token line as `write` makes it (16 lower-case hex digits, a tab, a number, a tab, a
    /// number, then a newline or the end), read in one pass; nil for any other line. The built-in
    /// model has 15,000 of them, read at every start: a pass for the line's end, one for its
    /// tabs and one per field cost 3-4% of starting and scoring one page.
    @inline(__always)
    static func usualLine(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (hash: UInt64, scam: UInt32, legit: UInt32, next: Int)? {
        guard start + 16 < b.count, b[start + 16] == 0x09, let h = tokenHash(b, start..<(start + 16)) else { return nil }
        var k = start + 17
        /// The digits from `k` on, which must be followed by `stop` (or the end of the text, when `atEnd`).
        func count(stop: UInt8, atEnd: Bool) -> UInt32? {
            let from = k
            while k < b.count, b[k] &- 0x30 < 10 { k += 1 }
            guard k < b.count ? b[k] == stop : atEnd else { return nil }
            k += 1
            return pageCount(b, from..<(k - 1))
        }
        guard let scam = count(stop: 0x09, atEnd: false), let legit = count(stop: 0x0A, atEnd: true) else { return nil }
        return (h, scam, legit, k)
    }

    /// A token's hash: exactly 16 lower-case hex digits.
    @inline(__always)
    static func tokenHash(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> UInt64? {
        guard r.count == 16 else { return nil }
        var h: UInt64 = 0
        for k in r {
            let d = b[k]
            if d &- 0x30 < 10 { h = h << 4 | UInt64(d &- 0x30) } else if d &- 0x61 < 6 { h = h << 4 | UInt64(d &- 0x61 &+ 10) } else { return nil }
        }
        return h
    }

    /// A page count: 1 to 10 decimal digits, at most `UInt32.max`.
    @inline(__always)
    static func pageCount(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> UInt32? {
        guard !r.isEmpty, r.count <= 10 else { return nil }
        var v: UInt64 = 0
        for k in r {
            guard b[k] &- 0x30 < 10 else { return nil }
            v = v * 10 + UInt64(b[k] &- 0x30)
        }
        return v <= UInt64(UInt32.max) ? UInt32(v) : nil
    }

    /// The model built into the binary (`Rules/text-model.tsv`), nil when there is none.
    public static var builtIn: TextModel? { CompiledTextModel.builtIn?.model }

    static let builtInColumns: Columns? = {
        guard let text = BuiltInRuleFiles.data.first(where: { $0.name == "Rules/text-model.tsv" })?.text else { return nil }
        do { return try columns(text, file: "Rules/text-model.tsv") } catch { fatalError("the built-in text model does not load: \(error)") }
    }()
}
