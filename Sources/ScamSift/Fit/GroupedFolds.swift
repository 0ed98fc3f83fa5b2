import Foundation

/// K folds made of whole groups (sites): a group's pages are all in one fold.
public enum GroupedFolds {
    /// The fold of each example. Groups are dealt round-robin, scam-majority groups first and
    /// then the others, each list in a fixed pseudo-random order (FNV-1a of the group name), so
    /// every fold gets both labels and the same input always gives the same folds. K is lowered
    /// to the number of groups when there are fewer.
    public static func assign(groups: [String], isScam: [Bool], k: Int) -> [Int] {
        var scamCount: [String: Int] = [:], total: [String: Int] = [:]
        for (g, s) in zip(groups, isScam) {
            total[g, default: 0] += 1
            if s { scamCount[g, default: 0] += 1 }
        }
        let folds = max(1, min(k, total.count))
        func order(_ a: String, _ b: String) -> Bool { (fnv1a(a), a) < (fnv1a(b), b) }
        let scamGroups = total.keys.filter { 2 * (scamCount[$0] ?? 0) >= total[$0]! }.sorted(by: order)
        let otherGroups = total.keys.filter { 2 * (scamCount[$0] ?? 0) < total[$0]! }.sorted(by: order)
        var foldOf: [String: Int] = [:]
        for (i, g) in (scamGroups + otherGroups).enumerated() { foldOf[g] = i % folds }
        return groups.map { foldOf[$0]! }
    }

    /// The number of folds `assign` actually makes.
    public static func count(groups: [String], k: Int) -> Int { max(1, min(k, Set(groups).count)) }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }
}
