import Foundation

/// PHP blocks of a page saved from its source, made into scripts before libxml2 reads it.
///
/// libxml2 reads `<?php … ?>` as a processing instruction that ends at the first `>`, and PHP
/// writes `>` in `->` and `=>`: the rest of the block became the page's visible text, code and
/// all (a school's fee page showed `return number_format($n, 0, ',', ' ')`, and "return" read as
/// a profit word). Each `<?php … ?>` or `<?= … ?>` that stands between tags becomes a
/// `<script>` of the same code, so the code is never text, and its prose strings (an array of a
/// plan's names, a FAQ's answers) are read as a script's are (`ScriptStrings`). A block inside a
/// tag (`<a href="<?= $url ?>">`), or in a script, a style or a comment, is left as it was: a
/// script there would break the tag or end the script around it.
///
/// Blocks before the page's first element (a PHP file's opening `<?php … ?>`, then the
/// doctype and `<html lang="…">`) go in just after the `<html …>` tag: a script before it made
/// libxml2 start the document itself, and the page's own `<html>` and its `lang` were lost.
enum ServerCode {
    private static let open = Array("<script>".utf8), close = Array("</script>".utf8)
    /// Blocks made scripts on one page at most; the rest are left as they were. Each adds 12
    /// bytes and an element: a hostile page of a million `<?=?>` stays near its own size.
    static let maxBlocks = 10_000

