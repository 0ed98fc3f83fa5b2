import CICURegex
import Foundation

/// Rule regexes, run with ICU's C API over the normalised text.
///
/// Foundation's `NSRegularExpression` on Linux converts the text to UTF-16 for every call and
/// offers no time limit; profiling showed that conversion costing as much as the matching.
/// This uses the system ICU (`CICU`, pkg-config `icu-uc` and `icu-i18n`, called through the
/// small C layer `CICURegex`), with ICU's
/// own per-match time limit. Each text is converted to
/// UTF-16 once (`RegexInput`), and every regex of every rule then reads that buffer: ICU's
/// matcher runs several times faster over a UTF-16 buffer than through a UTF-8 `UText`.
/// Offsets in and out are UTF-8 offsets into the normalised bytes. This is the only file
/// that touches ICU.
// @unchecked: the only mutable state, `idle`, is read and written under `idleLock`; the
// template is never matched with, only cloned, which ICU allows from any thread.
public final class ICURegex: @unchecked Sendable {
    /// The compiled pattern. Never matched with directly: a URegularExpression is not
    /// thread-safe, so each use works on a clone (clones share the compiled pattern).
    private let template: OpaquePointer
    /// Clones of `template` not in use. Cloning allocates, and a page runs every regex on
    /// several texts, so they are reused: taking one is a lock and a pop.
    private var idle: [OpaquePointer] = []
    private let idleLock = NSLock()

    public struct CompileError: Error, Equatable {
        /// ICU's name for the problem, such as U_REGEX_MISMATCHED_PAREN.
        public var name: String
        /// Offset in UTF-16 units into the pattern as compiled, when ICU knows it.
        public var offset: Int?
    }

    public init(_ pattern: String) throws {
        // Transcoded scalar by scalar: `Array(pattern.utf16)` on a pattern that is not ASCII
        // (a concept group of 21 languages) walked it three times, counting, indexing and copying.
        var utf16: [UInt16] = []
        utf16.reserveCapacity(pattern.utf8.count)
        for scalar in pattern.unicodeScalars { UTF16.encode(scalar) { utf16.append($0) } }
        var status: Int32 = 0
        var errorOffset: Int32 = -1
        let compiled = utf16.withUnsafeBufferPointer { buffer in
            cicu_regex_open(buffer.baseAddress, Int32(buffer.count), &status, &errorOffset)
        }
        guard status <= 0, let compiled else {
            if let compiled { cicu_regex_close(compiled) }
            throw CompileError(name: String(cString: cicu_error_name(status)),
                               offset: errorOffset >= 0 ? Int(errorOffset) : nil)
        }
        template = compiled
    }

