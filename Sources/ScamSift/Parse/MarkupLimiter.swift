import Foundation

/// Bounds the markup libxml2 is given, before it sees it. libxml2 2.9's HTML parser compares
/// each attribute with every earlier one on its element (a million attributes never finish),
/// searches its stack of open elements at end tags that do not close the innermost one (a
/// hundred thousand nested elements take minutes), and keeps every element and attribute as a
/// node of its own (hundreds of bytes each). One pass over the bytes, with a tokenizer that
/// reads tags the way libxml2 does closely enough to count them, finds where a page goes past
/// `Page.Limits` and leaves out what lies past it:
///
/// - attributes past `maxAttributesPerElement` on one element, or past `maxAttributes` on the page;
/// - start and end tags past `maxDepth` open elements (their text stays, in the element around);
/// - every tag past `maxElements` elements (the text stays).
///
/// Ordinary pages are far inside every limit: the pass finds nothing to cut and the bytes go to
/// libxml2 untouched, so their results cannot change. Each limit reached becomes a note in the
/// report (`Page.cuts`).
struct MarkupLimiter {
    /// Byte ranges to leave out, in order, and what was cut.
    private(set) var cuts: [Range<Int>] = []
    private(set) var notes: Set<PageCut> = []

    /// The bytes with the cuts made, or nil when nothing had to be cut.
    static func limit(_ bytes: UnsafeRawBufferPointer, encoding: String) -> (bytes: [UInt8], notes: Set<PageCut>)? {
        var limiter = MarkupLimiter()
        switch encoding {
        case "UTF-16LE": limiter.scan(UTF16Units(bytes: bytes, bigEndian: false))
        case "UTF-16BE": limiter.scan(UTF16Units(bytes: bytes, bigEndian: true))
        default: limiter.scan(ByteUnits(bytes: bytes))
        }
        guard !limiter.cuts.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var from = 0
        for cut in limiter.cuts {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from..<cut.lowerBound]))
            from = cut.upperBound
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from...]))
        return (out, limiter.notes)
    }

    // Elements that never hold others (void), and those libxml2 closes by itself when a sibling
    // starts (`<p>`, `<li>`, `<td>`…): neither counts towards the depth, so a page of unclosed
    // paragraphs is not taken for a deep one.
    static let notNesting: Set<UInt64> = Set([
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
        "track", "wbr", "basefont", "frame", "isindex", "bgsound",
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption",
        "rb", "rt", "rp", "rtc", "html", "head", "body",
    ].map(nameKey))

    /// A tag name as one integer: FNV-1a of its lower-cased bytes.
    static func nameKey(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in name.utf8 { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        return h
    }

    static let scriptKey = nameKey("script"), styleKey = nameKey("style")

    private var elements = 0
    private var attributes = 0
    /// Names of the open elements that nest, innermost last (as `nameKey`s).
    private var open: [UInt64] = []
    /// Start tags left out for depth, by name, so that their end tags are left out too.
    private var droppedOpen: [UInt64: Int] = [:]

    private mutating func cut(_ range: Range<Int>, _ note: PageCut) {
        guard !range.isEmpty else { return }
        cuts.append(range)
        notes.insert(note)
    }

    /// Walks the units once. Offsets passed to `cut` are in bytes.
    private mutating func scan<U: CodeUnits>(_ u: U) {
        let n = u.count
        var i = 0
        while i < n {
            guard let lt = u.find(0x3C, from: i) else { return }
            i = lt + 1
            guard i < n else { return }
            let c = u[i]
            if c == 0x21 {   // <!-- comment -->, <!DOCTYPE …>
                if i + 2 < n, u[i + 1] == 0x2D, u[i + 2] == 0x2D {
                    i = u.find(sequence: [0x2D, 0x2D, 0x3E], from: i + 3).map { $0 + 3 } ?? n
                } else {
                    i = u.find(0x3E, from: i).map { $0 + 1 } ?? n
                }
                continue
            }
            if c == 0x3F {   // <?…>
                i = u.find(0x3E, from: i).map { $0 + 1 } ?? n
                continue
            }
            let isEnd = c == 0x2F
            let nameStart = isEnd ? i + 1 : i
            guard nameStart < n, Self.isLetter(u[nameStart]) else { continue }
            var key: UInt64 = 0xcbf2_9ce4_8422_2325
            var j = nameStart
            while j < n {
                let d = u[j]
                if Self.isSpace(d) || d == 0x2F || d == 0x3E { break }
                key = (key ^ UInt64(d >= 0x41 && d <= 0x5A ? d | 0x20 : d)) &* 0x100_0000_01b3
                j += 1
            }
            if isEnd {
                let end = u.find(0x3E, from: j).map { $0 + 1 } ?? n
                endTag(key, bytes: u.byteOffset(lt)..<u.byteOffset(end))
                i = end
            } else {
                i = startTag(key, u, tagStart: lt, attributesFrom: j)
                if key == Self.scriptKey || key == Self.styleKey {
                    // Raw text up to the matching end tag, as libxml2 reads it.
                    i = u.find(closing: key, from: i) ?? n
                }
            }
        }
    }

    /// Reads a start tag's attributes; returns the offset after its `>`.
    private mutating func startTag<U: CodeUnits>(_ key: UInt64, _ u: U, tagStart: Int, attributesFrom: Int) -> Int {
        let n = u.count
        // Attributes this element may keep, and where the last of them ends.
        let allowed = min(Page.Limits.maxAttributesPerElement, Page.Limits.maxAttributes - attributes)
        var i = attributesFrom
        var count = 0
        var keptEnd = attributesFrom
        var selfClosing = false
        while i < n {
            let c = u[i]
            if Self.isSpace(c) { i += 1; continue }
            if c == 0x3E { break }
            if c == 0x2F {
                selfClosing = i + 1 < n && u[i + 1] == 0x3E
                i += 1
                continue
            }
            // An attribute: its name, then `= value` if any.
            selfClosing = false
            while i < n, !Self.isSpace(u[i]), u[i] != 0x3E, u[i] != 0x3D, !(u[i] == 0x2F && i + 1 < n && u[i + 1] == 0x3E) { i += 1 }
            var k = i
            while k < n, Self.isSpace(u[k]) { k += 1 }
            if k < n, u[k] == 0x3D {
                k += 1
                while k < n, Self.isSpace(u[k]) { k += 1 }
                if k < n, u[k] == 0x22 || u[k] == 0x27 {
                    k = u.find(u[k], from: k + 1).map { $0 + 1 } ?? n
                } else {
                    while k < n, !Self.isSpace(u[k]), u[k] != 0x3E { k += 1 }
                }
                i = k
            }
            count += 1
            if count <= allowed { keptEnd = i }
        }
        let tagEnd = min(n, i + 1)
        let tag = u.byteOffset(tagStart)..<u.byteOffset(tagEnd)
        if elements >= Page.Limits.maxElements {
            cut(tag, .elements)
            return tagEnd
        }
        let nests = !selfClosing && !Self.notNesting.contains(key)
        if nests && open.count >= Page.Limits.maxDepth {
            cut(tag, .depth)
            droppedOpen[key, default: 0] += 1
            return tagEnd
        }
        elements += 1
        if nests { open.append(key) }
        attributes += min(count, allowed)
        if count > allowed {
            // Everything after the last attribute kept, up to the `/>` or `>` (or the page's end).
            var stop = i
            if selfClosing, stop > keptEnd, u[stop - 1] == 0x2F { stop -= 1 }
            cut(u.byteOffset(keptEnd)..<u.byteOffset(stop), count > Page.Limits.maxAttributesPerElement ? .attributesPerElement : .attributes)
        }
        return tagEnd
    }

    private mutating func endTag(_ key: UInt64, bytes: Range<Int>) {
        if elements >= Page.Limits.maxElements {
            cut(bytes, .elements)
            return
        }
        if let k = open.lastIndex(of: key) {
            open.removeSubrange(k...)
        } else if let dropped = droppedOpen[key], dropped > 0 {
            droppedOpen[key] = dropped - 1
            cut(bytes, .depth)
        }
    }

    @inline(__always) static func isSpace(_ c: UInt16) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    @inline(__always) static func isLetter(_ c: UInt16) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
}

