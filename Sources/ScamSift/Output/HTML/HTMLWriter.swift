/// Builds an HTML document from trusted names and escaped text: tag and attribute names are
/// `StaticString`s written in ScamSift's code, and every value (page words, catalogue
/// strings, numbers) goes through `HTMLEscape`. Nothing a page says can become markup.
///
/// There is no way to write an arbitrary `href` or `src`: links are only to anchors in the
/// same document (`link(toAnchor:)`), so a report never points at another host.
/// The markup is also well-formed XML (void elements end in `/>`, every attribute is quoted,
/// only numeric character references), so tests check it with libxml2's XML parser too.
public struct HTMLWriter: Sendable {
    public private(set) var html = ""

    public init() {}

    /// Bytes written so far (UTF-8), for keeping a report within its size bound.
    public var byteCount: Int { html.utf8.count }

    /// A name-value pair; the value is escaped when written.
    public typealias Attribute = (name: StaticString, value: String)

    public mutating func doctype() { html += "<!DOCTYPE html>\n" }

    /// `<tag attributes>…</tag>`, with `body` writing what goes inside.
    public mutating func element(_ tag: StaticString, _ attributes: [Attribute] = [], _ body: (inout HTMLWriter) -> Void) {
        open(tag, attributes)
        body(&self)
        close(tag)
    }

    /// `<tag attributes>text</tag>`.
    public mutating func element(_ tag: StaticString, _ attributes: [Attribute] = [], text: String) {
        open(tag, attributes)
        self.text(text)
        close(tag)
    }

    /// An element with nothing inside, written `<tag …/>` (`meta`, `br`, SVG shapes).
    public mutating func empty(_ tag: StaticString, _ attributes: [Attribute] = []) {
        html += "<" + tag.string
        writeAttributes(attributes)
        html += "/>"
    }

    /// Escaped text.
    public mutating func text(_ s: String) { html += HTMLEscape.text(s) }

    /// A line break in the source, to keep the file readable (never inside `<pre>`).
    public mutating func newline() { html += "\n" }

    /// A style sheet: ScamSift's own text, checked to hold no `<` (which could end the
    /// `<style>` element) and no `&`.
    mutating func css(_ s: String) {
        precondition(!s.contains("<") && !s.contains("&"), "CSS must not contain < or &")
        html += s
    }

    /// `<a href="#anchor">`: the only kind of link a report has. `anchor` is an id this
    /// document gives an element (`HTMLEscape.anchor` makes one from any text).
    public mutating func link(toAnchor anchor: String, _ attributes: [Attribute] = [], _ body: (inout HTMLWriter) -> Void) {
        element("a", [("href", "#" + HTMLEscape.anchor(anchor))] + attributes, body)
    }

    mutating func open(_ tag: StaticString, _ attributes: [Attribute]) {
        html += "<" + tag.string
        writeAttributes(attributes)
        html += ">"
    }

    mutating func close(_ tag: StaticString) { html += "</" + tag.string + ">" }

    private mutating func writeAttributes(_ attributes: [Attribute]) {
        for a in attributes {
            let name = a.name.string
            // A handler or an outside address cannot be written: see the type's comment.
            precondition(!name.lowercased().hasPrefix("on") && !["src", "srcset", "action", "formaction", "xlink:href"].contains(name),
                         "HTMLWriter does not write \(name) attributes")
            precondition(name != "href" || a.value.hasPrefix("#"), "HTMLWriter writes only links to anchors")
            html += " " + name + "=\"" + HTMLEscape.attribute(a.value) + "\""
        }
    }
}

extension StaticString {
    var string: String { withUTF8Buffer { String(decoding: $0, as: UTF8.self) } }
}

/// Escaping and cleaning text for HTML. Page text is hostile input: besides `<`, `&` and
/// quotes, it may hold control characters, noncharacters and bidi overrides, which break an
/// XML or HTML parser or reorder what a reader sees.
public enum HTMLEscape {
    /// For text between tags: `&`, `<` and `>` escaped, forbidden characters dropped.
    public static func text(_ s: String) -> String { escape(s, quotes: false) }

    /// For an attribute value in double quotes: also `"` and `'`.
    public static func attribute(_ s: String) -> String { escape(s, quotes: true) }

    /// An id for `id=` and `#` links: ASCII letters, digits, `-` and `_`, anything else as `-`.
    public static func anchor(_ s: String) -> String {
        String(s.unicodeScalars.map { c -> Character in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_") ? Character(c) : "-"
        })
    }

    static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            case "\r": out += "\n"
            default:
                if let kept = kept(c) { out.unicodeScalars.append(kept) }
            }
        }
        return out
    }

    /// The scalar as written, a space for a control character, or nil for one that must go:
    /// noncharacters, and bidi embeddings, overrides and isolates (`<bdi>` isolates page text
    /// instead, so a right-to-left title cannot reorder the report around it).
    static func kept(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        switch c.value {
        case 0x09, 0x0A: return c
        case 0x00...0x1F, 0x7F...0x9F: return " "
        case 0x202A...0x202E, 0x2066...0x2069: return nil
        case 0xFDD0...0xFDEF: return nil
        case let v where v & 0xFFFE == 0xFFFE: return nil
        default: return c
        }
    }

    /// At most the last `limit` Unicode scalars of `s`, and whether some were cut.
    public static func clipStart(_ s: String, to limit: Int) -> (text: String, cut: Bool) {
        let scalars = s.unicodeScalars
        var i = scalars.endIndex, n = 0
        while i > scalars.startIndex && n < limit { scalars.formIndex(before: &i); n += 1 }
        return i == scalars.startIndex ? (s, false) : (String(scalars[i...]), true)
    }

    /// At most `limit` Unicode scalars of `s`, and whether some were cut. Scalars, not
    /// characters: one "character" can hold a million combining marks.
    public static func clip(_ s: String, to limit: Int) -> (text: String, cut: Bool) {
        let scalars = s.unicodeScalars
        var i = scalars.startIndex, n = 0
        while i < scalars.endIndex && n < limit { scalars.formIndex(after: &i); n += 1 }
        return i == scalars.endIndex ? (s, false) : (String(scalars[..<i]), true)
    }
}
