/// Hostile pages made from code, for `bench/pathological.sh` and the tests that check every
/// kind is scored or refused quickly and in bounded memory (issue 16, point 5). Each kind is
/// built deterministically (a fixed pseudo-random sequence where one is needed), so a figure
/// measured on one machine can be measured again on another.
public enum PathologicalPage: String, CaseIterable, Sendable {
    /// 100,000 elements, each inside the one before.
    case nestedElements = "nested-elements"
    /// One `<p>` whose only child is a 15 MiB text node.
    case hugeTextNode = "huge-text-node"
    /// One element carrying 1,000,000 attributes.
    case manyAttributes = "many-attributes"
    /// 100,000 links.
    case manyLinks = "many-links"
    /// 10,000 tables, each inside a cell of the one before.
    case nestedTables = "nested-tables"
    /// 5 MB in which nearly every character is an invalid UTF-8 sequence.
    case invalidUTF8 = "invalid-utf8"
    /// 50,000 `<form>` elements, each with fields and a button.
    case manyForms = "many-forms"
    /// One line of 10 MB of digits and percent signs, no markup at all.
    case digitsAndPercents = "digits-and-percents"
    /// Inline scripts, 4 MB in all: 100,000 short sentences in quotes, then escapes left
    /// open ("\u{" without its brace), template literals whose "${" never closes, and quotes
    /// without their pair.
    case scriptStrings = "script-strings"
    /// 2,000,000 empty PHP echo blocks (`<?=?>`, 10 MB), then one block that never closes.
    case phpBlocks = "php-blocks"
    /// One paragraph of 2 MB of amounts and the words that put money in and pay it out: pairs
    /// that make a rate ("invest $100 and receive $4 every day") between runs that make none.
    case moneyAmounts = "money-amounts"