/// A limit of `Page.Limits` that a page reached, and what was left out for it.
public enum PageCut: String, Sendable, Hashable, CaseIterable, Comparable {
    case attributesPerElement = "attributes-per-element"
    case attributes
    case depth
    case elements
    case visibleText = "visible-text"
    case hiddenText = "hidden-text"
    case links
    case linkText = "link-text"
    case forms
    case formText = "form-text"
    case formFields = "form-fields"

    /// One sentence for the report.
    public var message: String {
        switch self {
        case .attributesPerElement:
            return "an element has more than \(Page.Limits.maxAttributesPerElement) attributes; the rest were not read"
        case .attributes:
            return "the page has more than \(Page.Limits.maxAttributes) attributes; those past it were not read"
        case .depth:
            return "elements nest deeper than \(Page.Limits.maxDepth); tags below that were not read (their text was)"
        case .elements:
            return "the page has more than \(Page.Limits.maxElements) elements; tags past that were not read (their text was)"
        case .visibleText:
            return "the visible text is longer than \(Page.Limits.maxTextBytes) bytes; only that much was read"
        case .hiddenText:
            return "the hidden text is longer than \(Page.Limits.maxTextBytes) bytes; only that much was read"
        case .links:
            return "the page has more than \(Page.Limits.maxLinks) links; only the first \(Page.Limits.maxLinks) were read"
        case .linkText:
            return "the links' text is longer than \(Page.Limits.maxTextBytes) bytes; only that much was read"
        case .formText:
            return "the forms' text is longer than \(Page.Limits.maxTextBytes) bytes; only that much was read"
        case .forms:
            return "the page has more than \(Page.Limits.maxForms) forms; only the first \(Page.Limits.maxForms) were read as forms"
        case .formFields:
            return "the page has more than \(Page.Limits.maxFormFields) form fields; only the first \(Page.Limits.maxFormFields) were read"
        }
    }

