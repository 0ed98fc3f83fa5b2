import Foundation

enum ElementKind {
    /// Elements that start and end a text block. Phrases never join across these.
    static let blocks: [String] = [
        "address", "article", "aside", "blockquote", "body", "button", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "label", "legend", "li", "main", "marquee", "nav",
        "ol", "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "textarea",
        "tfoot", "th", "thead", "tr", "ul", "img",
    ]
}

/// An element's name read as one integer: its bytes, when it has at most eight (nearly every
/// name the page builder treats specially does). Classifying an element is then a look in a
/// small table, instead of making a String and hashing it for every element of every page.
struct ElementName: Hashable {
    let packed: UInt64

    /// nil for names longer than eight bytes.
    init?(_ p: UnsafePointer<UInt8>) {
        var v: UInt64 = 0
        var i = 0
        while p[i] != 0 {
            if i == 8 { return nil }
            v |= UInt64(p[i]) << (8 * UInt64(i))
            i += 1
        }
        packed = v
    }

    init?(_ s: String) {
        guard let made = s.withCString({ $0.withMemoryRebound(to: UInt8.self, capacity: s.utf8.count + 1) { ElementName($0) } }) else { return nil }
        self = made
    }

    /// Elements the page builder handles itself.
    enum Kind: UInt8 {
        case other, script, skipped, template, title, meta, base, html, link, img, br, form, field
    }

    struct Info {
        var kind: Kind
        var block: Bool
    }

    /// `.template` is for <template> and <noscript>: their text is read as hidden text.
    static let special: [String: Kind] = [
        "script": .script, "style": .skipped, "noscript": .template, "template": .template, "iframe": .skipped,
        "object": .skipped, "title": .title, "meta": .meta, "base": .base, "html": .html, "a": .link, "area": .link,
        "img": .img, "br": .br, "form": .form, "input": .field, "select": .field, "textarea": .field, "button": .field,
    ]

    /// What the page builder does with an element of this name (longer names looked up as strings).
    static func info(_ p: UnsafePointer<UInt8>) -> Info {
        if let name = ElementName(p) { return name.info }
        let long = String(cString: p)
        return Info(kind: special[long] ?? .other, block: longBlocks.contains(long))
    }

    private static let longBlocks = Set(ElementKind.blocks.filter { $0.utf8.count > 8 })

    /// Open addressing over 256 slots, filled once: every special or block name, by packed value.
    private static let table: [(key: UInt64, info: Info)] = {
        var slots = [(key: UInt64, info: Info)](repeating: (0, Info(kind: .other, block: false)), count: 256)
        let names = Set(special.keys).union(ElementKind.blocks)
        for name in names.sorted() {
            guard let key = ElementName(name)?.packed else { continue }
            var k = slot(key)
            while slots[k].key != 0 { k = (k + 1) & 255 }
            slots[k] = (key, Info(kind: special[name] ?? .other, block: ElementKind.blocks.contains(name)))
        }
        return slots
    }()

    @inline(__always) private static func slot(_ key: UInt64) -> Int { Int((key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

    var info: Info {
        var k = Self.slot(packed)
        while true {
            let entry = Self.table[k]
            if entry.key == packed { return entry.info }
            if entry.key == 0 { return Info(kind: .other, block: false) }
            k = (k + 1) & 255
        }
    }
}

/// Reads just enough inline CSS to tell whether an element's text is invisible.
enum InlineStyle {
    static func hidesText(_ style: String) -> Bool {
        let bytes = lowered(style)
        guard mayHide(bytes) else { return false }
        // Declarations read on bytes (lower-cased, trimmed, "!important" dropped): this runs for
        // many elements, and Foundation's string functions bridge through NSString here.
        var properties: [String: String] = [:]
        func trimmed(_ s: ArraySlice<UInt8>) -> String {
            var lo = s.startIndex, hi = s.endIndex
            while lo < hi, s[lo] == 0x20 || s[lo] == 0x09 || s[lo] == 0x0A || s[lo] == 0x0D { lo += 1 }
            while hi > lo, s[hi - 1] == 0x20 || s[hi - 1] == 0x09 || s[hi - 1] == 0x0A || s[hi - 1] == 0x0D { hi -= 1 }
            return String(decoding: s[lo..<hi], as: UTF8.self)
        }
        let important = Array("!important".utf8)
        for declaration in bytes.split(separator: 0x3B, omittingEmptySubsequences: false) {   // ;
            guard let colon = declaration.firstIndex(of: 0x3A) else { continue }             // :
            var value = Array(declaration[(colon + 1)...])
            var k = 0
            while k + important.count <= value.count {
                if value[k..<(k + important.count)].elementsEqual(important) { value.removeSubrange(k..<(k + important.count)) } else { k += 1 }
            }
            properties[trimmed(declaration[..<colon])] = trimmed(value[...])
        }
        if properties["display"] == "none" { return true }
        if properties["visibility"] == "hidden" { return true }
        if let opacity = properties["opacity"], let v = Double(opacity), v == 0 { return true }
        if let size = properties["font-size"], isZeroLength(size) { return true }
        let clipped = properties["overflow"] == "hidden"
        if clipped, ["height", "width", "max-height", "max-width"].contains(where: { properties[$0].map(isZeroLength) ?? false }) {
            return true
        }
        for key in ["left", "top", "text-indent", "margin-left"] {
            if let v = properties[key], v.hasPrefix("-"), let n = Double(v.dropFirst().prefix { $0.isNumber || $0 == "." }), n >= 999 {
                return true
            }
        }
        return false
    }

    /// A quick look at the bytes: every hiding declaration below needs one of these words, or a
    /// minus sign before a digit. Most inline styles have none, and parsing them costs more.
    static func mayHide(_ style: String) -> Bool { mayHide(lowered(style)) }

    static func lowered(_ style: String) -> [UInt8] { style.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }

    static func mayHide(_ bytes: [UInt8]) -> Bool {
        let words: [[UInt8]] = [Array("none".utf8), Array("hidden".utf8), Array("opacity".utf8), Array("font-size".utf8)]
        for i in bytes.indices {
            let c = bytes[i]
            if c == 0x2D, i + 1 < bytes.count, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 { return true }
            for w in words where c == w[0] && bytes.count - i >= w.count && bytes[i..<(i + w.count)].elementsEqual(w) { return true }
        }
        return false
    }

    static func isZeroLength(_ value: String) -> Bool {
        let number = value.prefix { $0.isNumber || $0 == "." }
        guard let v = Double(number) else { return false }
        return v == 0
    }
}

/// Resolves hrefs against a base with Foundation, leaving unparseable ones as written.
enum URLResolver {
    static func url(_ href: String, relativeTo base: URL?) -> URL? {
        if let u = URL(string: href, relativeTo: base) { return u }
        let escaped = href.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(.urlQueryAllowed).union(["%", "#"]))
        return escaped.flatMap { URL(string: $0, relativeTo: base) }
    }

    static func resolve(_ href: String, against base: URL?) -> String {
        guard let base else { return href }
        let lower = href.lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("mailto:") || lower.hasPrefix("tel:") || lower.hasPrefix("data:") {
            return href
        }
        return url(href, relativeTo: base)?.absoluteString ?? href
    }
}
