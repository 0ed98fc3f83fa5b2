import Foundation

/// A match of the offer vocabulary's pattern in a text, as the rules' automaton pass finds it.
struct OfferWordMatch {
    var pattern: Int32
    var start: Int32
    var end: Int32

    /// The matches that lie inside `block`, out of all of a text's, in the automaton's order
    /// (by end offset). No pattern holds the block separator, so those inside are those that
    /// end after the block's start and no later than its end.
    static func inside(_ block: Range<Int>, of all: UnsafeBufferPointer<OfferWordMatch>) -> UnsafeBufferPointer<OfferWordMatch> {
        var a = 0, b = all.count
        while a < b { let m = (a + b) / 2; if Int(all[m].end) <= block.lowerBound { a = m + 1 } else { b = m } }
        var e = a
        while e < all.count, Int(all[e].end) <= block.upperBound { e += 1 }
        return UnsafeBufferPointer(rebasing: all[a..<e])
    }
}

/// A vocabulary word found in a block (leftmost-longest, never overlapping another).
struct WordHit {
    var start: Int
    var end: Int
    var meaning: OfferWords
    var currency: String?
}

/// A number found in a block, as `NumberReader` reads it (nil: unreadable, such as 10,000 digits).
struct NumberHit {
    var start: Int
    var end: Int
    var value: Double?
    /// A minus sign stands right before it, and no number before that ("-5% daily").
    var negative: Bool
}

/// A rate seen in one block, with what the same block says around it.
struct RateFact {
    var low: Double?
    var high: Double?
    var start: Int
    var end: Int
    var multiplier = false
    /// Why the number cannot be a rate (unreadable, negative); such an offer is dropped and counted.
    var unreadable: String?
    var periodDays: Double?
    var periodIsYear = false
    var afterDays: Double?
    var termDays: Double?
    var lifetime = false
    /// Labelled as paid per cycle (a table column "Return per cycle"): with no period of its
    /// own, it is paid after the plan's term.
    var perCycle = false
    /// Referral ladder levels, when this is a ladder.
    var levels: [Double]?
    /// The evidence span, which takes in the period words when they are close.
    var spanStart: Int
    var spanEnd: Int
    /// Said in a warning, not offered: its sentence names a scam or a red flag, or it is quoted
    /// in a sentence that denies it ("we never promise "3% daily"").
    var warned = false
    /// For a rate worked out from an amount put in and one paid out (`OfferScanner.amountRates`):
    /// those numbers' indices.
    var amounts: (Int, Int)?
}

/// A duration: a number with a unit ("30 days", "48h", "24 ঘণ্টা").
struct DurationFact {
    var start: Int
    var end: Int
    var days: Double
    /// Marked "after N …" / "in N …": the time a payout takes, not a term.
    var isAfter: Bool
    var used = false
    /// For "after a day", "in a week": the period word read as one unit of time.
    var periodWord: Int? = nil
}

/// What one block says that an offer can be made of.
struct BlockFacts {
    var rates: [RateFact] = []
    /// Period words not used by a rate of this block (a label such as "Daily" in a cell).
    var periods: [(days: Double, isYear: Bool)] = []
    var afters: [Double] = []
    var terms: [Double] = []
    var lifetime = false
    var minimum: Offer.Money?
    var maximum: Offer.Money?
    var moneyRange: (Offer.Money, Offer.Money)?
    var firstMoney: Offer.Money?
    /// Words that put money in or pay it out (`OfferWords.amountWords`): a table header's.
    var amountWords: OfferWords = []
    /// The first number that is no percent, amount or duration ("3.00" under "Daily profit (%)").
    var bareNumber: (value: Double?, start: Int, end: Int, negative: Bool)?
    var principal: Bool?
    /// Every meaning found in the block, for labels (table headers).
    var words: OfferWords = []
    var hasPercentSign = false
    /// A plan name written before a colon ("Gold plan: 3% daily").
    var namePrefix: Range<Int>?
    var byteCount = 0
}

/// Reads one block of normalised text into `BlockFacts`. Linear in the block's length: every
/// search for a neighbour looks only a bounded distance away.
///
/// A class: its methods' closures capture it, and copying a struct that holds the vocabulary's
/// twenty-odd tables retained and released each of them, for every block of every page.
final class OfferScanner {
    let vocabulary: OfferVocabulary.Built
    let bytes: UnsafeBufferPointer<UInt8>

    init(vocabulary: OfferVocabulary.Built, bytes: UnsafeBufferPointer<UInt8>) {
        self.vocabulary = vocabulary
        self.bytes = bytes
    }

    /// How far apart, in bytes, a rate and its period words may be.
    static let reach = 72
    /// Words that give a rate its period: per hour … per year, and "per business day" (a
    /// business day that follows no number is a period, not a length of time).
    static let periodic = OfferWords.periods.union(.businessDay)

    /// - Parameter words: the vocabulary's matches inside the block, when already found.
    func scan(_ range: Range<Int>, words matches: UnsafeBufferPointer<OfferWordMatch>? = nil) -> BlockFacts {
        var facts = BlockFacts()
        facts.byteCount = range.count
        var amountWords: [WordHit] = []
        let words = findWords(range, matches: matches, amountWords: &amountWords)
        let numbers = findNumbers(range, words: words)
        for w in words { facts.words.formUnion(w.meaning) }
        for w in amountWords { facts.amountWords.formUnion(w.meaning) }
        for i in range where bytes[i] == 0x25 { facts.hasPercentSign = true; break }
        read(range, words: words, numbers: numbers, amountWords: amountWords, into: &facts)
        return facts
    }

    // MARK: words and numbers

    /// The block's words, leftmost-longest. Words that put money in or pay it out
    /// (`OfferWords.amountWords`) go to `amountWords` instead, chosen the same way among
    /// themselves, so that the other words are read as if they were not there.
    func findWords(_ range: Range<Int>, matches: UnsafeBufferPointer<OfferWordMatch>? = nil) -> [WordHit] {
        var ignored: [WordHit] = []
        return findWords(range, matches: matches, amountWords: &ignored)
    }

