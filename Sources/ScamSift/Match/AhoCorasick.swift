/// A byte-level Aho–Corasick automaton: every phrase of every rule is found in one pass.
/// Built once per rule set; read-only afterwards, so any number of threads may share it.
public struct AhoCorasick: Sendable {
    public struct Match: Equatable, Sendable {
        public var pattern: Int
        public var start: Int
        public var end: Int
    }

    // States are numbered breadth first, so shallow states, where scanning spends nearly all
    // its time, come first. The first `denseCount` states have a complete row of transitions
    // (over byte classes) in `dense`: one lookup per byte, no failure links.
    private var byteClass = [UInt8](repeating: 0, count: 256)
    private var classCount = 1
    private var denseCount = 0
    // dense[s * classCount + byteClass[b]]: the next state, with `Packed.reports` set when it
    // reports a pattern (so the common no-match step reads one table).
    private var dense: [UInt32] = []
    // Deeper states: sparse transitions sorted by byte, edges[edgeStart[s]..<edgeStart[s+1]].
    private var edgeStart: [Int32] = []
    private var edgeByte: [UInt8] = []
    private var edgeTarget: [Int32] = []
    private var fail: [Int32] = []
    // Everything a sparse step needs about a state in one word: the byte of a single edge
    // (bits 0-7), the number of edges capped at 255 (8-15), the single edge's target (16-47),
    // and whether the state reports a pattern here or down its output links (bit 49).
    private var packed: [UInt64] = []

    enum Packed {
        static let output: UInt64 = 1 << 49
        static let reports: UInt32 = 1 << 31
    }
    // Patterns recognised in a state itself: outPattern[outStart[s]..<outStart[s+1]]; then
    // outLink[s], the nearest state down the failure chain that recognises any (0: none).
    // Following links at a match is cheaper than copying every suffix's patterns into every
    // state while building, which dominated building for thousands of phrases.
    private var outStart: [Int32] = []
    private var outLink: [Int32] = []
    private var outPattern: [Int32] = []
    public let patternLengths: [Int]

    public var patternCount: Int { patternLengths.count }
    public var stateCount: Int { fail.count }

    /// Complete rows cost `classCount` words each. This many words (512 KB: about a thousand
    /// states for the built-in rules) covers the states a scan of real text spends its time in;
    /// measured, more rows made scanning slower again, as they no longer stay in cache.
    public static let denseBudget = 1 << 17