    /// Compiles a small pattern. The first regex a process compiles also pays for ICU's
    /// one-time set-up (its property data and the ready-made sets behind `\w`, `\s`, `\d`),
    /// about 1.5 ms; `StartupWarmup` calls this on a thread of its own. ICU sets itself up
    /// once, under its own lock, whichever thread asks first.
    static func prepare() {
        _ = try? ICURegex(#"(?<![\w--[_]])\s\d"#)
    }

    deinit {
        for matcher in idle { cicu_regex_close(matcher) }
        cicu_regex_close(template)
    }

    public enum Outcome: Equatable {
        case completed
        /// The time limit ran out during a match.
        case timedOut
    }

    /// A matcher set up over the input's UTF-16 buffer. ICU keeps a pointer to the buffer only
    /// until the matcher's next `setText`, and the matcher is not used in between.
    fileprivate func withMatcher(_ input: RegexInput, stepLimit: Int32, _ body: (OpaquePointer) -> Outcome) -> Outcome {
        guard !input.utf16.isEmpty else { return .completed }
        var status: Int32 = 0
        idleLock.lock()
        let pooled = idle.popLast()
        idleLock.unlock()
        guard let matcher = pooled ?? cicu_regex_clone(template, &status) else { return .completed }
        defer {
            idleLock.lock()
            idle.append(matcher)
            idleLock.unlock()
        }
        return input.utf16.withUnsafeBufferPointer { buffer in
            cicu_regex_set_text(matcher, buffer.baseAddress, Int32(buffer.count), &status)
            cicu_regex_set_time_limit(matcher, max(0, stepLimit), &status)
            guard status <= 0 else { return .completed }
            return body(matcher)
        }
    }

    /// Limits the search to UTF-16 offsets `from..<to`, with transparent, non-anchoring bounds
    /// so a region never invents word boundaries or anchors: lookarounds see the whole text.
    private static func setRegion(_ matcher: OpaquePointer, _ from: Int32, _ to: Int32) {
        var status: Int32 = 0
        cicu_regex_set_region(matcher, from, to, &status)
        cicu_regex_use_transparent_bounds(matcher, 1, &status)
        cicu_regex_use_anchoring_bounds(matcher, 0, &status)
    }

    /// Calls `body` with the UTF-8 byte range of each match (empty matches are skipped) until it
    /// returns false. With `regions` (UTF-8 ranges), only matches lying inside one of them are
    /// looked for; lookarounds and `\b` still see the text around a region. `stepLimit` bounds
    /// each match attempt (ICU's steps are of the order of a millisecond each).
    @discardableResult
    public func forEachMatch(in input: RegexInput, regions: [Range<Int>]? = nil, stepLimit: Int32 = 0,
                             _ body: (Range<Int>) -> Bool) -> Outcome {
        withMatcher(input, stepLimit: stepLimit) { matcher in
            var status: Int32 = 0
            for region in regions ?? [0..<input.byteCount] {
                Self.setRegion(matcher, input.utf16Offset(region.lowerBound), input.utf16Offset(region.upperBound))
                while cicu_regex_find_next(matcher, &status) != 0 {
                    let start = input.utf8Offset(cicu_regex_start(matcher, &status))
                    let end = input.utf8Offset(cicu_regex_end(matcher, &status))
                    if end > start, !body(start..<end) { return .completed }
                }
                if status == cicu_status_time_out { return .timedOut }
                status = 0
            }
            return .completed
        }
    }

    /// Tries the regex only at the given UTF-8 start offsets (anchored there, as `lookingAt`),
    /// for a pattern whose every match starts with one of the literals found at those offsets.
    @discardableResult
    public func forEachMatch(in input: RegexInput, startingAt starts: [Int], stepLimit: Int32 = 0,
                             _ body: (Range<Int>) -> Bool) -> Outcome {
        withMatcher(input, stepLimit: stepLimit) { matcher in
            var status: Int32 = 0
            var coveredUpTo = 0
            for start in starts where start >= coveredUpTo {
                // A start index resets the region to the whole text (so lookbehinds and \b see
                // what precedes it) and tries one match there: no region set-up per attempt.
                if cicu_regex_looking_at(matcher, input.utf16Offset(start), &status) != 0 {
                    let end = input.utf8Offset(cicu_regex_end(matcher, &status))
                    if end > start {
                        coveredUpTo = end   // like findNext: no match starts inside the previous one
                        if !body(start..<end) { return .completed }
                    }
                }
                if status == cicu_status_time_out { return .timedOut }
                status = 0
            }
            return .completed
        }
    }

    /// The gap between a head and a tail regex (see `forEachJoinedMatch`).
    public struct Gap: Sendable {
        public var maxChars: Int
        /// ASCII characters the gap may not contain.
        public var forbidden: [UInt8]
        /// The most bytes a tail match can span.
        public var tailReach: Int

        public init(maxChars: Int, forbidden: [UInt8], tailReach: Int) {
            self.maxChars = maxChars
            self.forbidden = forbidden
            self.tailReach = tailReach
        }
    }

    /// Matches of `head`, a gap of at most `gap.maxChars` characters, then `tail`: what the
    /// regex `head[\s\S]{0,N}?tail` finds, but with the tail looked for once per head match by
    /// ICU's own search instead of tried at each of the N positions. Heads are tried at
    /// `starts` (anchored) or searched for in `regions`, like the other `forEachMatch` calls.
    /// A head match is taken as ICU first offers it; a regex whose head would have to give
    /// back characters for the tail to fit can find fewer matches this way. With `tailStarts`
    /// (sorted UTF-8 offsets of literals every tail match contains), the tail is looked for
    /// only when one of them starts where a tail could lie.
    @discardableResult
    public static func forEachJoinedMatch(head: ICURegex, tail: ICURegex, gap: Gap, in input: RegexInput,
                                          starts: [Int]?, regions: [Range<Int>]?, tailStarts: [Int]? = nil, stepLimit: Int32 = 0,
                                          _ body: (Range<Int>) -> Bool) -> Outcome {
        tail.withMatcher(input, stepLimit: stepLimit) { tailMatcher in
            var status: Int32 = 0
            let units = input.utf16
            let count = Int32(units.count)
            // After a head ending at q (UTF-16 offsets): where the first tail starting within
            // the gap ends, or nil when none does.
            func join(_ q: Int32) -> Int32? {
                // The gap stops at a forbidden character or after maxChars characters.
                var limit = q
                var chars = 0
                while limit < count, chars < gap.maxChars {
                    let u = units[Int(limit)]
                    if u < 0x80, gap.forbidden.contains(UInt8(u)) { break }
                    if !(0xDC00...0xDFFF).contains(u) { chars += 1 }
                    limit += 1
                }
                if limit < count, (0xDC00...0xDFFF).contains(units[Int(limit)]) { limit += 1 }
                let end = min(count, limit + Int32(gap.tailReach))
                if let tailStarts {
                    // The first tail literal at or after q must start before the end.
                    let from = input.utf8Offset(q)
                    var lo = 0, hi = tailStarts.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if tailStarts[mid] < from { lo = mid + 1 } else { hi = mid }
                    }
                    guard lo < tailStarts.count, tailStarts[lo] < input.utf8Offset(end) else { return nil }
                }
                setRegion(tailMatcher, q, end)
                guard cicu_regex_find_next(tailMatcher, &status) != 0 else { return nil }
                let r = cicu_regex_start(tailMatcher, &status)
                guard r <= limit else { return nil }
                return cicu_regex_end(tailMatcher, &status)
            }
            return head.withMatcher(input, stepLimit: stepLimit) { headMatcher in
                var timedOut: Bool { status == cicu_status_time_out }
                if let starts {
                    var coveredUpTo = 0
                    for start in starts where start >= coveredUpTo {
                        if cicu_regex_looking_at(headMatcher, input.utf16Offset(start), &status) != 0,
                           let e = join(cicu_regex_end(headMatcher, &status)) {
                            let end = input.utf8Offset(e)
                            if end > start {
                                coveredUpTo = end
                                if !body(start..<end) { return .completed }
                            }
                        }
                        if timedOut { return .timedOut }
                        status = 0
                    }
                    return .completed
                }
                for region in regions ?? [0..<input.byteCount] {
                    var from = input.utf16Offset(region.lowerBound)
                    let regionEnd = input.utf16Offset(region.upperBound)
                    while from < regionEnd {
                        setRegion(headMatcher, from, regionEnd)
                        guard cicu_regex_find_next(headMatcher, &status) != 0 else { break }
                        let p = cicu_regex_start(headMatcher, &status)
                        if let e = join(cicu_regex_end(headMatcher, &status)), e > p {
                            if !body(input.utf8Offset(p)..<input.utf8Offset(e)) { return .completed }
                            from = e
                        } else {
                            from = p + 1   // as ICU would: the next start is one character on
                            if from < count, (0xDC00...0xDFFF).contains(units[Int(from)]) { from += 1 }
                        }
                        if timedOut { return .timedOut }
                    }
                    if timedOut { return .timedOut }
                    status = 0
                }
                return .completed
            }
        }
    }

