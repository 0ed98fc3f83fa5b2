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
    // Patterns recognised in a state, including those reached through failure links.
    private var outStart: [Int32] = []
    private var outPattern: [Int32] = []
    public let patternLengths: [Int]

    public var patternCount: Int { patternLengths.count }
    public var stateCount: Int { fail.count }

    public init(patterns: [[UInt8]]) {
        patternLengths = patterns.map(\.count)
        // 1. Trie, with dictionary edges while building.
        var children: [[UInt8: Int32]] = [[:]]
        var own: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state: Int32 = 0
            for b in pattern {
                if let next = children[Int(state)][b] {
                    state = next
                } else {
                    children.append([:]); own.append([])
                    let next = Int32(children.count - 1)
                    children[Int(state)][b] = next
                    state = next
                }
            }
            own[Int(state)].append(Int32(id))
        }
        // 2. Failure links, breadth first.
        let n = children.count
        var failure = [Int32](repeating: 0, count: n)
        var outputs = own
        var queue: [Int32] = []
        for (_, child) in children[0] { queue.append(child) }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            for (b, t) in children[Int(s)] {
                queue.append(t)
                var f = failure[Int(s)]
                while f != 0, children[Int(f)][b] == nil { f = failure[Int(f)] }
                let candidate = children[Int(f)][b] ?? 0
                failure[Int(t)] = candidate == t ? 0 : candidate
                outputs[Int(t)] += outputs[Int(failure[Int(t)])]
            }
        }
        // 3. Flatten.
        for (b, t) in children[0] { rootNext[Int(b)] = t }
        edgeStart.reserveCapacity(n + 1)
        outStart.reserveCapacity(n + 1)
        for s in 0..<n {
            edgeStart.append(Int32(edgeByte.count))
            for (b, t) in children[s].sorted(by: { $0.key < $1.key }) {
                edgeByte.append(b); edgeTarget.append(t)
            }
            outStart.append(Int32(outPattern.count))
            outPattern.append(contentsOf: outputs[s].sorted())
        }
        edgeStart.append(Int32(edgeByte.count))
        outStart.append(Int32(outPattern.count))
        fail = failure
    }

    @inline(__always)
    private func step(_ state: Int32, _ b: UInt8) -> Int32 {
        var s = state
        while true {
            if s == 0 { return rootNext[Int(b)] }
            let lo = Int(edgeStart[Int(s)]), hi = Int(edgeStart[Int(s) + 1])
            for e in lo..<hi {
                let eb = edgeByte[e]
                if eb == b { return edgeTarget[e] }
                if eb > b { break }
            }
            s = fail[Int(s)]
        }
    }

    /// Calls `body` for every occurrence of every pattern, in order of end offset.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, _ body: (Match) -> Void) {
        var state: Int32 = 0
        for i in 0..<text.count {
            state = step(state, text[i])
            let lo = Int(outStart[Int(state)]), hi = Int(outStart[Int(state) + 1])
            if lo == hi { continue }
            for k in lo..<hi {
                let p = Int(outPattern[k])
                body(Match(pattern: p, start: i + 1 - patternLengths[p], end: i + 1))
            }
        }
    }

    public func matches(in text: [UInt8]) -> [Match] {
        var found: [Match] = []
        text.withUnsafeBufferPointer { buffer in scan(buffer) { found.append($0) } }
        return found
    }
}
