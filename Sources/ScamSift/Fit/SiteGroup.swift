import Foundation

/// Which site a labeled page belongs to, for grouped cross-validation: pages of one site must
/// never sit on both sides of a split, or the rules' hits on a site's shared template leak from
/// training into testing and the figures come out too good.
public enum SiteGroup {
    /// The page's group: the manifest's `source_repo` when there is one, else a name read from
    /// the file name (see `fromFileName`).
    public static func of(_ page: LabeledPage) -> String {
        if let group = page.group, !group.isEmpty { return group }
        return fromFileName((page.path as NSString).lastPathComponent)
    }

    /// The site a file name stands for, lower-cased:
    /// - `owner__repo__path…` (pages saved from repositories): `owner/repo`, less a leading
    ///   language code such as `en-`;
    /// - a name that starts with a domain (`shop.example.com-index.html`): the domain, less `www.`;
    /// - `lang-what-site.html` (how Samples/ names its pages): the last word, the site's name, so
    ///   `en-gig-marketplace-taskharbor` and `en-seller-levels-taskharbor` are one site.
    public static func fromFileName(_ name: String) -> String {
        var stem = name.lowercased()
        for ext in [".html", ".htm"] where stem.hasSuffix(ext) { stem.removeLast(ext.count) }
        if let range = stem.range(of: "__") {
            var owner = String(stem[..<range.lowerBound])
            if owner.count > 3, owner.dropFirst(2).hasPrefix("-"), owner.prefix(2).allSatisfy(\.isLetter) { owner.removeFirst(3) }
            let rest = stem[range.upperBound...]
            let repo = rest.range(of: "__").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
            return owner + "/" + repo
        }
        let firstWord = stem.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? stem
        if firstWord.contains("."), let tld = firstWord.split(separator: ".").last, tld.count >= 2, tld.allSatisfy(\.isLetter) {
            return firstWord.hasPrefix("www.") ? String(firstWord.dropFirst(4)) : firstWord
        }
        return stem.split(separator: "-").last.map(String.init) ?? stem
    }
}
