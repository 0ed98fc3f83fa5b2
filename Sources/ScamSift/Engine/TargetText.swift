/// The text a rule target reads, built from a `Page` once and normalised for matching.
struct TargetTexts {
    let page: Page
    private var cache = TargetMap<NormalizedText>()
    /// Time spent building and normalising texts, for the timings report.
    private(set) var buildNanos: UInt64 = 0

    init(page: Page) { self.page = page }

    mutating func text(_ target: RuleTarget, xpathIndex: Int?) -> NormalizedText {
        if let cached = cache[target] { return cached }
        let started = now()
        defer { buildNanos += now() - started }
        let built = NormalizedText(blocks: blocks(target, xpathIndex: xpathIndex))
        cache.insert(built, for: target)
        return built
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
