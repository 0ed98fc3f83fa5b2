import _FoundationICU
import Foundation

/// Rule regexes, run with ICU's C API straight over the normalised UTF-8 bytes.
///
/// Foundation's `NSRegularExpression` on Linux converts the text to UTF-16 for every call and
/// offers no time limit; profiling showed that conversion costing as much as the matching.
/// The toolchain already ships ICU as `_FoundationICU` (its symbols carry a `swift_` prefix),
/// so this uses it directly: a UTF-8 `UText` over our bytes, offsets that are UTF-8 offsets,
/// and ICU's own per-match time limit. This is the only file that touches ICU.
public final class ICURegex: @unchecked Sendable {
    /// The compiled pattern. Never matched with directly: a URegularExpression is not
    /// thread-safe, so each use works on a clone (clones share the compiled pattern).
    private let template: OpaquePointer
    /// Matchers (clones of `template`) not in use, each with the UText it last read. Cloning
    /// and opening a UText allocate, and a page runs every regex on several texts, so they
    /// are reused: taking one is a lock and a pop.
    private var idle: [(matcher: OpaquePointer, text: UnsafeMutablePointer<UText>)] = []
    private let idleLock = NSLock()

    public struct CompileError: Error, Equatable {
        /// ICU's name for the problem, such as U_REGEX_MISMATCHED_PAREN.
        public var name: String
        /// Offset in UTF-16 units into the pattern as compiled, when ICU knows it.
        public var offset: Int?
    }

    public init(_ pattern: String) throws {
        let utf16 = Array(pattern.utf16)
        var status = U_ZERO_ERROR
        var parseError = UParseError()
        let compiled = utf16.withUnsafeBufferPointer { buffer in
            swift_uregex_open(buffer.baseAddress, Int32(buffer.count), 0, &parseError, &status)
        }
        guard status.rawValue <= U_ZERO_ERROR.rawValue, let compiled else {
            if let compiled { swift_uregex_close(compiled) }
            throw CompileError(name: String(cString: swift_u_errorName(status)),
                               offset: parseError.offset >= 0 ? Int(parseError.offset) : nil)
        }
        template = compiled
    }

    deinit {
        for entry in idle {
            swift_uregex_close(entry.matcher)
            swift_utext_close(entry.text)
        }
        swift_uregex_close(template)
    }

    public enum Outcome: Equatable {
        case completed
        /// The time limit ran out during a match.
        case timedOut
    }

    /// A clone of the compiled pattern set up over `bytes` (a UTF-8 UText, no copy), with
    /// transparent, non-anchoring bounds so regions never invent word boundaries or anchors.
    private func withMatcher(_ bytes: UnsafeBufferPointer<UInt8>, stepLimit: Int32,
                             _ body: (OpaquePointer) -> Outcome) -> Outcome {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .completed }
        var status = U_ZERO_ERROR
        idleLock.lock()
        var entry = idle.popLast()
        idleLock.unlock()
        if entry == nil {
            guard let matcher = swift_uregex_clone(template, &status) else { return .completed }
            guard let text = swift_utext_openUTF8(nil, nil, 0, &status) else {
                swift_uregex_close(matcher)
                return .completed
            }
            entry = (matcher, text)
        }
        guard let (matcher, reused) = entry else { return .completed }
        // Reopening an existing UText reuses its memory; the matcher keeps no pointer into
        // `bytes` past this call because the next use points it at other bytes first.
        let text = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            swift_utext_openUTF8(reused, $0, Int64(bytes.count), &status)
        } ?? reused
        defer {
            idleLock.lock()
            idle.append((matcher, text))
            idleLock.unlock()
        }
        swift_uregex_setUText(matcher, text, &status)
        swift_uregex_setTimeLimit(matcher, max(0, stepLimit), &status)
        guard status.rawValue <= U_ZERO_ERROR.rawValue else { return .completed }
        return body(matcher)
    }

    private func setRegion(_ matcher: OpaquePointer, _ region: Range<Int>) {
        var status = U_ZERO_ERROR
        swift_uregex_setRegion64(matcher, Int64(region.lowerBound), Int64(region.upperBound), &status)
        swift_uregex_useTransparentBounds(matcher, 1, &status)
        swift_uregex_useAnchoringBounds(matcher, 0, &status)
    }

    /// Calls `body` with the UTF-8 byte range of each match (empty matches are skipped) until it
    /// returns false. With `regions`, only matches lying inside one of those byte ranges are
    /// looked for; lookarounds and `\b` still see the text around a region. `stepLimit` bounds
    /// each match attempt (ICU's steps are of the order of a millisecond each).
    @discardableResult
    public func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, regions: [Range<Int>]? = nil, stepLimit: Int32 = 0,
                             _ body: (Range<Int>) -> Bool) -> Outcome {
        withMatcher(bytes, stepLimit: stepLimit) { matcher in
            var status = U_ZERO_ERROR
            for region in regions ?? [0..<bytes.count] {
                setRegion(matcher, region)
                while swift_uregex_findNext(matcher, &status) != 0 {
                    let start = Int(swift_uregex_start64(matcher, 0, &status))
                    let end = Int(swift_uregex_end64(matcher, 0, &status))
                    if end > start, !body(start..<end) { return .completed }
                }
                if status == U_REGEX_TIME_OUT { return .timedOut }
                status = U_ZERO_ERROR
            }
            return .completed
        }
    }

    /// Tries the regex only at the given start offsets (anchored there, as `lookingAt`), for a
    /// pattern whose every match starts with one of the literals found at those offsets.
    @discardableResult
    public func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, startingAt starts: [Int], stepLimit: Int32 = 0,
                             _ body: (Range<Int>) -> Bool) -> Outcome {
        withMatcher(bytes, stepLimit: stepLimit) { matcher in
            var status = U_ZERO_ERROR
            var coveredUpTo = 0
            for start in starts where start >= coveredUpTo {
                // A start index resets the region to the whole text (so lookbehinds and \b see
                // what precedes it) and tries one match there: no region set-up per attempt.
                if swift_uregex_lookingAt64(matcher, Int64(start), &status) != 0 {
                    let end = Int(swift_uregex_end64(matcher, 0, &status))
                    if end > start {
                        coveredUpTo = end   // like findNext: no match starts inside the previous one
                        if !body(start..<end) { return .completed }
                    }
                }
                if status == U_REGEX_TIME_OUT { return .timedOut }
                status = U_ZERO_ERROR
            }
            return .completed
        }
    }

    /// Convenience for tests and tools: the first match in a byte array, if any.
    public func firstMatch(in bytes: [UInt8]) -> Range<Int>? {
        var found: Range<Int>?
        bytes.withUnsafeBufferPointer { buffer in
            forEachMatch(in: buffer) { found = $0; return false }
        }
        return found
    }
}

/// A regex compiled on first use: most alternatives of most rules never meet one of their atoms
/// on a given page, so a one-page run should not pay to compile them all. Thread-safe.
public final class LazyRegex: @unchecked Sendable {
    public let pattern: String
    private var compiled: ICURegex?
    private var error: ICURegex.CompileError?
    private let lock = NSLock()

    public init(_ pattern: String) { self.pattern = pattern }

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
