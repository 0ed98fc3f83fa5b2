/// The text a rule target reads, built from a `Page` once and normalised for matching.
struct TargetTexts {
    let page: Page
    private var cache = TargetMap<NormalizedText>()
    /// Time spent building and normalising texts, for the timings report.
    private(set) var buildNanos: UInt64 = 0
    /// Targets whose text was cut at `Page.Limits.maxTextBytes`, in the order built.
    private(set) var cutTargets: [RuleTarget] = []

    init(page: Page) { self.page = page }

    mutating func text(_ target: RuleTarget, xpathIndex: Int?) -> NormalizedText {
        if let cached = cache[target] { return cached }
        let started = now()
        defer { buildNanos += now() - started }
        let (kept, cut) = Self.bounded(blocks(target, xpathIndex: xpathIndex))
        if cut { cutTargets.append(target) }
        let built = NormalizedText(blocks: kept)
        cache.insert(built, for: target)
        return built
    }

    /// The blocks up to `Page.Limits.maxTextBytes` (each block also costs its separator), the
    /// last one cut on a character boundary; and whether anything was left out. Every
    /// normalised text costs tens of bytes per byte of text (offset maps, the regex input):
    /// this bounds them on a page made of one huge attribute or title.
    static func bounded(_ blocks: [String]) -> ([String], Bool) {
        var room = Page.Limits.maxTextBytes
        for (k, block) in blocks.enumerated() {
            let size = block.utf8.count + 1
            if size <= room { room -= size; continue }
            var kept = Array(blocks[..<k])
            let bytes = Array(block.utf8)
            var end = max(0, room - 1)
            while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            if end > 0 { kept.append(String(decoding: bytes[..<end], as: UTF8.self)) }
            return (kept, true)
        }
        return (blocks, false)
    }

    func blocks(_ target: RuleTarget, xpathIndex: Int?) -> [String] {
        switch target {
        case .text: return page.textBlocks
        case .title: return [page.title]
        case .hidden: return page.hiddenBlocks
        case .links: return page.links.flatMap { [$0.href, $0.text] }
        case .forms:
            return page.forms.flatMap { form in
                [form.action] + form.fields.flatMap { [$0.name, $0.placeholder, $0.value] } + form.text
            }.filter { !$0.isEmpty }
        case .scripts: return page.scripts.flatMap { [$0.src ?? "", $0.excerpt] }.filter { !$0.isEmpty }
        case .meta: return page.meta.map(\.content)
        case .url: return [page.url ?? ""]
        case .xpath:
            guard let i = xpathIndex, i < page.xpathResults.count else { return [] }
            return page.xpathResults[i].texts
        }
    }
}

/// A few values keyed by target. A page has at most a dozen targets, and finding one by
/// comparing tags is cheaper than hashing (rules look their texts up thousands of times a page).
struct TargetMap<Value> {
    private var keys: [RuleTarget] = []
    private var values: [Value] = []

    subscript(_ target: RuleTarget) -> Value? {
        for k in keys.indices where keys[k] == target { return values[k] }
        return nil
    }

    mutating func insert(_ value: Value, for target: RuleTarget) {
        if let k = keys.firstIndex(of: target) { values[k] = value; return }
        keys.append(target)
        values.append(value)
    }
}
