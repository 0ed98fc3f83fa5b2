/// A byte-level Aho–Corasick automaton: every phrase of every rule is found in one pass.
/// Built once per rule set; read-only afterwards, so any number of threads may share it.
public struct AhoCorasick: Sendable {
    public struct Match: Equatable, Sendable {
        public var pattern: Int
        public var start: Int
        public var end: Int
    }

    // The shallowest states (breadth first, as many as `denseBudget` allows) come first and
    // have a complete row of transitions over byte classes in `dense`: one lookup per byte, no
    // failure links. Scanning real text spends about half its bytes in them.
    private var byteClass = [UInt8](repeating: 0, count: 256)
    private var classCount = 1
    private var denseCount = 0
    // dense[s * classCount + byteClass[b]]: the next state, with `Record.reports` set when it
    // reports a pattern (so the common no-match step reads one table).
    private var dense: [UInt32] = []
    // Every state's `Record`: what a step from a state without a complete row needs, in one
    // 32-bit word. Deeper states are numbered depth first, so a state with one edge (most of
    // them: the rest of a phrase) leads to the next state, whose record is usually in the same
    // cache line. Numbered breadth first, each step down a phrase was a cache miss. Records of
    // 64 bits made the table of the built-in rules 2 MB, more than a core's cache holds.
    private var records: [UInt32] = []
    // Edges of the states with more than one: at edges[e], the count | the state's failure
    // << 9; then the edges' bytes, four to a word (the first in the low byte), in byte order;
    // then each edge's target. Looking a byte up compares four at a time without a branch
    // per edge (a loop over the edges mispredicted about once per multi-edge step).
    private var edges: [UInt32] = []
    // Patterns recognised in a state itself: outPattern[outStart[s]..<outStart[s+1]]; then
    // outLink[s], the nearest state down the failure chain that recognises any (0: none).
    // Following links at a match is cheaper than copying every suffix's patterns into every
    // state while building, which dominated building for thousands of phrases.
    private var outStart: [Int32] = []
    private var outLink: [Int32] = []
    private var outPattern: [Int32] = []
    /// outPattern[o]'s match as `expand` reports it: its length << 32 | the id it is reported
    /// as. Made from the tables above (not stored in a snapshot), so that reporting a match
    /// reads the state's own entries only: looking the length and the id up by pattern was a
    /// cache miss per match in tables of tens of thousands of patterns.
    private var outReported: [UInt64] = []
    public let patternLengths: [Int]
    /// The id each pattern is reported as (empty: its index). An automaton over a few of a
    /// larger list's patterns reports the larger list's ids, so one table of who waits for
    /// which pattern serves both.
    private var reportedIDs: [Int32] = []

    /// A state's record: whether it reports a pattern here or down its output links (bit 31);
    /// with `multi` set, where its edges start in `edges` (bits 0-28); otherwise its failure
    /// state (bits 0-20) and, with `single` set, its one edge's byte (bits 21-28; the edge
    /// leads to the next state). Neither flag: a leaf (or a state with a row).
    enum Record {
        static let reports: UInt32 = 1 << 31
        static let multi: UInt32 = 1 << 30
        static let single: UInt32 = 1 << 29
        static let edgeIndex: UInt32 = (1 << 29) - 1
        static let byteShift: UInt32 = 21
        static let failure: UInt32 = (1 << 21) - 1
        /// A multi-edge list's first word: the count in its low bits, the failure above.
        static let countBits: UInt32 = 9
        /// Most states an automaton may have (a record keeps 21 bits for a failure).
        static let maxStates = 1 << 21
    }

