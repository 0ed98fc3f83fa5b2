// The rule model in the snapshot's binary form (see `SnapshotCodable`). Fields are written and
// read in the same order; enum cases by a tag byte.

extension SourceLocation: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.string(file)
        w.raw(Int32(clamping: line))
        w.raw(Int32(clamping: column))
    }

    init(from r: inout SnapshotReader) throws {
        self.init(file: try r.string(), line: Int(try r.raw(Int32.self)), column: Int(try r.raw(Int32.self)))
    }
}

extension RuleFileError: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.write(location)
        w.string(message)
        w.bool(severity == .error)
    }

    init(from r: inout SnapshotReader) throws {
        let location = try r.read(SourceLocation.self)
        let message = try r.string()
        self.init(location, message, severity: try r.bool() ? .error : .warning)
    }
}

extension Reference: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.string(name)
        w.write(location)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(name: try r.string(), location: try r.read())
    }
}

extension RuleTarget: SnapshotCodable {
    private static let plain: [RuleTarget] = [.text, .title, .hidden, .links, .forms, .scripts, .meta, .url]

    func write(to w: inout SnapshotWriter) {
        if case let .xpath(e) = self {
            w.raw(UInt8(Self.plain.count))
            w.string(e)
        } else {
            w.raw(UInt8(Self.plain.firstIndex(of: self)!))
        }
    }

    init(from r: inout SnapshotReader) throws {
        let tag = try r.tag(below: Self.plain.count + 1)
        self = tag < Self.plain.count ? Self.plain[tag] : .xpath(try r.string())
    }
}

extension PhraseSpec: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.string(text)
        w.write(location)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(text: try r.string(), location: try r.read())
    }
}

extension MatcherSpec: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        switch self {
        case let .phrases(list):
            w.raw(UInt8(0)); w.array(list)
        case let .regex(pattern, location):
            w.raw(UInt8(1)); w.string(pattern); w.write(location)
        case let .near(a, b, within, sentence):
            w.raw(UInt8(2)); w.array(a); w.array(b); w.int(within); w.raw(UInt8(sentence ? 1 : 0))
        case let .xpath(e, minCount, location):
            w.raw(UInt8(3)); w.string(e); w.int(minCount); w.write(location)
        case let .all(refs):
            w.raw(UInt8(4)); w.array(refs)
        case let .any(refs):
            w.raw(UInt8(5)); w.array(refs)
        case let .not(ref):
            w.raw(UInt8(6)); w.write(ref)
        case let .nOf(n, refs):
            w.raw(UInt8(7)); w.int(n); w.array(refs)
        case let .offer(condition, location):
            w.raw(UInt8(8)); w.write(condition); w.write(location)
        }
    }

    init(from r: inout SnapshotReader) throws {
        switch try r.tag(below: 9) {
        case 0: self = .phrases(try r.array())
        case 1: self = .regex(try r.string(), try r.read())
        case 2: self = .near(a: try r.array(), b: try r.array(), within: try r.int(), sentence: try r.tag(below: 2) == 1)
        case 3: self = .xpath(try r.string(), minCount: try r.int(), try r.read())
        case 4: self = .all(try r.array())
        case 5: self = .any(try r.array())
        case 6: self = .not(try r.read())
        case 7: self = .nOf(try r.int(), try r.array())
        default: self = .offer(try r.read(), try r.read())
        }
    }
}

extension OfferCondition: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.array(kinds.map(\.rawValue))
        // In the figures' own order, so that the same condition always makes the same bytes.
        let present = Figure.allCases.filter { bounds[$0] != nil }
        w.int(present.count)
        for figure in present {
            w.string(figure.rawValue)
            w.bool(bounds[figure]!.min != nil)
            w.double(bounds[figure]!.min ?? 0)
            w.bool(bounds[figure]!.max != nil)
            w.double(bounds[figure]!.max ?? 0)
        }
        w.optional(principalReturned)
    }

    init(from r: inout SnapshotReader) throws {
        self.init()
        for name in try r.array(String.self) {
            guard let kind = Offer.Kind(rawValue: name) else { throw SnapshotReader.Malformed(offset: -1) }
            kinds.append(kind)
        }
        for _ in 0..<(try r.int()) {
            guard let figure = Figure(rawValue: try r.string()) else { throw SnapshotReader.Malformed(offset: -1) }
            let hasMin = try r.bool(), min = try r.double(), hasMax = try r.bool(), max = try r.double()
            bounds[figure] = Bounds(min: hasMin ? min : nil, max: hasMax ? max : nil)
        }
        principalReturned = try r.optional()
    }
}

extension NegationSpec: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.array(before); w.array(after); w.int(within); w.array(sentence); w.array(sentenceBefore); w.array(quoted)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(before: try r.array(), after: try r.array(), within: try r.int(), sentence: try r.array(), sentenceBefore: try r.array(), quoted: try r.array())
    }
}

extension ExamplesSpec: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.array(hit); w.array(miss)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(hit: try r.array(), miss: try r.array())
    }
}

extension RuleSpec: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.string(id); w.string(category); w.write(descriptions); w.int(weight)
        w.optional(perHit); w.optional(maxHits)
        w.array(targets); w.write(matcher); w.optional(negation); w.array(unless); w.array(outside); w.int(Int(opensSection?.rawValue ?? 0))
        w.write(examples); w.bool(allowSlow); w.write(location)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(id: try r.string(), category: try r.string(), descriptions: try r.read(), weight: try r.int(),
                  perHit: try r.optional(), maxHits: try r.optional(),
                  targets: try r.array(), matcher: try r.read(), negation: try r.optional(), unless: try r.array(),
                  outside: try r.array(), opensSection: SectionOpeners(rawValue: UInt8(clamping: try r.int())), examples: try r.read(), allowSlow: try r.bool(), location: try r.read())
    }
}

extension LocalizedText: SnapshotCodable {
    /// Language codes in order, each with its text.
    func write(to w: inout SnapshotWriter) {
        w.array(languages); w.array(languages.map { texts[$0]! })
    }

    init(from r: inout SnapshotReader) throws {
        let languages: [String] = try r.array(), texts: [String] = try r.array()
        guard languages.count == texts.count, !languages.isEmpty else { throw SnapshotReader.Malformed(offset: 0) }
        self.init(texts: Dictionary(zip(languages, texts), uniquingKeysWith: { a, _ in a }))
    }
}

extension PageTestSpec: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.string(page)
        w.bool(verdict != nil)
        if let verdict { w.raw(UInt8(verdict.rank)) }
        w.array(fires); w.array(notFires); w.write(location)
    }

    init(from r: inout SnapshotReader) throws {
        let page = try r.string()
        let verdict = try r.bool() ? Verdict.allCases[try r.tag(below: Verdict.allCases.count)] : nil
        self.init(page: page, verdict: verdict, fires: try r.array(), notFires: try r.array(), location: try r.read())
    }
}

extension VerdictCutoffs: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.int(suspicious); w.int(likelyScam)
    }

    init(from r: inout SnapshotReader) throws {
        self.init(suspicious: try r.int(), likelyScam: try r.int())
    }
}
