import Foundation
import ScamSift

/// The language a page is written in for one request: `?lang=`, else the browser's
/// `Accept-Language`, else the server's default (`--lang`, or the locale).
enum LanguageChoice {
    static func choose(query: String?, acceptLanguage: String?, fallback: String) -> String {
        if let query, Catalog.builtIn[query.lowercased()] != nil { return query.lowercased() }
        if let acceptLanguage, let best = preferred(acceptLanguage) { return best }
        return fallback
    }

    /// The browser's most wanted language that has a catalogue: `bn-BD,bn;q=0.9,en;q=0.8` → `bn`.
    /// Ties keep the header's order; `q=0` means "not this one".
    static func preferred(_ header: String) -> String? {
        var best: (q: Double, index: Int, code: String)?
        for (index, item) in header.split(separator: ",").enumerated() {
            let fields = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = fields.first, let code = Language.code(fromLocale: tag), Catalog.builtIn[code] != nil else { continue }
            var q = 1.0
            for field in fields.dropFirst() where field.lowercased().hasPrefix("q=") {
                q = Double(field.dropFirst(2)) ?? 0
            }
            guard q > 0 else { continue }
            if best == nil || q > best!.q { best = (q, index, code) }
        }
        return best?.code
    }
}