    /// Whether an automaton of `patterns` stays within `Record.maxStates`: a trie has at most
    /// one state per pattern byte, plus the root, and only past that bound are the distinct
    /// prefixes counted.
    static func fitsStateLimit(_ patterns: some Collection<[UInt8]>, limit: Int = Record.maxStates) -> Bool {
        if patterns.reduce(1, { $0 + $1.count }) <= limit { return true }
        var prefixes = Set<ArraySlice<UInt8>>()
        for p in patterns {
            for k in stride(from: p.count, through: 1, by: -1) {
                if !prefixes.insert(p[0..<k]).inserted { break }
                if prefixes.count + 1 > limit { return false }
            }
        }
        return true
    }

    public var patternCount: Int { patternLengths.count }
    /// The largest id a match can report, plus one.
    var idLimit: Int { reportedIDs.isEmpty ? patternCount : Int(reportedIDs.max() ?? -1) + 1 }
    public var stateCount: Int { records.count }

    /// Complete rows cost `classCount` words each. This many words (512 KB: about a thousand
    /// states for the built-in rules) covers the shallow states; measured, more rows made
    /// scanning slower again, as they no longer stay in cache.
    public static let denseBudget = 1 << 17

    /// `ids[p]` is the id pattern p is reported as (empty: p itself). `denseStates` caps how
    /// many states get a complete row (tests use it to reach the sparse path); by default as
    /// many as `denseBudget` allows.
    public init(patterns: [[UInt8]], ids: [Int32] = [], denseStates: Int? = nil) {
        precondition(ids.isEmpty || ids.count == patterns.count, "one id per pattern")
        patternLengths = patterns.map(\.count)
        reportedIDs = ids
        // 1. Trie in flat arrays: each state's edges form a linked list (no per-state allocations).
        var firstEdge: [Int32] = [-1]
        var edgeNext: [Int32] = [], edgeLabel: [UInt8] = [], edgeTo: [Int32] = []
        var ownFirst: [Int32] = [-1]
        var ownNext: [Int32] = [], ownPattern: [Int32] = []
        // The root has the most children by far: a dense table keeps building from scanning its list.
        var rootChild = [Int32](repeating: -1, count: 256)
        func child(_ s: Int32, _ b: UInt8) -> Int32 {
            if s == 0 { return rootChild[Int(b)] }
            var e = firstEdge[Int(s)]
            while e >= 0 {
                if edgeLabel[Int(e)] == b { return edgeTo[Int(e)] }
                e = edgeNext[Int(e)]
            }
            return -1
        }
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state: Int32 = 0
            for b in pattern {
                let next = child(state, b)
                if next >= 0 { state = next; continue }
                let created = Int32(firstEdge.count)
                firstEdge.append(-1); ownFirst.append(-1)
                edgeLabel.append(b); edgeTo.append(created); edgeNext.append(firstEdge[Int(state)])
                firstEdge[Int(state)] = Int32(edgeLabel.count - 1)
                if state == 0 { rootChild[Int(b)] = created }
                state = created
            }
            ownPattern.append(Int32(id)); ownNext.append(ownFirst[Int(state)])
            ownFirst[Int(state)] = Int32(ownPattern.count - 1)
        }
        let n = firstEdge.count
        precondition(n <= Record.maxStates, "an automaton of more than \(Record.maxStates) states")
        // Each state's children, sorted by byte.
        var childStart = [Int32](repeating: 0, count: n + 1)
        var children: [(UInt8, Int32)] = []
        children.reserveCapacity(edgeLabel.count)
        for s in 0..<n {
            childStart[s] = Int32(children.count)
            let from = children.count
            var e = firstEdge[s]
            while e >= 0 { children.append((edgeLabel[Int(e)], edgeTo[Int(e)])); e = edgeNext[Int(e)] }
            children[from...].sort { $0.0 < $1.0 }
        }
        childStart[n] = Int32(children.count)
        // 2. Failure links and output links, breadth first (a state's failure is shallower,
        //    so its links are final before they are read).
        var failure = [Int32](repeating: 0, count: n)
        var link = [Int32](repeating: 0, count: n)
        var queue: [Int32] = [0]
        queue.reserveCapacity(n)
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            if s != 0 {
                let f = failure[Int(s)]
                link[Int(s)] = ownFirst[Int(f)] >= 0 ? f : link[Int(f)]
            }
            for (b, t) in children[Int(childStart[Int(s)])..<Int(childStart[Int(s) + 1])] {
                if s != 0 {
                    var f = failure[Int(s)]
                    while f != 0, child(f, b) < 0 { f = failure[Int(f)] }
                    let c = child(f, b)
                    failure[Int(t)] = c >= 0 && c != t ? c : 0
                }
                queue.append(t)
            }
        }
        // 3. Byte classes: each byte some pattern uses has its own class; all others share
        //    class 0, which leads every state back to the root.
        let used = Set(edgeLabel).sorted()
        if used.count == 256 {
            for b in 0..<256 { byteClass[b] = UInt8(b) }
            classCount = 256
        } else {
            for b in used { byteClass[Int(b)] = UInt8(classCount); classCount += 1 }
        }
        // 4. Numbering: the shallowest states breadth first (a state's failure, shallower, comes
        //    before it, and is also one of them), then the others depth first, children in byte
        //    order, so a state's first child is the state after it. The children of a state
        //    without a row come after every state with one, so they have none either.
        denseCount = min(n, denseStates ?? Self.denseBudget / classCount)
        var number = [Int32](repeating: -1, count: n)
        for k in 0..<denseCount { number[Int(queue[k])] = Int32(k) }
        var next = Int32(denseCount)
        var stack: [Int32] = []
        for k in 0..<max(1, denseCount) {
            let top = Int(queue[k])
            // The deep subtrees under each shallow state (or the whole trie, without rows).
            let roots = denseCount == 0 ? [Int32(0)]
                : children[Int(childStart[top])..<Int(childStart[top + 1])].map(\.1).filter { number[Int($0)] < 0 }
            for root in roots {
                stack.append(root)
                while let s = stack.popLast() {
                    number[Int(s)] = next
                    next += 1
                    // Pushed in reverse, so the smallest byte's child is numbered next.
                    for (_, t) in children[Int(childStart[Int(s)])..<Int(childStart[Int(s) + 1])].reversed() { stack.append(t) }
                }
            }
        }
        var old = [Int32](repeating: 0, count: n)
        for s in 0..<n { old[Int(number[s])] = Int32(s) }
        // 5. Tables in the new numbering.
        outLink = [Int32](repeating: 0, count: n)
        outStart.reserveCapacity(n + 1)
        var own: [Int32] = []
        for s in 0..<n {
            let o = Int(old[s])
            outLink[s] = number[Int(link[o])]
            outStart.append(Int32(outPattern.count))
            own.removeAll(keepingCapacity: true)
            var p = ownFirst[o]
            while p >= 0 { own.append(ownPattern[Int(p)]); p = ownNext[Int(p)] }
            outPattern.append(contentsOf: own.sorted())
        }
        outStart.append(Int32(outPattern.count))
        outReported = Self.reported(outPattern, lengths: patternLengths, ids: reportedIDs)
        let reports = (0..<n).map { s in outStart[s] != outStart[s + 1] || outLink[s] != 0 }
        records = [UInt32](repeating: 0, count: n)
        for s in 0..<n {
            let o = Int(old[s])
            let mine = children[Int(childStart[o])..<Int(childStart[o + 1])]
            let fail = UInt32(number[Int(failure[o])])
            var info: UInt32 = reports[s] ? Record.reports : 0
            if s >= denseCount && mine.count > 1 {
                info |= Record.multi | UInt32(edges.count)
                edges.append(UInt32(mine.count) | fail << Record.countBits)
                let bytes = mine.map(\.0)
                for w in stride(from: 0, to: bytes.count, by: 4) {
                    var word: UInt32 = 0
                    for (k, b) in bytes[w..<min(bytes.count, w + 4)].enumerated() { word |= UInt32(b) << (8 * UInt32(k)) }
                    edges.append(word)
                }
                for (_, t) in mine { edges.append(UInt32(number[Int(t)])) }
            } else {
                // A state with a row is stepped from through its row only; its failure is kept
                // for building rows.
                info |= fail
                if s >= denseCount && mine.count == 1 {
                    assert(number[Int(mine.first!.1)] == Int32(s + 1))
                    info |= Record.single | UInt32(mine.first!.0) << Record.byteShift
                }
            }
            records[s] = info
        }
        // 6. Complete rows for the shallowest states: a state's row is its failure's row with
        //    its own edges written over it (the failure is shallower, so its row is done).
        let width = classCount
        dense = [UInt32](repeating: 0, count: denseCount * width)
        dense.withUnsafeMutableBufferPointer { rows in
            for s in 0..<denseCount {
                let row = s * width
                if s != 0 {
                    let from = Int(records[s] & Record.failure) * width
                    for c in 0..<width { rows[row + c] = rows[from + c] }
                }
                let o = Int(old[s])
                for (b, t) in children[Int(childStart[o])..<Int(childStart[o + 1])] {
                    let target = Int(number[Int(t)])
                    rows[row + Int(byteClass[Int(b)])] = UInt32(target) | (reports[target] ? Record.reports : 0)
                }
            }
        }
    }

    /// Calls `body` for every occurrence of every pattern, in order of end offset (at one
    /// end offset, longer patterns first).
    ///
    /// Two passes, a chunk of bytes at a time: a tight walk over the bytes notes where a state
    /// that reports patterns is reached, then those few places are expanded into matches.
    /// Keeping the walk free of everything else lets the state stay in a register (it is the
    /// loop's critical path: each step's table read waits on the previous one); with the
    /// reporting inside, the compiler spilled it to the stack on every byte.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ body: (Match) -> Void) {
        guard text.count > 0 else { return }
        // The text is walked a chunk at a time, each chunk's events expanded before the next:
        // a chunk makes at most one event per byte, so the events fit in a buffer on the stack
        // (a heap buffer per call was a malloc for each of the thousands of blocks the offer
        // scanner reads on a page).
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.chunk) { reached in
        byteClass.withUnsafeBufferPointer { byteClass in
        dense.withUnsafeBufferPointer { dense in
        records.withUnsafeBufferPointer { records in
        edges.withUnsafeBufferPointer { edges in
            let width = classCount, denseCount = denseCount
            var state = 0
            var from = 0
            while from < text.count {
                let to = min(text.count, from + Self.chunk)
                var count = 0
                for i in from..<to {
                    let b = text[i]
                    var next: UInt32
                    if state < denseCount {
                        // The common step: one lookup in a complete row.
                        next = dense[state &* width &+ Int(byteClass[Int(b)])]
                    } else {
                        next = Self.deepStep(state, b, dense: dense, width: width, denseCount: denseCount,
                                             byteClass: byteClass, records: records, edges: edges)
                    }
                    state = Int(next & ~Record.reports)
                    if next & Record.reports != 0 {
                        reached[count] = UInt64(state) << 32 | UInt64(i + 1)
                        count &+= 1
                    }
                }
                if count > 0 { expand(UnsafeBufferPointer(rebasing: reached[0..<count]), body) }
                from = to
            }
        }}}}}
    }

    /// Bytes walked before their events are expanded.
    static let chunk = 512

    /// The matches of the places where a reporting state was reached (state << 32 | end
    /// offset), in order.
    private func expand(_ reached: UnsafeBufferPointer<UInt64>, _ body: (Match) -> Void) {
        outStart.withUnsafeBufferPointer { outStart in
        outLink.withUnsafeBufferPointer { outLink in
        outReported.withUnsafeBufferPointer { reported in
            for event in reached {
                let end = Int(event & 0xFFFF_FFFF)
                var s = Int(event >> 32)
                if outStart[s] == outStart[s + 1] { s = Int(outLink[s]) }
                while s != 0 {
                    for o in Int(outStart[s])..<Int(outStart[s + 1]) {
                        let r = reported[o]
                        body(Match(pattern: Int(UInt32(truncatingIfNeeded: r)), start: end - Int(r >> 32), end: end))
                    }
                    s = Int(outLink[s])
                }
            }
        }}}
    }

    /// `outReported` from the pattern table (see there).
    private static func reported(_ outPattern: [Int32], lengths: [Int], ids: [Int32]) -> [UInt64] {
        outPattern.map { p in
            UInt64(UInt32(lengths[Int(p)])) << 32 | UInt64(UInt32(bitPattern: ids.isEmpty ? p : ids[Int(p)]))
        }
    }

    /// A step from a state without a complete row: its own edges, else down the failure chain
    /// to a state that has the edge or a complete row (the root has one, unless no row was
    /// built at all). Returns the next state with `Record.reports` set when it reports.
    @inline(__always)
    private static func deepStep(_ from: Int, _ b: UInt8, dense: UnsafeBufferPointer<UInt32>, width: Int, denseCount: Int,
                                 byteClass: UnsafeBufferPointer<UInt8>, records: UnsafeBufferPointer<UInt32>,
                                 edges: UnsafeBufferPointer<UInt32>) -> UInt32 {
        var state = from
        let singleEdge = Record.single | UInt32(b) << Record.byteShift
        let spread = UInt32(b) &* 0x0101_0101
        while true {
            if state < denseCount { return dense[state &* width &+ Int(byteClass[Int(b)])] }
            let info = records[state]
            if info & (Record.single | 0xFF << Record.byteShift) == singleEdge {
                let t = state &+ 1
                return UInt32(t) | records[t] & Record.reports
            }
            var failure = Int(info & Record.failure)
            if info & Record.multi != 0 {
                let e = Int(info & Record.edgeIndex)
                let head = edges[e]
                let count = Int(head & (1 << Record.countBits - 1))
                let words = (count &+ 3) >> 2
                var w = 0
                while w < words {
                    // The bytes of the word equal to b are its zero bytes once b is xored
                    // out; the lowest one this flags is exact (a borrow can flag the bytes
                    // above a zero only).
                    let x = edges[e &+ 1 &+ w] ^ spread
                    let zero = (x &- 0x0101_0101) & ~x & 0x8080_8080
                    if zero != 0 {
                        let k = w &<< 2 &+ zero.trailingZeroBitCount &>> 3
                        // Past the count: the padding of the last word, and no edge.
                        if k < count {
                            let t = Int(edges[e &+ 1 &+ words &+ k])
                            return UInt32(t) | records[t] & Record.reports
                        }
                        break
                    }
                    w &+= 1
                }
                failure = Int(head >> Record.countBits)
            }
            if state == 0 { return records[0] & Record.reports }
            state = failure
        }
    }

    public func matches(in text: [UInt8]) -> [Match] {
        var found: [Match] = []
        text.withUnsafeBufferPointer { buffer in scan(buffer) { found.append($0) } }
        return found
    }
}

