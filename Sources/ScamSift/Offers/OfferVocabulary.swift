import Synchronization

/// What a word means to the offer extractor. A phrase can mean several things (Bengali দিনে is
/// both "a day" and "in … days"); the extractor decides from what stands next to it.
struct OfferWords: OptionSet, Sendable, Hashable {
    let rawValue: UInt64

    static let perHour = OfferWords(rawValue: 1 << 0)
    static let perDay = OfferWords(rawValue: 1 << 1)
    static let perWeek = OfferWords(rawValue: 1 << 2)
    static let perMonth = OfferWords(rawValue: 1 << 3)
    static let perYear = OfferWords(rawValue: 1 << 4)
    static let after = OfferWords(rawValue: 1 << 5)
    static let within = OfferWords(rawValue: 1 << 6)
    static let hour = OfferWords(rawValue: 1 << 7)
    static let day = OfferWords(rawValue: 1 << 8)
    static let week = OfferWords(rawValue: 1 << 9)
    static let month = OfferWords(rawValue: 1 << 10)
    static let year = OfferWords(rawValue: 1 << 11)
    static let businessDay = OfferWords(rawValue: 1 << 12)
    static let principalBack = OfferWords(rawValue: 1 << 13)
    static let principal = OfferWords(rawValue: 1 << 14)
    static let minDeposit = OfferWords(rawValue: 1 << 15)
    static let maxDeposit = OfferWords(rawValue: 1 << 16)
    static let minimum = OfferWords(rawValue: 1 << 17)
    static let maximum = OfferWords(rawValue: 1 << 18)
    static let withdraw = OfferWords(rawValue: 1 << 19)
    static let referralLevel = OfferWords(rawValue: 1 << 20)
    static let referral = OfferWords(rawValue: 1 << 21)
    static let doubleMoney = OfferWords(rawValue: 1 << 22)
    static let percentWord = OfferWords(rawValue: 1 << 23)
    static let lifetime = OfferWords(rawValue: 1 << 24)
    static let rangeTo = OfferWords(rawValue: 1 << 25)
    static let notAReturn = OfferWords(rawValue: 1 << 26)   // loan, discount, tax, benchmark, loyalty, measured, refund
    static let no = OfferWords(rawValue: 1 << 27)
    static let currency = OfferWords(rawValue: 1 << 28)
    static let fee = OfferWords(rawValue: 1 << 29)
    /// A scam warning, a red flag, a victim's story or "we never ask you to pay": an offer in
    /// the same sentence is one the page warns about, not one it makes.
    static let warning = OfferWords(rawValue: 1 << 30)
    /// "Cycle": a rate per cycle with no period of its own is paid once, after the cycle's term
    /// ("Return per cycle: 8%", "Cycle: 30 days").
    static let cycle = OfferWords(rawValue: 1 << 31)
    /// What "100%" intensifies ("100% online", "100% grátis"): then it is no rate.
    static let intensified = OfferWords(rawValue: 1 << 32)
    /// Paying by instalments ("10x de R$ 379,90 sem juros", "12 cuotas sin interés"): a
    /// multiple next to it counts payments, it is no return.
    static let installment = OfferWords(rawValue: 1 << 33)
    /// Compounding ("compounded monthly", "с ежемесячной капитализацией"): a period word beside
    /// it says how often interest is added to the balance, not how often the rate is paid.
    static let compounding = OfferWords(rawValue: 1 << 34)

    /// Money put in ("invest", "deposit", "buy", "लगाइए") and money paid out ("receive",
    /// "earn", "পাবেন"): read only to pair two amounts (`OfferScanner.amountRates`), kept apart
    /// from the other words so that they change nothing else the scanner reads.
    static let stake = OfferWords(rawValue: 1 << 35)
    static let payout = OfferWords(rawValue: 1 << 36)
    static let amountWords: OfferWords = [.stake, .payout]
    static let periods: OfferWords = [.perHour, .perDay, .perWeek, .perMonth, .perYear]
    static let units: OfferWords = [.hour, .day, .week, .month, .year, .businessDay]