    /// Convenience for tests and tools: the first match in a byte array, if any.
    public func firstMatch(in bytes: [UInt8]) -> Range<Int>? {
        var found: Range<Int>?
        forEachMatch(in: RegexInput(bytes)) { found = $0; return false }
        return found
    }
}

/// A normalised text as ICU reads it fastest: UTF-16 in one buffer, with offset maps both
/// ways, built once per text and shared by every regex run on it.
public struct RegexInput {
    let utf16: [UInt16]
    /// UTF-16 offset of each UTF-8 offset (a byte inside a character maps to the character's start).
    private let fromUTF8: [Int32]
    /// UTF-8 offset of each UTF-16 offset.
    private let fromUTF16: [Int32]
    public var byteCount: Int { fromUTF8.count - 1 }

    public init(_ bytes: [UInt8]) {
        let n = bytes.count
        // UTF-16 never needs more units than UTF-8 has bytes, so the buffers are sized once,
        // and left uninitialised: every slot that counts is written below.
        var units = 0
        var fromUTF8: [Int32] = []
        var fromUTF16: [Int32] = []
        utf16 = bytes.withUnsafeBufferPointer { b in
            [UInt16](unsafeUninitializedCapacity: n) { out, outCount in
            fromUTF8 = [Int32](unsafeUninitializedCapacity: n + 1) { to16, to16Count in
            fromUTF16 = [Int32](unsafeUninitializedCapacity: n + 1) { to8, to8Count in
                var i = 0
                while i < n {
                    let c = b[i]
                    if c < 0x80 {
                        to16[i] = Int32(units); to8[units] = Int32(i)
                        out[units] = UInt16(c)
                        units += 1
                        i += 1
                        continue
                    }
                    guard let (v, length) = WordChars.decode(b, i) else {
                        to16[i] = Int32(units); to8[units] = Int32(i)   // not valid UTF-8: one replacement character
                        out[units] = 0xFFFD
                        units += 1
                        i += 1
                        continue
                    }
                    for k in 0..<length { to16[i + k] = Int32(units) }
                    if v < 0x10000 {
                        to8[units] = Int32(i); out[units] = UInt16(v); units += 1
                    } else {
                        let w = v - 0x10000
                        to8[units] = Int32(i); out[units] = UInt16(0xD800 + (w >> 10)); units += 1
                        to8[units] = Int32(i); out[units] = UInt16(0xDC00 + (w & 0x3FF)); units += 1
                    }
                    i += length
                }
                to16[n] = Int32(units)
                to8[units] = Int32(n)
                to8Count = units + 1
            }
                to16Count = n + 1
            }
                outCount = units
            }
        }
        self.fromUTF8 = fromUTF8
        self.fromUTF16 = fromUTF16
    }