extension AhoCorasick: SnapshotCodable {
    func write(to w: inout SnapshotWriter) {
        w.integers(byteClass)
        w.int(classCount)
        w.int(denseCount)
        w.integers(dense)
        w.integers(records)
        w.integers(edges)
        w.integers(outStart)
        w.integers(outLink)
        w.integers(outPattern)
        w.array(patternLengths)
        w.integers(reportedIDs)
    }

    init(from r: inout SnapshotReader) throws {
        byteClass = try r.integers()
        classCount = try r.int()
        denseCount = try r.int()
        dense = try r.integers()
        records = try r.integers()
        edges = try r.integers()
        outStart = try r.integers()
        outLink = try r.integers()
        outPattern = try r.integers()
        patternLengths = try r.array()
        reportedIDs = try r.integers()
        // Scanning reads these tables without bounds checks; a snapshot whose tables do not fit
        // together is refused.
        guard Self.fits(byteClass: byteClass, classCount: classCount, denseCount: denseCount, dense: dense, records: records,
                        edges: edges, outStart: outStart, outLink: outLink, outPattern: outPattern, patterns: patternLengths.count),
              reportedIDs.isEmpty || reportedIDs.count == patternLengths.count && reportedIDs.allSatisfy({ $0 >= 0 }),
              patternLengths.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) })
        else { throw SnapshotReader.Malformed(offset: -1) }
        outReported = Self.reported(outPattern, lengths: patternLengths, ids: reportedIDs)
    }

    /// Whether every index the scan follows stays inside its table.
    ///
    /// Run at every start on tables of a few hundred thousand entries, so each check is a
    /// plain reduction (a largest value, an or of bad flags) over a buffer, which the compiler
    /// can vectorise, instead of `allSatisfy` with a closure per entry. Reading the automaton
    /// with these checks is still about 6% of a start's instructions: most of it is touching
    /// megabytes of tables once.
    static func fits(byteClass: [UInt8], classCount: Int, denseCount: Int, dense: [UInt32], records: [UInt32], edges: [UInt32],
                     outStart: [Int32], outLink: [Int32], outPattern: [Int32], patterns: Int) -> Bool {
        let states = records.count
        guard states >= 1, states <= Record.maxStates, byteClass.count == 256, classCount >= 1, classCount <= 256,
              Int(byteClass.max() ?? 0) < classCount, denseCount >= 0, denseCount <= states,
              dense.count == denseCount * classCount, outStart.count == states + 1, outLink.count == states,
              outStart.last == Int32(outPattern.count), outStart.first == 0
        else { return false }
        /// The largest entry, as an unsigned number (a negative Int32 is larger than any index).
        func largest(_ table: [Int32]) -> UInt32 {
            table.withUnsafeBufferPointer { t in
                var m: UInt32 = 0
                for v in t { m = max(m, UInt32(bitPattern: v)) }
                return m
            }
        }
        let largestRow = dense.withUnsafeBufferPointer { t in
            var m: UInt32 = 0
            for v in t { m = max(m, v & ~Record.reports) }
            return m
        }
        let outStartFalls = outStart.withUnsafeBufferPointer { t in
            var falls = false
            for k in 1..<t.count { falls = falls || t[k - 1] > t[k] }
            return falls
        }
        guard Int(largestRow) < states, !outStartFalls, Int(largest(outLink)) < states,
              outPattern.isEmpty || Int(largest(outPattern)) < patterns
        else { return false }
        // Records: every failure a state; a single edge followed by a state; no record both
        // single and multi. Then the few states with several edges, one by one.
        let single = Record.single, multi = Record.multi
        let (largestFailure, badFlags, multiCount) = records.withUnsafeBufferPointer { r in
            var m: UInt32 = 0, bad = false, count = 0
            for v in r {
                m = max(m, v & multi == 0 ? v & Record.failure : 0)
                bad = bad || v & (single | multi) == single | multi
                count &+= v & multi != 0 ? 1 : 0
            }
            return (m, bad, count)
        }
        guard Int(largestFailure) < states, !badFlags, records[states - 1] & single == 0 else { return false }
        guard multiCount > 0 else { return true }
        return records.withUnsafeBufferPointer { r in
            edges.withUnsafeBufferPointer { edges in
                for v in r where v & multi != 0 {
                    let e = Int(v & Record.edgeIndex)
                    guard e < edges.count else { return false }
                    let count = Int(edges[e] & (1 << Record.countBits - 1)), words = (count + 3) / 4
                    guard count >= 1, Int(edges[e] >> Record.countBits) < states, e + words + count < edges.count else { return false }
                    for k in (e + 1 + words)..<(e + 1 + words + count) where Int(edges[k]) >= states { return false }
                }
                return true
            }
        }
    }
}