    /// The concepts (lexicons and rules files' `lexicon:` sections) each meaning is read from.
    static let concepts: [(String, OfferWords)] = [
        ("per_hour", .perHour), ("per_day", .perDay), ("daily_profit", .perDay), ("per_week", .perWeek),
        ("per_month", .perMonth), ("per_year", .perYear), ("after", .after), ("within", .within),
        ("hour", .hour), ("day", .day), ("week", .week), ("month", .month), ("year", .year), ("business_day", .businessDay),
        ("principal_back", .principalBack), ("principal", .principal), ("min_deposit", .minDeposit), ("max_deposit", .maxDeposit),
        ("minimum", .minimum), ("maximum", .maximum), ("withdraw", .withdraw), ("min_withdraw", .withdraw),
        ("referral_level", .referralLevel), ("referral", .referral), ("commission", .referral), ("double_money", .doubleMoney),
        ("percent_word", .percentWord), ("lifetime", .lifetime), ("range_to", .rangeTo),
        ("loan", .notAReturn), ("discount", .notAReturn), ("promotion", .notAReturn), ("tax", .notAReturn), ("benchmark", .notAReturn), ("loyalty", .notAReturn), ("measured", .notAReturn),
        ("refund", .notAReturn),
        ("fee", .fee), ("no", .no),
        ("scam_warning", .warning), ("red_flag", .warning), ("scam_victim", .warning), ("never_pay", .warning),
        ("cycle", .cycle), ("intensified", .intensified), ("installment", .installment), ("compounding", .compounding),
        ("invest", .stake), ("deposit", .stake), ("recharge", .stake), ("buy", .stake), ("put_in", .stake), ("earn", .payout), ("receive", .payout),
    ]

    /// The length in days of one period or unit word.
    var days: Double? {
        if contains(.perHour) || contains(.hour) { return OfferMath.hour }
        if contains(.businessDay) { return OfferMath.businessDay }
        if contains(.perDay) || contains(.day) { return OfferMath.day }
        if contains(.perWeek) || contains(.week) { return OfferMath.week }
        if contains(.perMonth) || contains(.month) { return OfferMath.month }
        if contains(.perYear) || contains(.year) { return OfferMath.year }
        return nil
    }
}