    func findWords(_ range: Range<Int>, matches: UnsafeBufferPointer<OfferWordMatch>? = nil, amountWords: inout [WordHit]) -> [WordHit] {
        // Most blocks hold no offer word, or a few: no array then, and one allocation otherwise
        // (growing it one append at a time was a third of this function's cost).
        if let matches, matches.isEmpty { return [] }
        var found: [WordHit] = []
        if let matches { found.reserveCapacity(matches.count) }
        var amounts: [WordHit] = []
        func add(_ p: Int, _ start: Int, _ end: Int) {
            if !boundaryOK(start, end, p, range) { return }
            let meaning = vocabulary.meanings[p]
            if !meaning.isDisjoint(with: OfferWords.amountWords) {
                amounts.append(WordHit(start: start, end: end, meaning: meaning.intersection(OfferWords.amountWords), currency: nil))
            }
            let rest = meaning.subtracting(OfferWords.amountWords)
            if rest.isEmpty { return }
            found.append(WordHit(start: start, end: end, meaning: rest, currency: vocabulary.currencies[p]))
        }
        if let matches {
            for m in matches { add(Int(m.pattern), Int(m.start), Int(m.end)) }
        } else {
            let base = range.lowerBound
            vocabulary.automaton.scan(UnsafeBufferPointer(rebasing: bytes[range])) { m in add(m.pattern, base + m.start, base + m.end) }
        }
        Self.keepLeftmostLongest(&found)
        Self.keepLeftmostLongest(&amounts)
        amountWords = amounts
        return found
    }

    /// At each start the longest word, and nothing that overlaps what was kept.
    static func keepLeftmostLongest(_ found: inout [WordHit]) {
        found.sort { ($0.start, $1.end) < ($1.start, $0.end) }
        var kept = 0
        for k in found.indices where kept == 0 || found[k].start >= found[kept - 1].end {
            found[kept] = found[k]
            kept += 1
        }
        found.removeLast(found.count - kept)
    }

    /// A word's side that is a letter must not touch another letter; a side that is a digit,
    /// no letter or digit. So "24hours" and "30天" are read, "today" holds no "day".
    func boundaryOK(_ start: Int, _ end: Int, _ p: Int, _ range: Range<Int>) -> Bool {
        if start > range.lowerBound, let before = scalarBefore(start) {
            if vocabulary.letterStart[p], isLetter(before) { return false }
            if vocabulary.digitStart[p], WordChars.isWord(before) { return false }
        }
        if end < range.upperBound, let after = WordChars.scalar(bytes, end) {
            if vocabulary.letterEnd[p], isLetter(after) { return false }
            if vocabulary.digitEnd[p], WordChars.isWord(after) { return false }
        }
        return true
    }

    /// Whether `boundaryOK` refuses pattern p at b[start..<end] because a side of it that is a
    /// letter touches an ASCII letter: read from the bytes alone, for a caller that finds the
    /// words itself and need not keep those (most words found are such short words inside
    /// longer ones). Exact, since the blocks end at separators: the neighbour is in the word's
    /// own block.
    @inline(__always)
    static func touchesASCIILetter(_ p: Int, _ start: Int, _ end: Int, in b: UnsafeBufferPointer<UInt8>,
                                   letterStart: UnsafeBufferPointer<Bool>, letterEnd: UnsafeBufferPointer<Bool>) -> Bool {
        (letterStart[p] && start > 0 && isASCIILetter(b[start - 1])) || (letterEnd[p] && end < b.count && isASCIILetter(b[end]))
    }