    @inline(__always) func utf16Offset(_ utf8: Int) -> Int32 { fromUTF8[Swift.max(0, Swift.min(utf8, byteCount))] }
    @inline(__always) func utf8Offset(_ utf16: Int32) -> Int { Int(fromUTF16[Int(Swift.max(0, Swift.min(utf16, Int32(self.utf16.count))))]) }
}

/// A regex compiled on first use: most alternatives of most rules never meet one of their atoms
/// on a given page, so a one-page run should not pay to compile them all. Thread-safe.
// @unchecked: `compiled` and `error` are set once, under `lock`, and read only under it.
public final class LazyRegex: @unchecked Sendable {
    public let pattern: String
    private var compiled: ICURegex?
    private var error: ICURegex.CompileError?
    private let lock = NSLock()

    public init(_ pattern: String) { self.pattern = pattern }

    /// One `LazyRegex` per distinct pattern, for building a rule set: parts of different rules
    /// often have the same pattern (a concept group, a money amount), and each compile costs
    /// a few hundred microseconds.
    final class Pool {
        private var made: [String: LazyRegex] = [:]

        func regex(_ pattern: String) -> LazyRegex {
            if let known = made[pattern] { return known }
            let regex = LazyRegex(pattern)
            made[pattern] = regex
            return regex
        }
    }

    public func get() throws -> ICURegex {
        lock.lock()
        defer { lock.unlock() }
        if let compiled { return compiled }
        if let error { throw error }
        do {
            let regex = try ICURegex(pattern)
            compiled = regex
            return regex
        } catch let e as ICURegex.CompileError {
            error = e
            throw e
        }
    }
}