/// Currency markers and the codes they stand for. Symbols and codes are the same in every
/// language; the few currency words are those pages write next to amounts.
enum CurrencyMarkers {
    static let all: [(String, String)] = [
        ("$", "USD"), ("us$", "USD"), ("usd", "USD"), ("dollar", "USD"), ("dollars", "USD"), ("dólar", "USD"), ("dólares", "USD"), ("dolares", "USD"), ("دلار", "USD"),
        ("usdt", "USDT"), ("usdc", "USDC"), ("btc", "BTC"), ("eth", "ETH"), ("trx", "TRX"), ("bnb", "BNB"), ("ltc", "LTC"), ("doge", "DOGE"),
        ("€", "EUR"), ("eur", "EUR"), ("euro", "EUR"), ("euros", "EUR"), ("£", "GBP"), ("gbp", "GBP"),
        ("₹", "INR"), ("inr", "INR"), ("rs", "INR"), ("rs.", "INR"), ("रुपये", "INR"), ("रुपए", "INR"), ("रु", "INR"), ("रु.", "INR"),
        ("৳", "BDT"), ("bdt", "BDT"), ("tk", "BDT"), ("tk.", "BDT"), ("taka", "BDT"), ("টাকা", "BDT"), ("টাকার", "BDT"),
        ("pkr", "PKR"), ("روپے", "PKR"), ("روپیہ", "PKR"),
        ("₽", "RUB"), ("rub", "RUB"), ("руб", "RUB"), ("руб.", "RUB"), ("рублей", "RUB"), ("рубля", "RUB"),
        ("₺", "TRY"), ("tl", "TRY"), ("lira", "TRY"),
        ("¥", "CNY"), ("cny", "CNY"), ("rmb", "CNY"), ("元", "CNY"), ("人民币", "CNY"),
        ("₫", "VND"), ("vnd", "VND"), ("vnđ", "VND"), ("đồng", "VND"),
        ("฿", "THB"), ("thb", "THB"), ("บาท", "THB"),
        ("rp", "IDR"), ("rp.", "IDR"), ("idr", "IDR"), ("rupiah", "IDR"),
        ("rm", "MYR"), ("myr", "MYR"), ("ringgit", "MYR"),
        ("r$", "BRL"), ("brl", "BRL"), ("reais", "BRL"),
        ("sar", "SAR"), ("aed", "AED"), ("درهم", "AED"), ("egp", "EGP"), ("جنيه", "EGP"),
        ("تومان", "IRT"), ("ریال", "IRR"), ("irr", "IRR"),
        ("₦", "NGN"), ("ngn", "NGN"), ("naira", "NGN"), ("₱", "PHP"), ("php", "PHP"),
        // The languages lexicons were added for later: Hebrew, Korean, Japanese, Ukrainian, Nepali,
        // and West African French (FCFA). A letter next to a marker made of letters keeps it
        // from matching inside a word (원 in 원금 "principal", грн in a longer word). Not "ils",
        // which is French for "they".
        ("₪", "ILS"), ("ש״ח", "ILS"), ("ש\"ח", "ILS"), ("שקל", "ILS"), ("שקלים", "ILS"),
        ("₩", "KRW"), ("krw", "KRW"), ("원", "KRW"), ("円", "JPY"), ("jpy", "JPY"),
        ("₴", "UAH"), ("uah", "UAH"), ("грн", "UAH"), ("грн.", "UAH"), ("гривень", "UAH"), ("гривні", "UAH"), ("гривня", "UAH"),
        ("npr", "NPR"), ("रुपैयाँ", "NPR"), ("fcfa", "XOF"), ("xof", "XOF"), ("chf", "CHF"),
    ]
}

/// The words the offer extractor looks for, in one automaton, built from the rule set's
/// concepts the first time a page needs it (start-up does not pay for it).
final class OfferVocabulary: Sendable {
    struct Built: Sendable {
        let automaton: AhoCorasick
        /// For each pattern: what it means, and its currency code when it is a currency.
        let meanings: [OfferWords]
        let currencies: [String?]
        /// Word boundaries are checked only on a pattern's sides that are letters or digits
        /// (see `OfferScanner`), and not on a side a lexicon opened with `*` (Arabic "*سنوي"
        /// also finds السنوي).
        let letterStart: [Bool]
        let letterEnd: [Bool]
        let digitStart: [Bool]
        let digitEnd: [Bool]

        /// No words: the stand-in a rule set holds while its snapshot's halves are read.
        static let empty = Built(automaton: AhoCorasick(patterns: []), meanings: [], currencies: [], letterStart: [], letterEnd: [],
                                 digitStart: [], digitEnd: [])
    }

    private let concepts: ConceptTable
    private let made = Mutex<Built?>(nil)

    init(concepts: ConceptTable) { self.concepts = concepts }

    /// A vocabulary already built (read from a rule-set snapshot).
    init(concepts: ConceptTable, built: Built) {
        self.concepts = concepts
        made.withLock { $0 = built }
    }

    var built: Built {
        if let b = made.withLock({ $0 }) { return b }
        let b = Self.build(concepts)
        made.withLock { if $0 == nil { $0 = b } }
        return made.withLock { $0! }
    }

    static func build(_ table: ConceptTable) -> Built { build(words(table)) }

    /// The vocabulary's patterns (normalised, distinct) and what each says, before the automaton.
    struct Words {
        var patterns: [[UInt8]] = []
        var meanings: [OfferWords] = []
        var currencies: [String?] = []
        var openStart: [Bool] = []
        var openEnd: [Bool] = []
    }