    /// A-Z or a-z (setting bit 5 makes a capital small; anything else falls outside 26).
    @inline(__always)
    static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }

    func scalarBefore(_ offset: Int) -> Unicode.Scalar? {
        var start = offset - 1
        while start > 0, bytes[start] & 0xC0 == 0x80, offset - start < 4 { start -= 1 }
        return WordChars.scalar(bytes, start)
    }

    func isLetter(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return Self.isASCIILetter(UInt8(s.value)) }
        return WordChars.isWord(s) && s.properties.numericType == nil
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    func findNumbers(_ range: Range<Int>, words: [WordHit]) -> [NumberHit] {
        var out: [NumberHit] = []
        var i = range.lowerBound
        var w = 0
        let hi = range.upperBound
        while i < hi {
            guard Self.isDigit(bytes[i]) else { i += 1; continue }
            let start = i
            var j = i
            while j < hi, Self.isDigit(bytes[j]) { j += 1 }
            var firstGroup = j - start
            var plain = true
            var scientific = false
            while j < hi {
                let c = bytes[j]
                if (c == 0x2E || c == 0x2C), j + 1 < hi, Self.isDigit(bytes[j + 1]) {
                    plain = false
                    j += 1
                    while j < hi, Self.isDigit(bytes[j]) { j += 1 }
                } else if c == 0x20, firstGroup <= 3, j + 4 <= hi, (j + 1..<j + 4).allSatisfy({ Self.isDigit(bytes[$0]) }),
                          j + 4 == hi || !Self.isDigit(bytes[j + 4]) {
                    // "10 000": a space between thousands.
                    plain = false
                    firstGroup = 3
                    j += 4
                } else if c == 0x65, !scientific, j + 1 < hi, Self.isDigit(bytes[j + 1]) {
                    // "1e308": scientific notation, read so that it can be refused, not as two numbers.
                    scientific = true
                    j += 1
                    while j < hi, Self.isDigit(bytes[j]) { j += 1 }
                    break
                } else {
                    break
                }
            }
            // A Chinese multiplier after the digits: 5万.
            var multiplier = 1.0
            if j + 3 <= hi, bytes[j] == 0xE4 || bytes[j] == 0xE5 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<j + 3]), as: UTF8.self)
                switch s {
                case "万", "萬": multiplier = 1e4; j += 3
                case "千": multiplier = 1e3; j += 3
                case "亿", "億": multiplier = 1e8; j += 3
                default: break
                }
            }
            // Numbers inside a vocabulary word ("per 24 hours", "level 1") belong to the word.
            while w < words.count, words[w].end <= start { w += 1 }
            if w < words.count, words[w].start <= start, words[w].end >= j {
                i = j
                continue
            }
            var value: Double?
            let length = j - start
            if length <= 40 {
                let digitsEnd = multiplier == 1 ? j : j - 3
                if scientific {
                    value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<digitsEnd]), as: UTF8.self))
                } else if bytes[start] == 0x30, digitsEnd - start > 2, bytes[start + 1] == 0x2E || bytes[start + 1] == 0x2C,
                          !bytes[(start + 2)..<digitsEnd].contains(where: { !Self.isDigit($0) }) {
                    // "0.045" and "0,045": a leading zero makes the separator a decimal mark, whatever follows.
                    var v = 0.0, scale = 1.0
                    for k in (start + 2)..<digitsEnd { scale /= 10; v += Double(bytes[k] - 0x30) * scale }
                    value = v
                } else if plain, length <= 15 {
                    var v = 0.0
                    for k in start..<digitsEnd { v = v * 10 + Double(bytes[k] - 0x30) }
                    value = v
                } else {
                    value = NumberReader.value(ascii: UnsafeBufferPointer(rebasing: bytes[start..<digitsEnd]))   // digits, separators, spaces
                }
                value = value.map { $0 * multiplier }
            }
            var negative = false
            if start > range.lowerBound, bytes[start - 1] == 0x2D {
                var k = start - 2
                while k >= range.lowerBound, bytes[k] == 0x20 { k -= 1 }
                negative = k < range.lowerBound || !(Self.isDigit(bytes[k]) || bytes[k] == 0x25)
            }
            out.append(NumberHit(start: start, end: j, value: value, negative: negative))
            i = j
        }
        return out
    }

    // MARK: reading the block

    /// Words between two offsets, and whether a sentence ends between them. Characters of
    /// scripts written without spaces count half a word each.
    func gap(_ a: Int, _ b: Int) -> (words: Double, broken: Bool) {
        guard a < b else { return (0, false) }
        var words = 0.0
        var inWord = false
        var i = a
        while i < b {
            let c = bytes[i]
            if c < 0x80 {
                switch c {
                case 0x2E, 0x21, 0x3F, 0x3B, 0x0A, 0x7C, 0x28:   // . ! ? ; newline | (
                    // "3.5% (on the daily balance)": what a parenthesis opens qualifies, it is no period.
                    // A full stop between digits is a decimal point, not the end of a sentence.
                    if c == 0x2E, i > a, i + 1 < b, Self.isDigit(bytes[i - 1]), Self.isDigit(bytes[i + 1]) { break }
                    return (words, true)
                default: break
                }
                let word = WordChars.isWordByte(c)
                if word && !inWord { words += 1 }
                inWord = word
                i += 1
                continue
            }
            guard let (value, n) = WordChars.decode(bytes, i) else { i += 1; continue }
            if value == 0x3002 || value == 0xFF01 || value == 0xFF1F || value == 0xFF1B { return (words, true) }   // 。！？；
            if WordChars.isSpaceless(value) {
                words += 0.5
                inWord = false
            } else {
                let word = Unicode.Scalar(value).map(WordChars.isWord) ?? false
                if word && !inWord { words += 1 }
                inWord = word
            }
            i += n
        }
        return (words, false)
    }

    /// Whether only spaces (at most `maxSpaces`) lie between two offsets.
    func adjacent(_ a: Int, _ b: Int, maxSpaces: Int = 1) -> Bool {
        guard a <= b, b - a <= maxSpaces else { return false }
        for i in a..<b where bytes[i] != 0x20 { return false }
        return true
    }

    /// A percent: the number, and where the whole expression starts and ends.
    struct Percent {
        var number: Int
        var start: Int
        var end: Int
    }

    func read(_ range: Range<Int>, words: [WordHit], numbers: [NumberHit], amountWords: [WordHit] = [], into facts: inout BlockFacts) {
        let lo = range.lowerBound, hi = range.upperBound
        var usedNumber = [Bool](repeating: false, count: numbers.count)
        var usedWord = [Bool](repeating: false, count: words.count)
        /// The word ending at or before `offset` (index), by binary search.
        func wordEnding(atOrBefore offset: Int) -> Int? {
            var a = 0, b = words.count
            while a < b { let m = (a + b) / 2; if words[m].end <= offset { a = m + 1 } else { b = m } }
            return a > 0 ? a - 1 : nil
        }
        func wordStarting(atOrAfter offset: Int) -> Int? {
            let a = Self.firstStarting(atOrAfter: offset, in: words)
            return a < words.count ? a : nil
        }
        func firstNumber(atOrAfter offset: Int) -> Int? {
            var a = 0, b = numbers.count
            while a < b { let m = (a + b) / 2; if numbers[m].start < offset { a = m + 1 } else { b = m } }
            return a < numbers.count ? a : nil
        }
        /// A worked example whose figures make the rate yearly: "2.000 USDT, %3,6 oranla günde
        /// yaklaşık 0,197 USDT" (2,000 at 3.6% earns 0.197 a day, which is 3.6% a year): the day
        /// belongs to the amount after it. The principal stands just before the rate, the amount
        /// just after the period word. A scheme's "100 USDT at 3% daily and get 3 USDT" is 3% a
        /// day, and stays so.
        func workedExampleIsYearly(_ rate: RateFact, periodWord w: Int, days d: Double) -> Bool {
            guard let high = rate.high, high > 0,
                  let after = firstNumber(atOrAfter: words[w].end), numbers[after].start - words[w].end <= 48,
                  case let g = gap(words[w].end, numbers[after].start), !g.broken, g.words <= 2,
                  let earned = numbers[after].value, earned > 0 else { return false }
            let before = (firstNumber(atOrAfter: rate.start) ?? numbers.count) - 1
            guard before >= 0, numbers[before].end <= rate.start, numbers[before].end >= max(lo, rate.start - 40),
                  !gap(numbers[before].end, rate.start).broken, let principal = numbers[before].value, principal > 0 else { return false }
            let yearly = earned / principal * 100 * (OfferMath.year / d)
            return abs(yearly - high) <= high * 0.15
        }
        func currency(near n: NumberHit) -> String? {
            if let k = wordEnding(atOrBefore: n.start), words[k].meaning.contains(.currency), adjacent(words[k].end, n.start) { return words[k].currency }
            if let k = wordStarting(atOrAfter: n.end), words[k].meaning.contains(.currency), adjacent(n.end, words[k].start) { return words[k].currency }
            return nil
        }

        // 1. Percents: "3%", "3 %", "%3" (Turkish), "3 percent", "yüzde 3", "百分之3".
        var percents: [Percent] = []
        var claimedSign = -1
        for (k, n) in numbers.enumerated() {
            var p: Percent?
            var e = n.end
            if e < hi, bytes[e] == 0x20 { e += 1 }
            if e < hi, bytes[e] == 0x25 {
                p = Percent(number: k, start: n.start, end: e + 1)
                claimedSign = e
            } else if let w = wordStarting(atOrAfter: n.end), words[w].meaning.contains(.percentWord), adjacent(n.end, words[w].start) {
                p = Percent(number: k, start: n.start, end: words[w].end)
                usedWord[w] = true
            } else {
                var s = n.start - 1
                if s >= lo, bytes[s] == 0x20 { s -= 1 }
                if s >= lo, bytes[s] == 0x25, s != claimedSign {
                    p = Percent(number: k, start: s, end: n.end)
                } else if let w = wordEnding(atOrBefore: n.start), words[w].meaning.contains(.percentWord), adjacent(words[w].end, n.start) {
                    p = Percent(number: k, start: words[w].start, end: n.end)
                    usedWord[w] = true
                }
            }
            if let p {
                percents.append(p)
                usedNumber[k] = true
            }
        }

        // 2. Durations: a number and a unit ("30 days", "48 hours", "24h"), "after"/"in" before
        //    the number or after the unit.
        var durations: [DurationFact] = []
        for (k, n) in numbers.enumerated() where !usedNumber[k] {
            guard let value = n.value, value > 0 else { continue }
            var unitDays: Double?
            var end = n.end
            // A unit in a locative case is "in N …" by itself: Bengali "২১ দিনে" (in 21 days),
            // "৪৮ ঘণ্টায়" (in 48 hours); the same words without a number before them are
            // "per day", "per hour" ("দিনে ২%").
            var unitSaysIn = false
            if let w = wordStarting(atOrAfter: n.end), adjacent(n.end, words[w].start),
               !words[w].meaning.isDisjoint(with: OfferWords.units.union(OfferWords.periods)), let d = words[w].meaning.days {
                // An amount of money before "a year" or "daily" is paid or put in per period
                // ("$50,000 a year", "₪50,000 לשנה"), not a term of 50,000 years.
                if words[w].meaning.isDisjoint(with: OfferWords.units), currency(near: n) != nil { continue }
                unitDays = d
                end = words[w].end
                usedWord[w] = true
                unitSaysIn = words[w].meaning.contains(.within)
            } else if n.end < hi, bytes[n.end] == 0x68 || bytes[n.end] == 0x64, n.end + 1 == hi || !WordChars.isWordByte(bytes[n.end + 1]) {
                unitDays = bytes[n.end] == 0x68 ? OfferMath.hour : OfferMath.day   // 48h, 30d
                end = n.end + 1
            }
            guard let unitDays else { continue }
            usedNumber[k] = true
            var isAfter = unitSaysIn
            var start = n.start
            if let w = wordEnding(atOrBefore: n.start), !words[w].meaning.isDisjoint(with: [.after, .within]),
               gap(words[w].end, n.start).words <= 1 { isAfter = true; usedWord[w] = true; start = words[w].start }
            if let w = wordStarting(atOrAfter: end), !words[w].meaning.isDisjoint(with: [.after, .within]),
               gap(end, words[w].start).words == 0 { isAfter = true; usedWord[w] = true; end = words[w].end }
            durations.append(DurationFact(start: start, end: end, days: value * unitDays, isAfter: isAfter))
        }
        // "in a week", "after a day": a period word right after "after"/"in" is one unit of time.
        for (k, w) in words.enumerated() where !usedWord[k] && !w.meaning.isDisjoint(with: OfferWords.periods) {
            guard k > 0, !words[k - 1].meaning.isDisjoint(with: [.after, .within]), gap(words[k - 1].end, w.start).words == 0,
                  let d = w.meaning.days else { continue }
            usedWord[k] = true
            durations.append(DurationFact(start: words[k - 1].start, end: w.end, days: d, isAfter: true, periodWord: k))
        }
        durations.sort { $0.start < $1.start }
        /// Indices of the durations that start in `from..<to`.
        func durationsNear(_ from: Int, _ to: Int) -> Range<Int> {
            var a = 0, b = durations.count
            while a < b { let m = (a + b) / 2; if durations[m].start < from { a = m + 1 } else { b = m } }
            var e = a
            while e < durations.count, durations[e].start < to { e += 1 }
            return a..<e
        }

        // 3. Rates: ranges ("2% - 7%", "2-7%", "from 1.5% to 3%"), ladders ("5% - 3% - 1%").
        let referralContext = !facts.words.isDisjoint(with: [.referral, .referralLevel])
        var rates: [RateFact] = []
        var k = 0
        while k < percents.count {
            let p = percents[k]
            let n = numbers[p.number]
            // A split, not two rates: "%80 / %20" (the customer's and the bank's shares of a
            // participation account's profit), "70% : 30%". Two percents that make 100 with only
            // a slash or a colon between them.
            if k + 1 < percents.count, let a = n.value, let b = numbers[percents[k + 1].number].value, abs(a + b - 100) < 0.001,
               Self.isRatioMark(bytes, from: p.end, to: percents[k + 1].start) {
                k += 2
                continue
            }
            var rate = RateFact(low: nil, high: n.value, start: p.start, end: p.end, spanStart: p.start, spanEnd: p.end)
            if n.value == nil { rate.unreadable = "an unreadable number" }
            if n.negative { rate.unreadable = "a negative rate"; rate.start = n.start - 1; rate.spanStart = rate.start }
            // A bare number joined to this percent by a dash or "to" is the bottom of a range: "2-7%", "2 to 7%".
            if p.number > 0, !usedNumber[p.number - 1], let v = numbers[p.number - 1].value, let top = n.value, v < top,
               joins(numbers[p.number - 1].end, p.start, words: words, wordStarting: wordStarting) {
                rate.low = v
                rate.start = numbers[p.number - 1].start
                rate.spanStart = rate.start
                usedNumber[p.number - 1] = true
            }
            // Percents joined one after another.
            var chain = [k]
            while let last = chain.last, last + 1 < percents.count,
                  joins(percents[last].end, percents[last + 1].start, words: words, wordStarting: wordStarting) { chain.append(last + 1) }
            let values = chain.map { numbers[percents[$0].number].value ?? 0 }
            let decreasing = values.count >= 2 && zip(values, values.dropFirst()).allSatisfy { $0 >= $1 }
            if chain.count >= 3 || (chain.count == 2 && decreasing && referralContext) {
                rate.levels = values
                rate.high = values.first
                rate.end = percents[chain.last!].end
                rate.spanEnd = rate.end
                rates.append(rate)
                k = chain.last! + 1
                continue
            }
            if chain.count == 2, values[0] < values[1] {
                rate.low = values[0]
                rate.high = values[1]
                rate.end = percents[chain[1]].end
                rate.spanEnd = rate.end
                if numbers[percents[chain[1]].number].value == nil { rate.unreadable = "an unreadable number" }
                rates.append(rate)
                k = chain[1] + 1
                continue
            }
            rates.append(rate)
            k += 1
        }
        // "level 1: 10%": a referral level before a percent.
        for (i, rate) in rates.enumerated() where rate.levels == nil {
            if let w = wordEnding(atOrBefore: rate.start), words[w].meaning.contains(.referralLevel), rate.start - words[w].end <= 4,
               !gap(words[w].end, rate.start).broken {
                rates[i].levels = [rate.high ?? 0]
                rates[i].spanStart = words[w].start
            }
        }
        // Multipliers: "x2", "2x", "×3", and "double your money".
        for (k, n) in numbers.enumerated() where !usedNumber[k] {
            guard let v = n.value, v >= 1.1, v <= 1000 else { continue }
            var xBefore = n.start - 1 >= lo && isTimes(n.start - 1, back: true)
            if xBefore {
                let before = n.start - 1 - (bytes[n.start - 1] == 0x78 ? 1 : 2)
                xBefore = before < lo || !WordChars.isWordByte(bytes[before])
            }
            let xAfter = n.end < hi && isTimes(n.end, back: false)
            guard xBefore || xAfter else { continue }
            usedNumber[k] = true
            let s = xBefore ? n.start - (bytes[n.start - 1] == 0x78 ? 1 : 2) : n.start
            let e = xAfter ? n.end + (bytes[n.end] == 0x78 ? 1 : 2) : n.end
            var rate = RateFact(low: nil, high: (v - 1) * 100, start: s, end: e, spanStart: s, spanEnd: e)
            rate.multiplier = true
            rates.append(rate)
        }
        for (k, w) in words.enumerated() where w.meaning.contains(.doubleMoney) {
            usedWord[k] = true
            var rate = RateFact(low: nil, high: 100, start: w.start, end: w.end, spanStart: w.start, spanEnd: w.end)
            rate.multiplier = true
            rates.append(rate)
        }
        // An amount paid out for an amount put in, with no percent written.
        if !amountWords.isEmpty { rates += amountRates(numbers: numbers, words: words, amountWords: amountWords, used: &usedNumber, currency: currency) }
        rates.sort { $0.start < $1.start }

        // 4. Each rate takes the nearest period words, or an "after N days", and a term.
        /// A period word right beside a compounding word ("monthly compounding", "compounded
        /// daily", "ежемесячной капитализацией").
        func compounds(_ w: Int) -> Bool {
            guard !words[w].meaning.isDisjoint(with: Self.periodic) else { return false }
            // At most one word between: the rest of a stem ("ежемесячн|ой капитализацией").
            if w > 0, words[w - 1].meaning.contains(.compounding), case let g = gap(words[w - 1].end, words[w].start), !g.broken, g.words <= 1 { return true }
            if w + 1 < words.count, words[w + 1].meaning.contains(.compounding), case let g = gap(words[w].end, words[w + 1].start), !g.broken, g.words <= 1 { return true }
            return false
        }
        /// A duration right beside period word `w` and shorter than its period: a schedule, no
        /// label ("3 days a week", "2 hours daily", "সপ্তাহে ৩ দিন", a course's days in each week).
        func isSchedule(_ t: DurationFact, period w: Int, days d: Double) -> Bool {
            guard !t.isAfter, t.days < d else { return false }
            if t.end <= words[w].start { let g = gap(t.end, words[w].start); return !g.broken && g.words <= 1 }
            if t.start >= words[w].end { let g = gap(words[w].end, t.start); return !g.broken && g.words == 0 }
            return false
        }
        func notAReturn(_ rate: RateFact) -> Bool {
            if let w = wordEnding(atOrBefore: rate.start), words[w].meaning.contains(.notAReturn), rate.start - words[w].end <= 24,
               gap(words[w].end, rate.start).words <= 3 { return true }
            if let w = wordStarting(atOrAfter: rate.end), words[w].meaning.contains(.notAReturn), words[w].start - rate.end <= 24,
               gap(rate.end, words[w].start).words <= 2 { return true }
            // Instalments: "10x de R$ 379,90 sem juros", "em até 12x", "3 cuotas de $ 99" count
            // payments. The words may stand past the amount of each payment.
            if rate.multiplier {
                if let w = wordEnding(atOrBefore: rate.start), words[w].meaning.contains(.installment), rate.start - words[w].end <= 24,
                   !gap(words[w].end, rate.start).broken { return true }
                if var w = wordStarting(atOrAfter: rate.end) {
                    // Past the currency of the amount between.
                    while w < words.count, words[w].start - rate.end <= 24 {
                        if words[w].meaning.contains(.installment) { return !gap(rate.end, words[w].start).broken }
                        w += 1
                    }
                }
            }
            // "1x per hari", "3x a day": a count of times in each period (a wallet's mission
            // limit), not a multiplier. "x2 daily" keeps its sign before the figure.
            if rate.multiplier, rate.end - rate.start >= 2, isTimes(rate.end - 1, back: true),
               case let sign = bytes[rate.end - 1] == 0x78 ? 1 : 2, rate.end - rate.start > sign, Self.isDigit(bytes[rate.end - 1 - sign]),
               let w = wordStarting(atOrAfter: rate.end), !words[w].meaning.isDisjoint(with: OfferWords.periods),
               words[w].start - rate.end <= 1 { return true }
            // Turkish "%52'si" ("52% of them"): a possessive after the figure makes it a share.
            if Self.isTurkishShare(bytes, after: rate.end) { return true }
            // "100% online", "100% grátis": an intensifier, no rate.
            if rate.high == 100, rate.low == nil, let w = wordStarting(atOrAfter: rate.end), words[w].meaning.contains(.intensified),
               words[w].start - rate.end <= 4 { return true }
            // A fee right next to the figure ("fee 1%", "1% fee"); further off it is about something else.
            if let w = wordEnding(atOrBefore: rate.start), words[w].meaning.contains(.fee), rate.start - words[w].end <= 4 { return true }
            if let w = wordStarting(atOrAfter: rate.end), words[w].meaning.contains(.fee), words[w].start - rate.end <= 4 { return true }
            // "no … 3% daily", "never promises 3% a day": a negated offer is no offer.
            if let w = wordEnding(atOrBefore: rate.start), words[w].meaning.contains(.no), rate.start - words[w].end <= 40,
               case let g = gap(words[w].end, rate.start), !g.broken, g.words <= 3 { return true }
            return false
        }
        var kept: [RateFact] = []
        /// A rate made of two amounts that turned out to be none: its amounts are amounts again.
        func release(_ rate: RateFact) {
            if let (a, b) = rate.amounts { usedNumber[a] = false; usedNumber[b] = false }
        }
        for (r, var rate) in rates.enumerated() {
            if notAReturn(rate) { release(rate); continue }
            let previousEnd = r > 0 ? rates[r - 1].end : lo
            let nextStart = r + 1 < rates.count ? rates[r + 1].start : hi
            if rate.levels == nil, Self.isDividedIntoAYear(bytes, after: rate.end, upTo: hi) {
                // "20 000 × 8% ÷ 365": a rate divided by the days or months of a year is yearly.
                rate.periodDays = OfferMath.year
                rate.periodIsYear = true
            } else if rate.levels == nil {
                // Period words: after the rate (up to 3 words between) or before it (up to 4).
                // One beside a compounding word is how often interest is added ("15,6% с
                // ежемесячной капитализацией", "8% compounded monthly"): passed over, unless it
                // follows the figure directly ("1% daily, compounded").
                var best: (index: Int, distance: Int)?
                if var w = wordStarting(atOrAfter: rate.end) {
                    while w < words.count, words[w].start < min(nextStart, rate.end + Self.reach) {
                        if !usedWord[w], compounds(w), gap(rate.end, words[w].start).words > 0 { w += 1; continue }
                        if !usedWord[w], !words[w].meaning.isDisjoint(with: Self.periodic) {
                            let g = gap(rate.end, words[w].start)
                            if !g.broken, g.words <= 3 { best = (w, words[w].start - rate.end) }
                            break
                        }
                        w += 1
                    }
                }
                // Before the rate, a period word after "after" is the rate's period: in "জমা
                // দেওয়ার পরে প্রতিদিন ২%", "投资后每日 1.2%", "yatırımdan sonra günlük %2" the
                // "after" closes the clause before it (after depositing, 2% a day). Only after
                // the rate is it one unit of time ("120% after a day").
                var afterUnit: Int?
                if var w = wordEnding(atOrBefore: rate.start) {
                    while w >= 0, words[w].end > max(previousEnd, rate.start - Self.reach) {
                        if !usedWord[w], compounds(w) { w -= 1; continue }
                        if usedWord[w], let d = durations.firstIndex(where: { $0.periodWord == w && !$0.used }) {
                            let g = gap(words[w].end, rate.start)
                            let distance = rate.start - words[w].end
                            if !g.broken, g.words <= 4, best.map({ distance < $0.distance }) ?? true { best = (w, distance); afterUnit = d }
                            break
                        }
                        if !usedWord[w], !words[w].meaning.isDisjoint(with: Self.periodic) {
                            let g = gap(words[w].end, rate.start)
                            let distance = rate.start - words[w].end
                            if !g.broken, g.words <= 4, best.map({ distance < $0.distance }) ?? true { best = (w, distance) }
                            break
                        }
                        w -= 1
                    }
                }
                // The "after" word and its unit are the rate's period now, no "after 1 day".
                if let a = afterUnit, best?.index == durations[a].periodWord { durations[a].used = true }
                if let (w, _) = best, let d = words[w].meaning.days {
                    usedWord[w] = true
                    rate.periodDays = d
                    rate.periodIsYear = words[w].meaning.contains(.perYear) && d == OfferMath.year
                    if d < OfferMath.year, words[w].start >= rate.end, workedExampleIsYearly(rate, periodWord: w, days: d) {
                        rate.periodDays = OfferMath.year
                        rate.periodIsYear = true
                    }
                    rate.spanStart = min(rate.spanStart, words[w].start)
                    rate.spanEnd = max(rate.spanEnd, words[w].end)
                }
                // "after 48 hours", "in 30 days": near the rate.
                let nearby = durationsNear(rate.start - Self.reach, rate.end + Self.reach * 2)
                if let d = nearby.first(where: { !durations[$0].used && durations[$0].isAfter
                    && ((durations[$0].start >= rate.end && durations[$0].start < nextStart && durations[$0].start - rate.end <= Self.reach && !gap(rate.end, durations[$0].start).broken && gap(rate.end, durations[$0].start).words <= 3)
                        || (durations[$0].end <= rate.start && durations[$0].end > previousEnd && rate.start - durations[$0].end <= Self.reach && !gap(durations[$0].end, rate.start).broken && gap(durations[$0].end, rate.start).words <= 5)) }) {
                    durations[d].used = true
                    if rate.periodDays == nil {
                        rate.afterDays = durations[d].days
                        rate.spanStart = min(rate.spanStart, durations[d].start)
                        rate.spanEnd = max(rate.spanEnd, durations[d].end)
                    }
                }
                // The term: a duration that is not "after", close by.
                if let d = nearby.first(where: { !durations[$0].used && !durations[$0].isAfter
                    && ((durations[$0].start >= rate.end && durations[$0].start < nextStart && durations[$0].start - rate.end <= Self.reach * 2 && !gap(rate.end, durations[$0].start).broken)
                        || (durations[$0].end <= rate.start && durations[$0].end > previousEnd && rate.start - durations[$0].end <= Self.reach && !gap(durations[$0].end, rate.start).broken)) }) {
                    durations[d].used = true
                    rate.termDays = durations[d].days
                }
            }
            // Two amounts make a rate only with a period or an "after N days" of their own
            // ("pay $10, get $15" is a price and a payout, not a return on anything).
            if rate.amounts != nil, rate.periodDays == nil, rate.afterDays == nil { release(rate); continue }
            kept.append(rate)
        }
        for k in kept.indices { kept[k].warned = isWarned(kept[k], in: range, words: words) }
        facts.rates = kept
        facts.lifetime = facts.words.contains(.lifetime)
        for (k, w) in words.enumerated() where !usedWord[k] && !w.meaning.isDisjoint(with: Self.periodic) {
            // A period word after a number is a unit ("2 a day" is no rate); alone, it is a label.
            guard let d = w.meaning.days else { continue }
            if durations.contains(where: { isSchedule($0, period: k, days: d) }) || compounds(k) { continue }
            facts.periods.append((d, w.meaning.contains(.perYear) && d == OfferMath.year))
        }
        for d in durations where !d.used { if d.isAfter { facts.afters.append(d.days) } else { facts.terms.append(d.days) } }

        // 5. Deposit limits: "min $50", "minimum deposit 20 USDT", "Max: 999", and ranges "$50 - $999".
        for (k, w) in words.enumerated() where !w.meaning.isDisjoint(with: [.minimum, .minDeposit, .maximum, .maxDeposit]) {
            if w.meaning.contains(.withdraw) { continue }
            if k + 1 < words.count, words[k + 1].meaning.contains(.withdraw), gap(w.end, words[k + 1].start).words <= 1 { continue }
            guard let n = firstNumber(atOrAfter: w.end), !usedNumber[n], numbers[n].start - w.end <= 24,
                  gap(w.end, numbers[n].start).words <= 2, let v = numbers[n].value, v > 0 else { continue }
            let money = Offer.Money(amount: v, currency: currency(near: numbers[n]))
            usedNumber[n] = true
            if !w.meaning.isDisjoint(with: [.minimum, .minDeposit]) { if facts.minimum == nil { facts.minimum = money } }
            else if facts.maximum == nil { facts.maximum = money }
        }
        var previousMoney: (index: Int, money: Offer.Money)?
        for (k, n) in numbers.enumerated() where !usedNumber[k] {
            guard let v = n.value, v > 0 else { continue }
            let code = currency(near: n)
            if code != nil {
                let money = Offer.Money(amount: v, currency: code)
                if facts.firstMoney == nil { facts.firstMoney = money }
                if let (i, first) = previousMoney, facts.moneyRange == nil, first.amount < v,
                   joins(numbers[i].end, n.start, words: words, wordStarting: wordStarting, allowCurrency: true) {
                    facts.moneyRange = (first, money)
                }
                previousMoney = (k, money)
            } else if facts.bareNumber == nil {
                facts.bareNumber = (v, n.start, n.end, n.negative)
                // A bare number before a currency-marked one: "50 - 999 USDT".
                if k + 1 < numbers.count, let top = numbers[k + 1].value, let c = currency(near: numbers[k + 1]), v < top,
                   joins(n.end, numbers[k + 1].start, words: words, wordStarting: wordStarting) {
                    facts.moneyRange = (Offer.Money(amount: v, currency: c), Offer.Money(amount: top, currency: c))
                }
            }
        }
        if facts.bareNumber == nil, let k = numbers.indices.first(where: { !usedNumber[$0] && numbers[$0].value == nil }) {
            // Only an unreadable number: kept so that a "%" column can count it as a dropped offer.
            facts.bareNumber = (nil, numbers[k].start, numbers[k].end, numbers[k].negative)
        }

        // 6. Principal: "principal returned", unless "no"/"not" stands right before.
        for (k, w) in words.enumerated() where w.meaning.contains(.principalBack) {
            let negated = k > 0 && words[k - 1].meaning.contains(.no) && gap(words[k - 1].end, w.start).words <= 1
            facts.principal = !negated
            break
        }

        // 7. A plan name before a colon, when nothing before it is a figure or an offer word.
        if let first = facts.rates.first?.spanStart {
            var colon: Int?
            for i in lo..<first where bytes[i] == 0x3A { colon = i; break }
            if let c = colon, c - lo >= 2, c - lo <= 48,
               !words.contains(where: { $0.start < c && !$0.meaning.isDisjoint(with: OfferWords.periods.union([.minimum, .maximum, .minDeposit, .maxDeposit, .principal, .principalBack, .referral, .referralLevel, .notAReturn])) }),
               !(lo..<c).contains(where: { bytes[$0] == 0x25 }) {
                facts.namePrefix = lo..<c
            }
        }
    }

    /// How far from a rate, in bytes, the end of its sentence is looked for.
    static let sentenceReach = 320

    /// How far back, in bytes, a word ending near an amount is looked for: longer than any
    /// word the lexicons hold (a longer one, ending there, goes unseen).
    static let wordReach = 512

    /// The index of the first word that starts at or after `offset` (words in order of start).
    static func firstStarting(atOrAfter offset: Int, in words: [WordHit]) -> Int {
        var a = 0, b = words.count
        while a < b { let m = (a + b) / 2; if words[m].start < offset { a = m + 1 } else { b = m } }
        return a
    }

    /// Rates that no percent states: an amount put in, then an amount paid out for it, in one
    /// sentence and one currency ("invest $100 and receive $4 every day", "৳৫,০০০ টাকার প্যাকেজ
    /// কিনলে প্রতিদিন ৳২৫০ পাবেন", "deposit 500 USDT, get 15 USDT daily"). The rate is the one
    /// over the other. A word that puts money in must stand just before the first amount or
    /// between the two, and one that pays out between them or just after the second: a price
    /// and a monthly fee ("the kit costs $49, then $19 a month") is neither, and a loan, a fee
    /// or a discount beside them makes them no return. Step 4 gives the rate its period, and
    /// drops it without one.
    func amountRates(numbers: [NumberHit], words allWords: [WordHit], amountWords: [WordHit], used: inout [Bool],
                     currency: (NumberHit) -> String?) -> [RateFact] {
        /// Words between two offsets, when no sentence ends between them.
        func words(_ a: Int, _ b: Int) -> Double? {
            let g = gap(a, b)
            return g.broken ? nil : g.words
        }
        var rates: [RateFact] = []
        let money = numbers.indices.filter { !used[$0] && (numbers[$0].value ?? 0) > 0 && currency(numbers[$0]) != nil }
        for (x, y) in zip(money, money.dropFirst()) where !used[x] && !used[y] {
            let put = numbers[x], paid = numbers[y]
            guard let p = put.value, let a = paid.value, a <= p * 20, let code = currency(put), currency(paid) == code,
                  paid.start - put.end <= Self.reach * 2, let between = words(put.end, paid.start), between <= 10 else { continue }
            // Only the words near the pair are read (both lists are in order and never overlap),
            // so a block of a hundred thousand amounts costs time in proportion to its length.
            let near = amountWords[Self.firstStarting(atOrAfter: put.start - Self.wordReach, in: amountWords)...]
                .prefix { $0.start <= paid.end + 48 }
            let stakes = near.contains { w in
                guard w.meaning.contains(.stake) else { return false }
                if w.end <= put.start { return put.start - w.end <= 48 && (words(w.end, put.start) ?? 99) <= 4 }
                return w.start >= put.end && w.end <= paid.start && (words(put.end, w.start) ?? 99) <= 3
            }
            let pays = near.contains { w in
                guard w.meaning.contains(.payout) else { return false }
                if w.start >= put.end && w.end <= paid.start { return true }
                return w.start >= paid.end && w.start - paid.end <= 48 && (words(paid.end, w.start) ?? 99) <= 3
            }
            // A loan, a fee or a discount beside either amount ("get a loan of ৳50,000"): no return.
            let priced = allWords[Self.firstStarting(atOrAfter: put.start - 24 - Self.wordReach, in: allWords)...]
                .prefix { $0.start <= paid.end + 8 }
                .contains { w in !w.meaning.isDisjoint(with: [.notAReturn, .fee]) && w.end >= put.start - 24 }
            guard stakes, pays, !priced else { continue }
            used[x] = true
            used[y] = true
            var rate = RateFact(low: nil, high: a / p * 100, start: paid.start, end: paid.end, spanStart: put.start, spanEnd: paid.end)
            rate.amounts = (x, y)
            rates.append(rate)
        }
        return rates
    }

    /// Whether a rate is one the page warns about: its sentence holds a warning word, or the
    /// rate sits between quote marks in a sentence that holds a negation. A sentence ends at
    /// . ! ? ; (a "." only before a space or the end, so "2.5" stays whole), at ۔ ؟ 。 ！ ？,
    /// or at the block's end (the danda is already a "." here).
    func isWarned(_ rate: RateFact, in range: Range<Int>, words: [WordHit]) -> Bool {
        let sentence = Self.sentence(bytes, around: rate.spanStart..<rate.spanEnd, within: range)
        let start = sentence.lowerBound, end = sentence.upperBound
        var negated = false
        // Words are sorted and do not overlap: only those of the sentence are looked at, so a
        // block of many rates stays linear.
        var a = 0, b = words.count
        while a < b { let m = (a + b) / 2; if words[m].start < start { a = m + 1 } else { b = m } }
        while a < words.count, words[a].start < end {
            if words[a].end <= end {
                if words[a].meaning.contains(.warning) { return true }
                if words[a].meaning.contains(.no) { negated = true }
            }
            a += 1
        }
        guard negated else { return false }
        return Self.hasQuote(bytes, start..<rate.spanStart) && Self.hasQuote(bytes, rate.spanEnd..<end)
    }

    /// Whether the bytes between two figures are a ratio's mark alone: one slash or colon,
    /// with at most a space on each side.
    static func isRatioMark(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard start < end, end - start <= 3 else { return false }
        var marks = 0
        for i in start..<end {
            switch b[i] {
            case 0x2F, 0x3A: marks += 1      // / :
            case 0x20: continue
            default: return false
            }
        }
        return marks == 1
    }

    /// Whether an apostrophe and a Turkish possessive suffix (si sı su sü i ı u ü) follow a
    /// figure, then no letter or a case ending after its "n": "%52'si", "%80'i" are "52% of
    /// them", and so are "%20'sinden" (from 20% of it), "%10'una" (to 10% of it); "%5'lik"
    /// (a 5% one) and "%3'e kadar" (up to 3%) are rates.
    static func isTurkishShare(_ b: UnsafeBufferPointer<UInt8>, after end: Int) -> Bool {
        guard end < b.count, b[end] == 0x27 else { return false }
        var i = end + 1
        if i < b.count, b[i] == 0x73 { i += 1 }                        // s
        // i, u, or ı (C4 B1), ü (C3 BC)
        if i < b.count, b[i] == 0x69 || b[i] == 0x75 { i += 1 }
        else if i + 1 < b.count, (b[i] == 0xC4 && b[i + 1] == 0xB1) || (b[i] == 0xC3 && b[i + 1] == 0xBC) { i += 2 }
        else { return false }
        guard i < b.count else { return true }
        let c = b[i]
        if c == 0x6E { return true }                                   // n: a case ending follows
        return !(c >= 0x61 && c <= 0x7A) && c < 0x80
    }

    /// The sentence a span stands in: from the end of the sentence before it to the end of its
    /// own, inside `range` and its block, at most `sentenceReach` bytes either side. The offer
    /// reader's warned rates and the rules' sentence negations read the same sentence.
    static func sentence(_ b: UnsafeBufferPointer<UInt8>, around span: Range<Int>, within range: Range<Int>) -> Range<Int> {
        let lo = max(range.lowerBound, span.lowerBound - sentenceReach)
        let hi = min(range.upperBound, span.upperBound + sentenceReach)
        var start = span.lowerBound
        while start > lo, b[start - 1] != NormalizedText.blockSeparator, sentenceEnd(b, start - 1, upTo: range.upperBound) == 0 { start -= 1 }
        var end = span.upperBound
        while end < hi, b[end] != NormalizedText.blockSeparator, sentenceEnd(b, end, upTo: range.upperBound) == 0 { end += 1 }
        return start..<end
    }

    /// The length of a sentence-ending mark at `i` (0 when none).
    static func sentenceEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, upTo hi: Int) -> Int {
        switch b[i] {
        case 0x21, 0x3F, 0x3B: return 1                                        // ! ? ;
        case 0x2E: return i + 1 >= hi || b[i + 1] == 0x20 ? 1 : 0              // "." before a space or the end
        case 0xD8 where i + 1 < hi && b[i + 1] == 0x9F: return 2               // ؟
        case 0xDB where i + 1 < hi && b[i + 1] == 0x94: return 2               // ۔
        case 0xE3 where i + 2 < hi && b[i + 1] == 0x80 && b[i + 2] == 0x82: return 3   // 。
        case 0xEF where i + 2 < hi && b[i + 1] == 0xBC && (b[i + 2] == 0x81 || b[i + 2] == 0x9F): return 3   // ！ ？
        default: return 0
        }
    }

    /// Whether a quote mark lies in `r`: " (curly quotes are already plain), « », „ and 「 」 『 』.
    /// The apostrophe is no quote: it is too often part of a word.
    static func hasQuote(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        for i in r {
            switch b[i] {
            case 0x22: return true
            case 0xC2 where i + 1 < r.upperBound && (b[i + 1] == 0xAB || b[i + 1] == 0xBB): return true
            case 0xE2 where i + 2 < r.upperBound && b[i + 1] == 0x80 && b[i + 2] == 0x9E: return true
            case 0xE3 where i + 2 < r.upperBound && b[i + 1] == 0x80 && (0x8C...0x8F).contains(b[i + 2]): return true
            default: continue
            }
        }
        return false
    }

    /// Whether two figures are joined as a range or a chain: only spaces and one of - ~ / | , +
    /// or a "to" word between them.
    func joins(_ a: Int, _ b: Int, words: [WordHit], wordStarting: (Int) -> Int?, allowCurrency: Bool = false) -> Bool {
        guard a <= b, b - a <= 24 else { return false }
        var i = a
        var marks = 0
        while i < b {
            let c = bytes[i]
            if c == 0x20 { i += 1; continue }
            if c == 0x2D || c == 0x7E || c == 0x2F || c == 0x7C || c == 0x2C || c == 0x2B || c == 0x3E { marks += 1; i += 1; continue }
            // A word between: it must be a range word (or, for amounts, a currency marker).
            if let k = wordStarting(i), words[k].start == i, case let hit = words[k],
               hit.meaning.contains(.rangeTo) || (allowCurrency && hit.meaning.contains(.currency)) {
                if hit.meaning.contains(.rangeTo) { marks += 1 }
                i = hit.end
                continue
            }
            return false
        }
        return marks >= 1 && marks <= 2
    }

    /// Whether "÷ 365", "/ 365", "/ 360" or "÷ 12" follows offset `i` (spaces aside): a formula
    /// that splits a yearly rate into days or months.
    static func isDividedIntoAYear(_ bytes: UnsafeBufferPointer<UInt8>, after i: Int, upTo end: Int) -> Bool {
        var k = i
        while k < end, bytes[k] == 0x20 { k += 1 }
        if k < end, bytes[k] == 0x2F { k += 1 }
        else if k + 1 < end, bytes[k] == 0xC3, bytes[k + 1] == 0xB7 { k += 2 }   // ÷
        else { return false }
        while k < end, bytes[k] == 0x20 { k += 1 }
        var digits = 0, value = 0
        while k < end, isDigit(bytes[k]), digits < 4 { value = value * 10 + Int(bytes[k] - 0x30); digits += 1; k += 1 }
        guard digits > 0, k >= end || !isDigit(bytes[k]) else { return false }
        // Not a unit after it: "3% / 12 days" is a plan's term, not a formula. (A symbol such as
        // "≈" or "=", or punctuation, may follow.)
        while k < end, bytes[k] == 0x20 { k += 1 }
        if k < end, isASCIILetter(bytes[k]) || (bytes[k] >= 0xC0 && bytes[k] != 0xE2) { return false }
        return value == 365 || value == 360 || value == 12
    }

    /// An "x" or "×" multiplier sign at `i` (the sign ends at `i` when `back`).
    func isTimes(_ i: Int, back: Bool) -> Bool {
        if bytes[i] == 0x78 {
            if back { return true }
            return i + 1 >= bytes.count || !WordChars.isWordByte(bytes[i + 1])
        }
        // × is C3 97 in UTF-8.
        if back { return i >= 1 && bytes[i] == 0x97 && bytes[i - 1] == 0xC3 }
        return i + 1 < bytes.count && bytes[i] == 0xC3 && bytes[i + 1] == 0x97
    }
}