    /// The bytes with each PHP block between tags made a script; nil when there is none.
    /// For ASCII-compatible encodings only (not UTF-16).
    static func asScripts(_ b: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let first = nextBlock(b, from: 0) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 64)
        var copied = 0
        var at: (start: Int, codeStart: Int)? = first
        var context = Context.text
        var made = 0
        // Scripts of the blocks before the first element, and whether it has been passed.
        var prolog: [UInt8] = []
        var elementSeen = false
        /// Copies markup between blocks; the prolog's scripts go in at the first element.
        func copy(_ range: Range<Int>) {
            guard !elementSeen, let first = firstElement(b, range) else {
                out.append(contentsOf: b[range])
                return
            }
            elementSeen = true
            let at = rootTagEnd(b, first, before: range.upperBound) ?? first
            out.append(contentsOf: b[range.lowerBound..<at])
            out.append(contentsOf: prolog)
            prolog = []
            out.append(contentsOf: b[at..<range.upperBound])
        }
        while let block = at, made < maxBlocks {
            let end = closing(b, from: block.codeStart)
            context = Self.context(b, copied..<block.start, from: context)
            copy(copied..<block.start)
            // Inside a tag a script would break it; in a script, a style or a comment libxml2
            // reads the block as raw text already (`var url = '<?= $base ?>';`), and a script
            // there would end the one around it.
            if context == .text {
                made += 1
                var script: [UInt8] = []
                script.reserveCapacity(end.codeEnd - block.codeStart + open.count + close.count)
                script.append(contentsOf: open)
                // The code stays as it was, but for a "</" that would end the script early.
                var i = block.codeStart
                while i < end.codeEnd {
                    script.append(b[i])
                    if b[i] == 0x3C, i + 1 < end.codeEnd, b[i + 1] == 0x2F { script.append(0x5C) }   // "<\/"
                    i += 1
                }
                script.append(contentsOf: close)
                if elementSeen { out.append(contentsOf: script) } else { prolog.append(contentsOf: script) }
            } else {
                out.append(contentsOf: b[block.start..<end.blockEnd])
            }
            copied = end.blockEnd
            at = nextBlock(b, from: copied)
        }
        copy(copied..<b.count)
        // A page of nothing but PHP: its scripts at the end.
        out.append(contentsOf: prolog)
        return out
    }

    /// The first element's `<` in `range` (past a doctype, comments and `<?xml …?>`), if any.
    static func firstElement(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            guard b[i] == 0x3C else { i += 1; continue }
            let next = b[i + 1] | 0x20
            if next >= 0x61 && next <= 0x7A { return i }
            if b[i + 1] == 0x21 || b[i + 1] == 0x3F {
                // "<!--…-->", "<!DOCTYPE …>" or "<?xml …?>": to its end.
                let isComment = i + 3 < range.upperBound && b[i + 2] == 0x2D && b[i + 3] == 0x2D
                var j = i + 2
                while j < range.upperBound {
                    if isComment ? (b[j] == 0x3E && j >= i + 6 && b[j - 1] == 0x2D && b[j - 2] == 0x2D) : b[j] == 0x3E { break }
                    j += 1
                }
                i = j + 1
                continue
            }
            i += 1
        }
        return nil
    }

    /// Just past the `>` of the `<html …>` tag at `start`, when the element there is `html`
    /// and its tag ends before `limit` (quoted attribute values may hold a `>`).
    static func rootTagEnd(_ b: UnsafeRawBufferPointer, _ start: Int, before limit: Int) -> Int? {
        guard start + 5 < limit, b[start + 1] | 0x20 == 0x68, b[start + 2] | 0x20 == 0x74,
              b[start + 3] | 0x20 == 0x6D, b[start + 4] | 0x20 == 0x6C,
              [0x20, 0x3E, 0x0A, 0x09, 0x0D, 0x2F].contains(b[start + 5]) else { return nil }
        var quote: UInt8 = 0
        var i = start + 5
        while i < limit {
            let c = b[i]
            if quote != 0 { if c == quote { quote = 0 } }
            else if c == 0x22 || c == 0x27 { quote = c }
            else if c == 0x3E { return i + 1 }
            i += 1
        }
        return nil
    }

    /// The next `<?php` (any case, then a space) or `<?=` at or after `from`: where it starts,
    /// and where its code starts.
    static func nextBlock(_ b: UnsafeRawBufferPointer, from: Int) -> (start: Int, codeStart: Int)? {
        var i = from
        while i + 2 < b.count {
            // Every page is searched, nearly all in vain: memchr finds each "<" far faster than
            // a loop over the bytes (which cost 1% of scoring `Samples/`).
            guard let base = b.baseAddress, let hit = memchr(base + i, 0x3C, b.count - i - 2) else { return nil }
            i = base.distance(to: UnsafeRawPointer(hit))
            guard b[i + 1] == 0x3F else { i += 1; continue }
            if b[i + 2] == 0x3D { return (i, i + 3) }
            if i + 5 < b.count, b[i + 2] | 0x20 == 0x70, b[i + 3] | 0x20 == 0x68, b[i + 4] | 0x20 == 0x70,
               [0x20, 0x0A, 0x0D, 0x09].contains(b[i + 5]) {
                return (i, i + 5)
            }
            i += 1
        }
        return nil
    }

    /// Where the block's code ends (its `?>`, or the end of the page, as PHP reads a file that
    /// ends inside a block), and where the block ends.
    static func closing(_ b: UnsafeRawBufferPointer, from: Int) -> (codeEnd: Int, blockEnd: Int) {
        var i = from
        while i + 1 < b.count {
            if b[i] == 0x3F, b[i + 1] == 0x3E { return (i, i + 2) }
            i += 1
        }
        return (b.count, b.count)
    }

    /// Where libxml2 stands at a point: between tags, inside a tag, or in the raw text of a
    /// script, a style or a comment.
    enum Context { case text, tag, script, style, comment }

    /// The context at the end of `range`, starting in `from`: one pass over the markup between
    /// two PHP blocks (not over the blocks), reading only `<`, `>` and a comment's `-`.
    static func context(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, from: Context) -> Context {
        var state = from
        var i = range.lowerBound
        /// Whether `word` (lower case) starts at `k`, any case.
        func at(_ k: Int, _ word: String) -> Bool {
            var j = k
            for c in word.utf8 {
                guard j < range.upperBound, b[j] | (c >= 0x61 ? 0x20 : 0) == c else { return false }
                j += 1
            }
            return true
        }
        /// Whether the tag name `word` ends at `k` (a space or `>` follows it).
        func nameEnds(_ k: Int) -> Bool { k < range.upperBound && [0x20, 0x3E, 0x0A, 0x09, 0x0D].contains(b[k]) }
        while i < range.upperBound {
            let c = b[i]
            if c != 0x3C && c != 0x3E && !(state == .comment && c == 0x2D) { i += 1; continue }
            switch state {
            case .text, .tag:
                if c == 0x3E { state = .text; break }
                if at(i, "<!--") { state = .comment; i += 4; continue }
                if at(i, "<script"), nameEnds(i + 7) { state = .script }
                else if at(i, "<style"), nameEnds(i + 6) { state = .style }
                else { state = .tag }
            case .script: if at(i, "</script") { state = .tag }
            case .style: if at(i, "</style") { state = .tag }
            case .comment: if at(i, "-->") { state = .text; i += 3; continue }
            }
            i += 1
        }
        return state
    }
}
