import Foundation

/// Everything ScamSift reads from one HTML document, as plain Swift values.
/// A `Page` owns no libxml2 pointers: the document is freed before it is returned.
public struct Page: Sendable, Equatable {
    public var url: String?
    public var encoding: String
    public var lang: String?
    public var title: String
    public var metaDescription: String
    /// `name`/`property`/`http-equiv` → content, for every `<meta>` that has content.
    public var meta: [MetaTag]
    /// Visible text, one entry per block-level element: phrases never join across entries.
    public var textBlocks: [String]
    /// Text inside elements hidden by `hidden`, `aria-hidden`, inline `display:none` and the like.
    public var hiddenBlocks: [String]
    public var links: [Link]
    public var forms: [Form]
    public var scripts: [Script]
    public var imageAlts: [String]
    /// Results of the XPath expressions the caller asked for, in the order asked.
    public var xpathResults: [XPathResult]
    /// Which block element each text block sits in, and how those elements nest.
    public var structure = Structure()
    /// The limits of `Limits` this page went past, each meaning part of it was not read
    /// (sorted; empty for every ordinary page). The report lists them as rule errors of `page`.
    public var cuts: [PageCut] = []
    /// Whether a `<template>` or a `<noscript>` held text (read into `hiddenBlocks`). A page saved
    /// from an app's source (a Vue or uni-app page) holds its words there: they are the page's
    /// own words, not hidden ones, so they count for its language and for whether it shows
    /// enough text.
    public var templateText = false

    public struct MetaTag: Sendable, Equatable {
        public var key: String
        public var content: String
    }

    public struct Link: Sendable, Equatable {
        public var href: String
        public var text: String
    }

    public struct Form: Sendable, Equatable {
        public var action: String
        public var method: String
        public var fields: [Field]
        /// Visible text inside the form (labels, buttons), block by block.
        public var text: [String]

        public struct Field: Sendable, Equatable {
            public var tag: String
            public var name: String
            public var type: String
            public var placeholder: String
            public var value: String
        }
    }

    public struct Script: Sendable, Equatable {
        public var src: String?
        /// The first `Page.Limits.inlineScriptExcerpt` bytes of an inline script.
        public var excerpt: String
    }

    public struct XPathResult: Sendable, Equatable {
        public var expression: String
        public var count: Int
        /// Up to three node paths (`/html/body/div[2]/form`) for evidence.
        public var paths: [String]
        /// Text of the selected nodes, one entry per node (bounded).
        public var texts: [String]
    }

    /// The block elements of the document as a tree, so a reader can tell which text blocks
    /// sit together: the offer extractor joins one plan's table cells, list items or card
    /// paragraphs into one offer. Only block elements get a node (one small record each), and
    /// the walk that fills it is the one that cuts the text into blocks.
    public struct Structure: Sendable, Equatable {
        /// In document (pre-)order; node 0 stands for the document itself.
        public var nodes: [Node] = [Node(parent: -1, end: 1, kind: .root, column: -1, level: 0)]
        /// For each entry of `textBlocks`, the node of the innermost block element around it.
        public var textBlockNodes: [Int32] = []
        /// The same for `hiddenBlocks`.
        public var hiddenBlockNodes: [Int32] = []

        public init() {}

        public struct Node: Sendable, Equatable {
            /// The enclosing block element's node; -1 for the root.
            public var parent: Int32
            /// One past the node's last descendant: its subtree is the nodes `id..<end`.
            public var end: Int32
            public var kind: Kind
            /// For table cells, the cell's position in its row (from 0); -1 otherwise.
            public var column: Int16
            /// For headings, how high they stand: 1–6 for `h1`–`h6`, 7 for a caption, legend or
            /// summary (a FAQ's question); 0 for every other node.
            public var level: UInt8
        }

        /// What a block element is, as far as grouping text goes.
        public enum Kind: UInt8, Sendable {
            case root, table, row, cell, headerCell, list, item, definitionList, term, definition, heading, paragraph, section, other
        }

        /// Whether node `a` is `b` or one of its ancestors.
        public func contains(_ a: Int32, _ b: Int32) -> Bool { a <= b && b < nodes[Int(a)].end }
    }

    /// What is read of one page at most. Hostile pages are scored with a bounded cost in time
    /// and memory: past a limit the rest is left out (and noted in `cuts`) or, for the input
    /// size, the page is refused. Each is far above what the sample and corpus pages use.
    public enum Limits {
        /// Pages above this size are refused with `PageError.tooLarge`.
        public static let maxInputBytes = 16 * 1024 * 1024
        public static let inlineScriptExcerpt = 4096
        public static let inlineScriptTotal = 64 * 1024
        public static let xpathTextsPerExpression = 200
        /// Attributes read on one element, and on the whole page (see `MarkupLimiter`).
        public static let maxAttributesPerElement = 100
        public static let maxAttributes = 200_000
        /// Open elements that nest (not counting void ones and those like `<p>`, `<li>`, `<td>`
        /// that close by themselves); tags deeper than this are left out.
        public static let maxDepth = 512
        /// Elements read; tags past this are left out, their text kept.
        public static let maxElements = 200_000
        /// Bytes of visible text kept (and as many of hidden text, of all links' text together,
        /// and of all forms' text together). 1 MiB is about 150,000 words; no sample or corpus
        /// page comes near it. Scoring costs several times the text in offset maps, regex input
        /// and offer blocks: at 2 MiB, a batch of hostile servers' 5 MB pages peaked above 150 MB.
        public static let maxTextBytes = 1024 * 1024
        /// Links, forms and form fields kept.
        public static let maxLinks = 10_000
        public static let maxForms = 1_000
        public static let maxFormFields = 5_000
        /// Links, or forms, open inside one another whose text is collected (the innermost are
        /// left out): each copies the text inside it.
        public static let maxNestedCollectors = 8
    }
}

public enum PageError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    case binary
    case unparseable

    public var description: String {
        switch self {
        case .empty: return "the file is empty"
        case let .tooLarge(bytes, limit): return "the page is \(bytes) bytes, above the limit of \(limit) bytes"
        case .binary: return "the file looks binary, not HTML (NUL bytes in its start)"
        case .unparseable: return "libxml2 could not build a document from it"
        }
    }
}