    static func words(_ table: ConceptTable) -> Words {
        var index: [[UInt8]: Int] = [:]
        var w = Words()
        func add(_ bytes: [UInt8], _ meaning: OfferWords, currency: String? = nil, opens: (Bool, Bool) = (false, false)) {
            guard !bytes.isEmpty else { return }
            if let k = index[bytes] {
                w.meanings[k].formUnion(meaning)
                if currency != nil { w.currencies[k] = currency }
                w.openStart[k] = w.openStart[k] || opens.0
                w.openEnd[k] = w.openEnd[k] || opens.1
                return
            }
            index[bytes] = w.patterns.count
            w.patterns.append(bytes)
            w.meanings.append(meaning)
            w.currencies.append(currency)
            w.openStart.append(opens.0)
            w.openEnd.append(opens.1)
        }
        for (name, meaning) in OfferWords.concepts {
            for phrase in table.phrases(name) {
                add(TextNormalizer.normalize(PhraseSyntax.core(phrase.text)), meaning,
                    opens: (PhraseSyntax.openStart(phrase.text), PhraseSyntax.openEnd(phrase.text)))
            }
        }
        for (marker, code) in CurrencyMarkers.all { add(TextNormalizer.normalize(marker), .currency, currency: code) }
        return w
    }

    static func build(_ w: Words) -> Built {
        let patterns = w.patterns, openStart = w.openStart, openEnd = w.openEnd
        func isLetter(_ bytes: [UInt8], atEnd: Bool) -> Bool {
            bytes.withUnsafeBufferPointer { b -> Bool in
                guard let s = atEnd ? lastScalar(b) : WordChars.scalar(b, 0) else { return false }
                return WordChars.isWord(s) && !s.properties.numericType.map { $0 == .decimal }.isTrue
            }
        }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        return Built(automaton: AhoCorasick(patterns: patterns), meanings: w.meanings, currencies: w.currencies,
                     letterStart: patterns.indices.map { !openStart[$0] && isLetter(patterns[$0], atEnd: false) },
                     letterEnd: patterns.indices.map { !openEnd[$0] && isLetter(patterns[$0], atEnd: true) },
                     digitStart: patterns.indices.map { !openStart[$0] && isDigit(patterns[$0].first) },
                     digitEnd: patterns.indices.map { !openEnd[$0] && isDigit(patterns[$0].last) })
    }

    static func lastScalar(_ b: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard b.count > 0 else { return nil }
        var start = b.count - 1
        while start > 0, b[start] & 0xC0 == 0x80, b.count - start < 4 { start -= 1 }
        return WordChars.scalar(b, start)
    }
}

extension OfferVocabulary.Built: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.write(automaton)
        w.integers(meanings.map(\.rawValue))
        w.int(currencies.count)
        for c in currencies { w.optional(c) }
        for flags in [letterStart, letterEnd, digitStart, digitEnd] { w.integers(flags.map { $0 ? UInt8(1) : 0 }) }
    }

    init(from r: inout SnapshotReader) throws {
        automaton = try r.read()
        meanings = try r.integers(UInt64.self).map(OfferWords.init(rawValue:))
        var currencies: [String?] = []
        for _ in 0..<(try r.int()) { currencies.append(try r.optional()) }
        self.currencies = currencies
        letterStart = try r.integers(UInt8.self).map { $0 != 0 }
        letterEnd = try r.integers(UInt8.self).map { $0 != 0 }
        digitStart = try r.integers(UInt8.self).map { $0 != 0 }
        digitEnd = try r.integers(UInt8.self).map { $0 != 0 }
        let n = automaton.patternCount
        guard [meanings.count, currencies.count, letterStart.count, letterEnd.count, digitStart.count, digitEnd.count].allSatisfy({ $0 == n }) else {
            throw SnapshotReader.Malformed(offset: -1)
        }
    }
}

private extension Optional where Wrapped == Bool {
    var isTrue: Bool { self ?? false }
}
