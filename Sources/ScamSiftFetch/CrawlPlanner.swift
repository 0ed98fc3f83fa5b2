import Foundation
import ScamSift

/// `--crawl N`: which same-site links of a landing page are worth a look. Scam sites often keep
/// their plans, deposit rules and referral levels one click away from a harmless front page.
public enum CrawlPlanner {
    /// Words in a link's URL or text, most telling first; a link ranks by its best word.
    public static let keywords: [[String]] = [
        // plans and investment
        ["plan", "invest", "deposit", "package", "pricing", "tariff", "vip", "level",
         "planes", "planos", "inversion", "inversión", "investimento", "deposito", "depósito", "paket", "investasi",
         "প্ল্যান", "প্যাকেজ", "বিনিয়োগ", "জমা", "ডিপোজিট", "योजना", "प्लान", "निवेश", "जमा"],
        // money out and recruiting
        ["withdraw", "payout", "cashout", "referral", "refer", "affiliate", "partner", "invite",
         "retiro", "saque", "referido", "indicacao", "indicação", "afiliado", "penarikan", "referal",
         "উত্তোলন", "রেফার", "निकासी", "रेफर"],
        // explanations and the fine print
        ["faq", "help", "terms", "about", "how-it-works", "how it works", "rules", "conditions",
         "preguntas", "perguntas", "ayuda", "ajuda", "terminos", "términos", "termos", "sobre", "nosotros", "tentang", "syarat",
         "প্রশ্ন", "শর্ত", "সম্পর্কে", "नियम", "शर्त", "बारे"],
    ]

    /// Up to `limit` links on the same site as `base` (www. ignored), by rank then page order,
    /// never the landing page itself, each once.
    public static func choose(_ links: [(href: String, text: String)], base: String, limit: Int) -> [(url: String, text: String)] {
        guard limit > 0, let site = siteKey(base) else { return [] }
        var seen: Set<String> = [stripFragment(base)]
        var ranked: [(rank: Int, order: Int, url: String, text: String)] = []
        for (order, link) in links.enumerated() {
            guard case let .url(url) = URLNormalizer.parse(link.href), siteKey(url) == site else { continue }
            let bare = stripFragment(url)
            guard !seen.contains(bare) else { continue }
            let path = (URLComponents(string: url).map { ($0.percentEncodedPath + "?" + ($0.percentEncodedQuery ?? "")) } ?? url)
            let haystack = ((path.removingPercentEncoding ?? path) + " " + link.text).lowercased()
            guard let rank = keywords.firstIndex(where: { group in group.contains { haystack.contains($0) } }) else { continue }
            seen.insert(bare)
            ranked.append((rank, order, bare, link.text))
        }
        ranked.sort { ($0.rank, $0.order) < ($1.rank, $1.order) }
        return ranked.prefix(limit).map { ($0.url, String($0.text.prefix(200))) }
    }

    /// The host without a leading www.
    static func siteKey(_ url: String) -> String? {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    static func stripFragment(_ url: String) -> String {
        url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? url
    }
}
