import Foundation

enum ElementKind {
    /// Elements that start and end a text block. Phrases never join across these.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "button", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "label", "legend", "li", "main", "marquee", "nav",
        "ol", "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "textarea",
        "tfoot", "th", "thead", "tr", "ul", "img",
    ]
}

/// Reads just enough inline CSS to tell whether an element's text is invisible.
enum InlineStyle {
    static func hidesText(_ style: String) -> Bool {
        var properties: [String: String] = [:]
        for declaration in style.lowercased().split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].replacingOccurrences(of: "!important", with: "").trimmingCharacters(in: .whitespaces)
            properties[key] = value
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