    /// The page's bytes.
    public func bytes() -> [UInt8] {
        var out = Output()
        switch self {
        case .nestedElements:
            out.add("<!DOCTYPE html><html><head><title>Deep</title></head><body>")
            let names = ["div", "span", "section", "b", "p", "i"]
            for i in 0..<100_000 { out.add("<\(names[i % names.count])>") }
            out.add("Deposit 100 USD and earn 5% daily")
            for i in (0..<100_000).reversed() { out.add("</\(names[i % names.count])>") }
            out.add("</body></html>")
        case .hugeTextNode:
            out.add("<!DOCTYPE html><html><head><title>Long</title></head><body><p>")
            // Scam words and numbers, so every stage (automaton, regexes, offers) has work.
            let words = ["deposit", "$100", "earn", "5%", "daily", "profit", "guaranteed", "withdraw", "usdt",
                         "referral", "commission", "10%", "plan", "vip", "level", "minimum", "hours", "150%", "after", "48"]
            var random = SplitMix(seed: 1)
            let target = 15 * 1024 * 1024
            while out.bytes.count < target {
                out.add(words[Int(random.next() % UInt64(words.count))])
                out.add(random.next() % 16 == 0 ? ". " : " ")
            }
            out.add("</p></body></html>")
        case .manyAttributes:
            out.add("<!DOCTYPE html><html><head><title>Attributes</title></head><body><div")
            for i in 0..<1_000_000 { out.add(" a\(i)=\"v\(i % 100)\"") }
            out.add(">Deposit 100 USD and earn 5% daily</div></body></html>")
        case .manyLinks:
            out.add("<!DOCTYPE html><html><head><title>Links</title></head><body>")
            for i in 0..<100_000 { out.add("<a href=\"/page/\(i)?ref=\(i % 97)\">Invest plan \(i) pays \(i % 9 + 1)% daily</a>\n") }
            out.add("</body></html>")
        case .nestedTables:
            out.add("<!DOCTYPE html><html><head><title>Tables</title></head><body>")
            for i in 0..<10_000 { out.add("<table><tr><th>Plan \(i)</th><th>Daily profit (%)</th></tr><tr><td>\(i % 7 + 1).00</td><td>") }
            out.add("Minimum $50")
            for _ in 0..<10_000 { out.add("</td></tr></table>") }
            out.add("</body></html>")
        case .invalidUTF8:
            out.add("<!DOCTYPE html><html><head><title>Bytes</title></head><body><p>")
            var random = SplitMix(seed: 2)
            let target = 5_000_000
            while out.bytes.count < target {
                let r = random.next()
                switch r % 8 {
                // Lone continuation bytes, lead bytes without their continuation, overlong
                // forms, surrogates, bytes that never occur in UTF-8.
                case 0, 1: out.bytes.append(UInt8(0x80 + (r >> 8) % 64))
                case 2: out.bytes.append(contentsOf: [UInt8(0xC2 + (r >> 8) % 30), 0x41])
                case 3: out.bytes.append(contentsOf: [0xC0, UInt8(0x80 + (r >> 8) % 64)])
                case 4: out.bytes.append(contentsOf: [0xED, 0xA0, 0x80])
                case 5: out.bytes.append(UInt8(0xF5 + (r >> 8) % 11))
                case 6: out.bytes.append(contentsOf: [0xE2, 0x82])
                default: out.add(r % 5 == 0 ? "</p><p>5% " : " ")
                }
            }
            out.add("</p></body></html>")
        case .manyForms:
            out.add("<!DOCTYPE html><html><head><title>Forms</title></head><body>")
            for i in 0..<50_000 {
                out.add("<form action=\"/deposit/\(i)\" method=\"post\"><label>Amount</label>")
                out.add("<input name=\"amount\" placeholder=\"Minimum deposit $\(i % 500 + 10)\">")
                out.add("<input type=\"password\" name=\"pin\"><button>Invest now</button></form>\n")
            }
            out.add("</body></html>")
        case .scriptStrings:
            out.add("<!DOCTYPE html><html><head><title>Strings</title></head><body><p>Deposit 100 USD and earn 5% daily</p><script>\n")
            for i in 0..<100_000 { out.add("t[\(i)] = 'Пополните счёт \(i) и получите VIP'; // '\n") }
            out.add("</script><script>")
            for _ in 0..<200_000 { out.add("\"\\u{") }
            out.add("</script><script>")
            for _ in 0..<200_000 { out.add("`${{") }
            out.add("</script><script>")
            for _ in 0..<400_000 { out.add("'\"`") }
            out.add("</script></body></html>")
        case .phpBlocks:
            out.add("<!DOCTYPE html><html><head><title>PHP</title></head><body><p>Deposit 100 USD and earn 5% daily</p>")
            out.bytes.reserveCapacity(10_100_000)
            for _ in 0..<2_000_000 { out.add("<?=?>") }
            out.add("<p>After</p><?php $plans = ['a' => 'b']; echo '</p>'; ")
        case .moneyAmounts:
            out.add("<!DOCTYPE html><html><head><title>Amounts</title></head><body><p>")
            out.bytes.reserveCapacity(2_100_000)
            while out.bytes.count < 2_000_000 {
                out.add("Invest $100 and receive $4 every day. $250 $9 deposit get daily, a fee, a loan ₹5,000 ৳৩০০ ")
            }
            out.add("</p></body></html>")
        case .digitsAndPercents:
            var random = SplitMix(seed: 3)
            let target = 10 * 1000 * 1000
            out.bytes.reserveCapacity(target)
            while out.bytes.count < target {
                let r = random.next()
                out.bytes.append(r % 4 == 0 ? 0x25 : UInt8(0x30 + (r >> 8) % 10))
            }
        }
        return out.bytes
    }

    private struct Output {
        var bytes: [UInt8] = []
        mutating func add(_ s: String) { bytes.append(contentsOf: s.utf8) }
    }
}

/// A small fixed pseudo-random sequence (SplitMix64), the same on every platform, so pages
/// and fuzz-style tests repeat exactly.
public struct SplitMix {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
