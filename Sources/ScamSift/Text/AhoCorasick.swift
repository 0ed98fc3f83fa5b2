/// A byte-level Aho–Corasick automaton: every phrase of every rule is found in one pass.
/// Built once per rule set; read-only afterwards, so any number of threads may share it.
public struct AhoCorasick: Sendable {
    public struct Match: Equatable, Sendable {
        public var pattern: Int
        public var start: Int
        public var end: Int
    }

    private var rootNext = [Int32](repeating: 0, count: 256)
    // Sparse transitions of every non-root state, sorted by byte: edges[edgeStart[s]..<edgeStart[s+1]].
    private var edgeStart: [Int32] = []
    private var edgeByte: [UInt8] = []
    private var edgeTarget: [Int32] = []
    private var fail: [Int32] = []
    // Complete transition rows for the root's children (a child's failure is the root, so
    // every byte has a next state): a failure chain ends at one of them in one lookup.
    // denseRow[s] is the row's start in `dense`, or -1.
    private var denseRow: [Int32] = []
    private var dense: [Int32] = []
    // Everything a step needs about a state in one word, so scanning touches one table per
    // byte: most states have a single edge, stored here whole (see `Packed`).
    private var packed: [UInt64] = []

    /// Layout of `packed`: byte of the single edge (bits 0-7), number of edges capped at 255
    /// (8-15), target of the single edge (16-47), has a dense row (48), reports a pattern here
    /// or down its output links (49).
    enum Packed {
        static let dense: UInt64 = 1 << 48
        static let output: UInt64 = 1 << 49
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

    public init(patterns: [[UInt8]]) {
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
        var outputs: [Int32] = []
        var starts: [Int32] = []
        starts.reserveCapacity(n + 1)
        var own: [Int32] = []
        for s in 0..<n {
            starts.append(Int32(outputs.count))
            own.removeAll(keepingCapacity: true)
            var o = ownFirst[s]
            while o >= 0 { own.append(ownPattern[Int(o)]); o = ownNext[Int(o)] }
            outputs.append(contentsOf: own.sorted())
        }
        starts.append(Int32(outputs.count))
        // 3. Flatten: sorted edges per state for scanning, a dense table for the root.
        var e = firstEdge[0]
        while e >= 0 { rootNext[Int(edgeLabel[Int(e)])] = edgeTo[Int(e)]; e = edgeNext[Int(e)] }
        edgeStart.reserveCapacity(n + 1)
        edgeByte.reserveCapacity(edgeLabel.count)
        edgeTarget.reserveCapacity(edgeLabel.count)
        var scratch: [(UInt8, Int32)] = []
        for s in 0..<n {
            edgeStart.append(Int32(edgeByte.count))
            scratch.removeAll(keepingCapacity: true)
            var e = firstEdge[s]
            while e >= 0 { scratch.append((edgeLabel[Int(e)], edgeTo[Int(e)])); e = edgeNext[Int(e)] }
            scratch.sort { $0.0 < $1.0 }
            for (b, t) in scratch { edgeByte.append(b); edgeTarget.append(t) }
        }
        edgeStart.append(Int32(edgeByte.count))
        denseRow = [Int32](repeating: -1, count: n)
        for b in 0..<256 {
            let child = Int(rootNext[b])
            guard child != 0 else { continue }
            denseRow[child] = Int32(dense.count)
            var row = rootNext
            var e = firstEdge[child]
            while e >= 0 { row[Int(edgeLabel[Int(e)])] = edgeTo[Int(e)]; e = edgeNext[Int(e)] }
            dense += row
        }
        packed = (0..<n).map { s in
            let count = Int(edgeStart[s + 1] - edgeStart[s])
            var word = UInt64(min(count, 255)) << 8
            if count == 1 {
                let e = Int(edgeStart[s])
                word |= UInt64(edgeByte[e]) | UInt64(UInt32(edgeTarget[e])) << 16
            }
            if denseRow[s] >= 0 { word |= Packed.dense }
            if starts[s] != starts[s + 1] || link[s] != 0 { word |= Packed.output }
            return word
        }
        fail = failure
        outStart = starts
        outLink = link
        outPattern = outputs
    }

    /// Calls `body` for every occurrence of every pattern, in order of end offset (at one
    /// end offset, longer patterns first). Reads the tables through unsafe pointers: this loop
    /// runs once per byte of every page, and bounds checks were a large share of it.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ body: (Match) -> Void) {
        rootNext.withUnsafeBufferPointer { rootNext in
        edgeStart.withUnsafeBufferPointer { edgeStart in
        edgeByte.withUnsafeBufferPointer { edgeByte in
        edgeTarget.withUnsafeBufferPointer { edgeTarget in
        fail.withUnsafeBufferPointer { fail in
        denseRow.withUnsafeBufferPointer { denseRow in
        dense.withUnsafeBufferPointer { dense in
        packed.withUnsafeBufferPointer { packed in
        outStart.withUnsafeBufferPointer { outStart in
        outLink.withUnsafeBufferPointer { outLink in
        outPattern.withUnsafeBufferPointer { outPattern in
        patternLengths.withUnsafeBufferPointer { lengths in
            var state = 0
            for i in 0..<text.count {
                let b = text[i]
                // One step: follow failure links until a state has an edge for b (the root has all).
                while true {
                    if state == 0 { state = Int(rootNext[Int(b)]); break }
                    let word = packed[state]
                    if word & Packed.dense != 0 { state = Int(dense[Int(denseRow[state]) + Int(b)]); break }
                    let count = Int((word >> 8) & 0xFF)
                    if count == 1 {
                        if UInt8(truncatingIfNeeded: word) == b { state = Int((word >> 16) & 0xFFFF_FFFF); break }
                    } else if count > 1 {
                        var e = Int(edgeStart[state])
                        let hi = Int(edgeStart[state + 1])
                        var next = -1
                        while e < hi {
                            let eb = edgeByte[e]
                            if eb == b { next = Int(edgeTarget[e]); break }
                            if eb > b { break }
                            e += 1
                        }
                        if next >= 0 { state = next; break }
                    }
                    state = Int(fail[state])
                }
                guard packed[state] & Packed.output != 0 else { continue }
                var s = state
                if outStart[s] == outStart[s + 1] { s = Int(outLink[s]) }
                while s != 0 {
                    for k in Int(outStart[s])..<Int(outStart[s + 1]) {
                        let p = Int(outPattern[k])
                        body(Match(pattern: p, start: i + 1 - lengths[p], end: i + 1))
                    }
                    s = Int(outLink[s])
                }
            }
        }}}}}}}}}}}}
    }

    public func matches(in text: [UInt8]) -> [Match] {
        var found: [Match] = []
        text.withUnsafeBufferPointer { buffer in scan(buffer) { found.append($0) } }
        return found
    }
}