    /// `denseStates` caps how many states get a complete row (tests use it to reach the
    /// sparse path); by default as many as `denseBudget` allows.
    public init(patterns: [[UInt8]], denseStates: Int? = nil) {
        patternLengths = patterns.map(\.count)
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
        // 2. Failure links and output links, breadth first (a state's failure is shallower,
        //    so its links are final before they are read).
        let n = firstEdge.count
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
            var e = firstEdge[Int(s)]
            while e >= 0 {
                let b = edgeLabel[Int(e)], t = edgeTo[Int(e)]
                if s != 0 {
                    var f = failure[Int(s)]
                    while f != 0, child(f, b) < 0 { f = failure[Int(f)] }
                    let c = child(f, b)
                    failure[Int(t)] = c >= 0 && c != t ? c : 0
                }
                queue.append(t)
                e = edgeNext[Int(e)]
            }
        }
        // 3. Number states breadth first (the queue's order): a state's failure comes before it.
        var number = [Int32](repeating: 0, count: n)
        for (k, s) in queue.enumerated() { number[Int(s)] = Int32(k) }
        fail = [Int32](repeating: 0, count: n)
        outLink = [Int32](repeating: 0, count: n)
        for old in 0..<n {
            fail[Int(number[old])] = number[Int(failure[old])]
            outLink[Int(number[old])] = number[Int(link[old])]
        }
        outStart.reserveCapacity(n + 1)
        var own: [Int32] = []
        for old in queue {
            outStart.append(Int32(outPattern.count))
            own.removeAll(keepingCapacity: true)
            var o = ownFirst[Int(old)]
            while o >= 0 { own.append(ownPattern[Int(o)]); o = ownNext[Int(o)] }
            outPattern.append(contentsOf: own.sorted())
        }
        outStart.append(Int32(outPattern.count))
        // 4. Sparse edges, sorted by byte, for every state.
        edgeStart.reserveCapacity(n + 1)
        edgeByte.reserveCapacity(edgeLabel.count)
        edgeTarget.reserveCapacity(edgeLabel.count)
        var scratch: [(UInt8, Int32)] = []
        for old in queue {
            edgeStart.append(Int32(edgeByte.count))
            scratch.removeAll(keepingCapacity: true)
            var e = firstEdge[Int(old)]
            while e >= 0 { scratch.append((edgeLabel[Int(e)], number[Int(edgeTo[Int(e)])])); e = edgeNext[Int(e)] }
            scratch.sort { $0.0 < $1.0 }
            for (b, t) in scratch { edgeByte.append(b); edgeTarget.append(t) }
        }
        edgeStart.append(Int32(edgeByte.count))
        let reports = (0..<n).map { s in outStart[s] != outStart[s + 1] || outLink[s] != 0 }
        packed = (0..<n).map { s in
            let count = Int(edgeStart[s + 1] - edgeStart[s])
            var word = UInt64(min(count, 255)) << 8
            if count == 1 {
                let e = Int(edgeStart[s])
                word |= UInt64(edgeByte[e]) | UInt64(UInt32(edgeTarget[e])) << 16
            }
            if reports[s] { word |= Packed.output }
            return word
        }
        // 5. Byte classes: each byte some pattern uses has its own class; all others share
        //    class 0, which leads every state back to the root.
        let used = Set(edgeLabel).sorted()
        if used.count == 256 {
            for b in 0..<256 { byteClass[b] = UInt8(b) }
            classCount = 256
        } else {
            for b in used { byteClass[Int(b)] = UInt8(classCount); classCount += 1 }
        }
        // 6. Complete rows for the shallowest states: a state's row is its failure's row with
        //    its own edges written over it (the failure is shallower, so its row is done).
        denseCount = min(n, denseStates ?? Self.denseBudget / classCount)
        let width = classCount
        dense = [UInt32](repeating: 0, count: denseCount * width)
        dense.withUnsafeMutableBufferPointer { rows in
            for s in 0..<denseCount {
                let row = s * width
                if s != 0 {
                    let from = Int(fail[s]) * width
                    for c in 0..<width { rows[row + c] = rows[from + c] }
                }
                for e in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                    let t = Int(edgeTarget[e])
                    rows[row + Int(byteClass[Int(edgeByte[e])])] = UInt32(t) | (reports[t] ? Packed.reports : 0)
                }
            }
        }
    }

    /// Calls `body` for every occurrence of every pattern, in order of end offset (at one
    /// end offset, longer patterns first).
    ///
    /// Two passes: a tight walk over the bytes notes where a state that reports patterns is
    /// reached, then those few places are expanded into matches. Keeping the walk free of
    /// everything else lets the state stay in a register (it is the loop's critical path:
    /// each step's table read waits on the previous one); with the reporting inside, the
    /// compiler spilled it to the stack on every byte.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ body: (Match) -> Void) {
        guard text.count > 0 else { return }
        var reached = AppendBuffer<UInt64>(capacity: text.count / 8)
        defer { reached.deallocate() }
        byteClass.withUnsafeBufferPointer { byteClass in
        dense.withUnsafeBufferPointer { dense in
        packed.withUnsafeBufferPointer { packed in
            let width = classCount, denseCount = denseCount
            var state = 0
            for i in 0..<text.count {
                let b = text[i]
                if state < denseCount {
                    // The common step: one lookup in a complete row.
                    let next = dense[state &* width &+ Int(byteClass[Int(b)])]
                    state = Int(next & ~Packed.reports)
                    if next & Packed.reports != 0 { reached.append(UInt64(state) << 32 | UInt64(i + 1)) }
                } else {
                    state = deepStep(state, b)
                    if packed[state] & Packed.output != 0 { reached.append(UInt64(state) << 32 | UInt64(i + 1)) }
                }
            }
        }}}
        outStart.withUnsafeBufferPointer { outStart in
        outLink.withUnsafeBufferPointer { outLink in
        outPattern.withUnsafeBufferPointer { outPattern in
        patternLengths.withUnsafeBufferPointer { lengths in
            for k in 0..<reached.count {
                let event = reached[k]
                let end = Int(event & 0xFFFF_FFFF)
                var s = Int(event >> 32)
                if outStart[s] == outStart[s + 1] { s = Int(outLink[s]) }
                while s != 0 {
                    for o in Int(outStart[s])..<Int(outStart[s + 1]) {
                        let p = Int(outPattern[o])
                        body(Match(pattern: p, start: end - lengths[p], end: end))
                    }
                    s = Int(outLink[s])
                }
            }
        }}}}
    }

    /// A step from a state without a complete row: its own edges, else down the failure chain
    /// to a state that has the edge or a complete row (the root has one, unless no row was
    /// built at all). Kept out of the walk's loop, which rarely needs it.
    @inline(never)
    private func deepStep(_ from: Int, _ b: UInt8) -> Int {
        var state = from
        while true {
            if state < denseCount {
                return Int(dense[state * classCount + Int(byteClass[Int(b)])] & ~Packed.reports)
            }
            let word = packed[state]
            let count = Int((word >> 8) & 0xFF)
            if count == 1 {
                if UInt8(truncatingIfNeeded: word) == b { return Int((word >> 16) & 0xFFFF_FFFF) }
            } else if count > 1 {
                var e = Int(edgeStart[state])
                let hi = Int(edgeStart[state + 1])
                while e < hi {
                    let eb = edgeByte[e]
                    if eb == b { return Int(edgeTarget[e]) }
                    if eb > b { break }
                    e += 1
                }
            }
            if state == 0 { return 0 }
            state = Int(fail[state])
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
        w.integers(edgeStart)
        w.integers(edgeByte)
        w.integers(edgeTarget)
        w.integers(fail)
        w.integers(packed)
        w.integers(outStart)
        w.integers(outLink)
        w.integers(outPattern)
        w.array(patternLengths)
    }

    init(from r: inout SnapshotReader) throws {
        byteClass = try r.integers()
        classCount = try r.int()
        denseCount = try r.int()
        dense = try r.integers()
        edgeStart = try r.integers()
        edgeByte = try r.integers()
        edgeTarget = try r.integers()
        fail = try r.integers()
        packed = try r.integers()
        outStart = try r.integers()
        outLink = try r.integers()
        outPattern = try r.integers()
        patternLengths = try r.array()
        // Scanning reads these tables without bounds checks; a snapshot whose tables do not fit
        // together is refused.
        let states = fail.count
        let fits = byteClass.count == 256 && classCount >= 1 && classCount <= 256 && byteClass.allSatisfy { Int($0) < classCount }
            && denseCount >= 0 && denseCount <= states && dense.count == denseCount * classCount
            && dense.allSatisfy { Int($0 & ~Packed.reports) < states }
            && edgeStart.count == states + 1 && edgeByte.count == edgeTarget.count && edgeStart.last == Int32(edgeTarget.count)
            && edgeTarget.allSatisfy { $0 >= 0 && Int($0) < states } && fail.allSatisfy { $0 >= 0 && Int($0) < states }
            && packed.count == states && packed.allSatisfy { ($0 >> 8) & 0xFF != 1 || Int(($0 >> 16) & 0xFFFF_FFFF) < states }
            && outStart.count == states + 1 && outLink.count == states
            && outStart.last == Int32(outPattern.count) && outLink.allSatisfy { $0 >= 0 && Int($0) < states }
            && outPattern.allSatisfy { $0 >= 0 && Int($0) < patternLengths.count }
        if !fits { throw SnapshotReader.Malformed(offset: -1) }
    }
}