    public static func < (a: PageCut, b: PageCut) -> Bool { a.rawValue < b.rawValue }
}

/// What the limiter reads: ASCII-compatible bytes, or UTF-16 code units, whose markup
/// characters are all ASCII either way.
protocol CodeUnits {
    var count: Int { get }
    func find(_ c: UInt16, from: Int) -> Int?
    subscript(_ i: Int) -> UInt16 { get }
    func byteOffset(_ i: Int) -> Int
}

extension CodeUnits {
    /// The first `c` at or after `from`.
    func find(_ c: UInt16, from: Int) -> Int? {
        var i = from
        while i < count { if self[i] == c { return i }; i += 1 }
        return nil
    }

    func find(sequence s: [UInt16], from: Int) -> Int? {
        var i = from
        while let at = find(s[0], from: i) {
            if at + s.count > count { return nil }
            if (1..<s.count).allSatisfy({ self[at + $0] == s[$0] }) { return at }
            i = at + 1
        }
        return nil
    }

    /// The `<` of the first `</name` (any case) at or after `from`.
    func find(closing key: UInt64, from: Int) -> Int? {
        var i = from
        while let at = find(0x3C, from: i) {
            i = at + 1
            guard at + 2 < count, self[at + 1] == 0x2F else { continue }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var j = at + 2
            while j < count {
                let d = self[j]
                if MarkupLimiter.isSpace(d) || d == 0x2F || d == 0x3E { break }
                h = (h ^ UInt64(d >= 0x41 && d <= 0x5A ? d | 0x20 : d)) &* 0x100_0000_01b3
                j += 1
            }
            if h == key { return at }
        }
        return nil
    }
}

struct ByteUnits: CodeUnits {
    let bytes: UnsafeRawBufferPointer
    var count: Int { bytes.count }
    @inline(__always) subscript(_ i: Int) -> UInt16 { UInt16(bytes[i]) }
    @inline(__always) func byteOffset(_ i: Int) -> Int { i }

    /// memchr: most of a page is text between tags.
    func find(_ c: UInt16, from: Int) -> Int? {
        guard from < count, let base = bytes.baseAddress,
              let hit = memchr(base + from, Int32(c), count - from) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}

struct UTF16Units: CodeUnits {
    let bytes: UnsafeRawBufferPointer
    let bigEndian: Bool
    var count: Int { bytes.count / 2 }
    @inline(__always) subscript(_ i: Int) -> UInt16 {
        bigEndian ? UInt16(bytes[2 * i]) << 8 | UInt16(bytes[2 * i + 1]) : UInt16(bytes[2 * i + 1]) << 8 | UInt16(bytes[2 * i])
    }
    @inline(__always) func byteOffset(_ i: Int) -> Int { 2 * i }
}
