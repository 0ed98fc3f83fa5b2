import CLibXML2
import Synchronization
import Foundation

/// The one place that talks to libxml2. `parse` builds a document from raw bytes,
/// copies what ScamSift needs into a `Page`, and frees the document before returning:
/// no libxml2 pointer outlives the call, and a document never crosses threads.
public enum HTMLParser {
    /// `xmlInitParser()` must run once, before any thread uses libxml2.
    static let initialized: Void = { xmlInitParser() }()

    // No HTML_PARSE_NOBLANKS: libxml2 would drop the white space between two elements it does
    // not know (uni-app's <view> and <text>), gluing their words together.
    static let options: Int32 = Int32(bitPattern:
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue
        | XML_PARSE_HUGE.rawValue)

    /// Parses `data` (raw bytes, never decoded through String first).
    /// - Parameters:
    ///   - charset: the encoding the caller knows, e.g. from an HTTP `Content-Type`; it beats the page's own.
    ///   - url: the page's address, used to resolve relative links.
    ///   - xpaths: expressions to evaluate while the document is alive; results land in `Page.xpathResults`.
    public static func parse(_ data: Data, charset: String? = nil, url: String? = nil, xpaths: [String] = []) throws -> Page {
        var ignored = StageTimings()
        return try parse(data, charset: charset, url: url, xpaths: xpaths, timings: &ignored)
    }

    /// `parse`, adding the time spent in libxml2 and in extraction to `timings`.
    public static func parse(_ data: Data, charset: String? = nil, url: String? = nil, xpaths: [String] = [],
                             timings: inout StageTimings) throws -> Page {
        _ = initialized
        if data.isEmpty { throw PageError.empty }
        if data.count > Page.Limits.maxInputBytes {
            throw PageError.tooLarge(bytes: data.count, limit: Page.Limits.maxInputBytes)
        }
        return try data.withUnsafeBytes { raw in
            var choice = EncodingSniffer.choose(bytes: raw, declared: charset)
            if !choice.name.hasPrefix("UTF-16"), looksBinary(raw) { throw PageError.binary }
            if !canDecode(choice.name) { choice = .init(name: "UTF-8", bomLength: 0) }
            let body = UnsafeRawBufferPointer(rebasing: raw[choice.bomLength...])
            var owned: [UInt8]?
            if choice.name == "UTF-8", let repaired = UTF8Repair.repaired(body) { owned = repaired }
            // A page saved from PHP source: its code blocks become scripts (see `ServerCode`).
            if !choice.name.hasPrefix("UTF-16") {
                let scripted = if let repaired = owned { repaired.withUnsafeBytes(ServerCode.asScripts) } else { ServerCode.asScripts(body) }
                if let scripted { owned = scripted }
            }
            if let owned {
                return try owned.withUnsafeBytes { try parseLimited($0, encoding: choice.name, url: url, xpaths: xpaths, timings: &timings) }
            }
            return try parseLimited(body, encoding: choice.name, url: url, xpaths: xpaths, timings: &timings)
        }
    }

    /// Whether libxml2 can decode `encoding`. For an encoding it does not build in, libxml2
    /// makes a handler (with ICU or iconv converters) for the caller, who must close it: left
    /// open, each page declaring such a charset leaked about 5 KB (found by the `parse` fuzz target).
    static func canDecode(_ encoding: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(encoding) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// Parses the bytes, first cutting what lies past the markup limits (see `MarkupLimiter`).
    private static func parseLimited(_ bytes: UnsafeRawBufferPointer, encoding: String, url: String?, xpaths: [String],
                                     timings: inout StageTimings) throws -> Page {
        // libxml2's copies of a large page and its tree are freed by now, into malloc's arenas:
        // give them back before the page is scored (see `FreedMemory`).
        defer { if bytes.count > FreedMemory.largePageBytes { FreedMemory.giveBack() } }
        guard let (limited, cuts) = MarkupLimiter.limit(bytes, encoding: encoding) else {
            return try parseDocument(bytes, encoding: encoding, url: url, xpaths: xpaths, timings: &timings)
        }
        var page = try limited.withUnsafeBytes { try parseDocument($0, encoding: encoding, url: url, xpaths: xpaths, timings: &timings) }
        page.cuts = Set(page.cuts).union(cuts).sorted()
        return page
    }

    /// NUL bytes near the start mean an image, archive or other non-text file.
    static func looksBinary(_ b: UnsafeRawBufferPointer) -> Bool {
        let n = min(b.count, 1024)
        for i in 0..<n where b[i] == 0 { return true }
        return false
    }

    private static func parseDocument(_ bytes: UnsafeRawBufferPointer, encoding: String, url: String?, xpaths: [String],
                                      timings: inout StageTimings) throws -> Page {
        let started = now()
        // Errors go to a no-op handler instead of stderr (the handler is per thread in libxml2).
        xmlSetStructuredErrorFunc(nil) { _, _ in }
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        guard let base, let doc = htmlReadMemory(base, Int32(bytes.count), nil, encoding, options) else {
            throw PageError.unparseable
        }
        defer { xmlFreeDoc(doc) }
        let parsed = now()
        timings.parseNanos += parsed - started

        // Element names the XPath expressions need (see XPathGate); the walk notes which occur.
        let gates = xpaths.map(XPathGate.requiredElements)
        var builder = PageBuilder(url: url, encoding: encoding)
        builder.watched = Set(gates.compactMap { $0 }.joined())
        var top = doc.pointee.children
        while let node = top {
            builder.walk(node)
            top = node.pointee.next
        }
        var page = builder.finish()
        page.xpathResults = zip(xpaths, gates).map { expression, names in
            // Every branch selects elements by a name the page does not have: nothing can match.
            if let names, !names.contains(where: builder.seen.contains) {
                return Page.XPathResult(expression: expression, count: 0, paths: [], texts: [])
            }
            return evaluate(expression, in: doc)
        }
        timings.extractNanos += now() - parsed
        return page
    }

    private static func evaluate(_ expression: String, in doc: htmlDocPtr) -> Page.XPathResult {
        var result = Page.XPathResult(expression: expression, count: 0, paths: [], texts: [])
        guard let context = xmlXPathNewContext(doc) else { return result }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(expression, context) else { return result }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval else { return result }
            result.count = Int(set.pointee.nodeNr)
            for i in 0..<min(result.count, Page.Limits.xpathTextsPerExpression) {
                guard let node = set.pointee.nodeTab[i] else { continue }
                if result.paths.count < 3, let path = xmlGetNodePath(node) {
                    result.paths.append(String(cString: path))
                    scamsift_xmlFree(path)
                }
                if let content = xmlNodeGetContent(node) {
                    var buffer = TextBuffer()
                    buffer.append(UnsafePointer(content))
                    scamsift_xmlFree(content)
                    if let text = buffer.take() { result.texts.append(text) }
                }
            }
        case XPATH_BOOLEAN:
            result.count = object.pointee.boolval != 0 ? 1 : 0
        case XPATH_NUMBER:
            let value = object.pointee.floatval
            result.count = value.isFinite ? max(0, Int(value)) : 0
        case XPATH_STRING:
            if let s = object.pointee.stringval, s.pointee != 0 {
                result.count = 1
                result.texts = [String(cString: s)]
            }
        default:
            break
        }
        return result
    }

    /// Checks that an XPath expression compiles; returns libxml2's complaint if not.
    public static func xpathError(_ expression: String) -> String? {
        _ = initialized
        final class Box { var message: String? }
        let box = Box()
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        xmlSetStructuredErrorFunc(unmanaged.toOpaque()) { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
            if box.message == nil {
                box.message = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        defer { xmlSetStructuredErrorFunc(nil) { _, _ in } }
        guard let compiled = xmlXPathCompile(expression) else {
            return box.message ?? "invalid XPath expression"
        }
        xmlXPathFreeCompExpr(compiled)
        return nil
    }
}

/// Walks the libxml2 tree once, iteratively (deep pages must not overflow the stack),
/// and sorts what it sees into the fields of a `Page`.
private struct PageBuilder {
    let url: String?
    let encoding: String
    /// Element names to note when met (those XPath expressions select), and the ones met.
    var watched: Set<String> = [] {
        didSet { watchedShort = Set(watched.compactMap(ElementName.init)) }
    }
    private var watchedShort: Set<ElementName> = []
    var seen: Set<String> = []
    var lang: String?
    var title: String?
    var baseHref: String?
    var meta: [Page.MetaTag] = []
    var visible = BlockCollector()
    var hidden = BlockCollector()
    var links: [(href: String, text: TextBuffer)] = []
    var forms: [Page.Form] = []
    var formText: [BlockCollector] = []
    /// What went past `Page.Limits`, and the text budgets shared by all links and all forms.
    var cuts: Set<PageCut> = []
    var linkTextRoom = Page.Limits.maxTextBytes
    var formTextRoom = Page.Limits.maxTextBytes
    var fieldCount = 0
    var scripts: [Page.Script] = []
    var scriptBytes = 0
    var alts: [String] = []

    // Open-element state, pushed on enter and popped on leave.
    var frames: [Frame] = []
    var hiddenDepth = 0
    // Open <template> or <noscript> elements, and whether one held any text (see `Page.templateText`).
    var templateDepth = 0
    var templateText = false
    // Bytes of inline scripts scanned for their strings, and of strings kept (`ScriptStrings`).
    var scriptScanned = 0
    var scriptStringBytes = 0
    var openLinks: [Int] = []
    var openForms: [Int] = []
    var looseForm: Int?
    // Block elements as a tree (see Page.Structure): the open ones, and cell counts of open rows.
    var structure = Page.Structure()
    var openNodes: [Int32] = [0]
    var openRows: [Int16] = []

    struct Frame {
        var block: Bool
        var hidden: Bool
        var link: Bool
        var form: Bool
        var template = false
    }

    init(url: String?, encoding: String) {
        self.url = url
        self.encoding = encoding
    }

    mutating func walk(_ root: xmlNodePtr) {
        var node: xmlNodePtr? = root
        while let current = node {
            if enter(current), let child = current.pointee.children {
                node = child
                continue
            }
            // Leave this node, then climb until a sibling is found.
            var climbing: xmlNodePtr? = current
            node = nil
            while let up = climbing {
                leave(up)
                if up == root { break }
                if let next = up.pointee.next { node = next; break }
                climbing = up.pointee.parent
            }
        }
    }

    /// Returns whether to descend into the node's children.
    mutating func enter(_ node: xmlNodePtr) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { addText(UnsafePointer(content)) }
            return false
        case XML_ELEMENT_NODE:
            break
        default:
            return false
        }
        let rawName: UnsafePointer<UInt8>? = node.pointee.name
        let packed = rawName.flatMap { ElementName($0) }
        let info = packed?.info ?? rawName.map(ElementName.info) ?? ElementName.Info(kind: .other, block: false)
        if !watched.isEmpty, let rawName {
            if let packed {
                if watchedShort.contains(packed) { seen.insert(String(cString: rawName)) }
            } else {
                let name = String(cString: rawName)
                if watched.contains(name) { seen.insert(name) }
            }
        }
        var frame = Frame(block: info.block, hidden: false, link: false, form: false)
        var descend = true

        switch info.kind {
        case .script:
            addScript(node)
            descend = false
        case .skipped:
            descend = false
        case .template:
            // A browser never shows a <template>'s content, but a page saved from an app's
            // source (a Vue or uni-app page, a client-side template) holds all its words there:
            // read as hidden text, like an element hidden by its style. A <noscript> is read the
            // same way: ScamSift runs no script, so its content is what the page shows it, and
            // an app page may keep its whole text there "for search engines".
            break
        case .title:
            if title == nil {
                var buffer = TextBuffer()
                appendChildText(node, to: &buffer)
                title = buffer.take() ?? ""
            }
            descend = false
        case .meta:
            addMeta(node)
        case .base:
            if baseHref == nil, let href = attribute(node, "href") { baseHref = href }
        case .html:
            if lang == nil, let value = attribute(node, "lang"), !value.isEmpty { lang = value }
        case .link:
            if links.count >= Page.Limits.maxLinks {
                cuts.insert(.links)
            } else if let href = attribute(node, "href") {
                var text = TextBuffer()
                text.limit = linkTextRoom
                links.append((href, text))
                // A link inside too many others is kept without its text: each copies what it holds.
                if openLinks.count < Page.Limits.maxNestedCollectors {
                    openLinks.append(links.count - 1)
                    frame.link = true
                }
            }
        case .img:
            if let alt = attribute(node, "alt"), !alt.isEmpty {
                alts.append(alt)
                // Alt text stands in for the picture, so it is read like visible text too.
                addText(alt)
            }
        case .br:
            visible.space(); hidden.space()
        case .form:
            if forms.count >= Page.Limits.maxForms {
                cuts.insert(.forms)
            } else {
                forms.append(Page.Form(action: attribute(node, "action") ?? "",
                                       method: (attribute(node, "method") ?? "get").lowercased(),
                                       fields: [], text: []))
                formText.append(BlockCollector(limit: formTextRoom))
                if openForms.count < Page.Limits.maxNestedCollectors {
                    openForms.append(forms.count - 1)
                    frame.form = true
                }
            }
        case .field:
            let name = rawName.map { String(cString: $0) } ?? ""
            addField(node, tag: name)
            if name == "input", let value = attribute(node, "value"),
               ["submit", "button"].contains((attribute(node, "type") ?? "").lowercased()) {
                addText(value)
            }
        case .other:
            break
        }

        if info.kind == .template || isHidden(node) {
            frame.hidden = true
            hiddenDepth += 1
        }
        if info.kind == .template {
            frame.template = true
            templateDepth += 1
        }
        if frame.block {
            breakBlocks()
            openNode(packed)
        }
        frames.append(frame)
        return descend
    }

    /// Block element names that matter for grouping text, by packed name.
    static let nodeKinds: [ElementName: Page.Structure.Kind] = {
        var kinds: [ElementName: Page.Structure.Kind] = [:]
        let named: [(String, Page.Structure.Kind)] = [
            ("table", .table), ("tr", .row), ("td", .cell), ("th", .headerCell), ("ul", .list), ("ol", .list), ("li", .item),
            ("dl", .definitionList), ("dt", .term), ("dd", .definition), ("h1", .heading), ("h2", .heading), ("h3", .heading),
            ("h4", .heading), ("h5", .heading), ("h6", .heading), ("caption", .heading), ("legend", .heading), ("summary", .heading),
            ("p", .paragraph), ("section", .section), ("article", .section), ("main", .section), ("aside", .section),
            ("body", .section), ("html", .section),
        ]
        for (name, kind) in named { kinds[ElementName(name)!] = kind }
        return kinds
    }()

    mutating func openNode(_ name: ElementName?) {
        let kind = name.flatMap { Self.nodeKinds[$0] } ?? .other
        var column: Int16 = -1
        if kind == .cell || kind == .headerCell, !openRows.isEmpty {
            column = openRows[openRows.count - 1]
            openRows[openRows.count - 1] = column &+ 1
        }
        if kind == .row { openRows.append(0) }
        var level: UInt8 = 0
        if kind == .heading, let packed = name?.packed {
            // "h1"…"h6" packed: 'h' in the low byte, the digit next, nothing above.
            let digit = UInt8(truncatingIfNeeded: packed >> 8)
            level = packed >> 16 == 0 && packed & 0xFF == 0x68 && (0x31...0x36).contains(digit) ? digit - 0x30 : 7
        }
        let id = Int32(structure.nodes.count)
        structure.nodes.append(Page.Structure.Node(parent: openNodes.last ?? 0, end: id + 1, kind: kind, column: column, level: level))
        openNodes.append(id)
    }

    mutating func closeNode() {
        guard openNodes.count > 1, let id = openNodes.popLast() else { return }
        structure.nodes[Int(id)].end = Int32(structure.nodes.count)
        if structure.nodes[Int(id)].kind == .row, !openRows.isEmpty { openRows.removeLast() }
    }

    mutating func leave(_ node: xmlNodePtr) {
        guard node.pointee.type == XML_ELEMENT_NODE, let frame = frames.popLast() else { return }
        if frame.block {
            breakBlocks()
            closeNode()
        }
        if frame.hidden { hiddenDepth -= 1 }
        if frame.template { templateDepth -= 1 }
        if frame.link {
            let index = openLinks.removeLast()
            if links[index].text.truncated { cuts.insert(.linkText) }
            linkTextRoom = max(0, linkTextRoom - links[index].text.count)
        }
        if frame.form {
            let index = openForms.removeLast()
            forms[index].text = formText[index].finish()
            if formText[index].truncated { cuts.insert(.formText) }
            formTextRoom = max(0, formTextRoom - forms[index].text.reduce(0) { $0 + $1.utf8.count + 1 })
        }
    }

    mutating func breakBlocks() {
        let owner = openNodes.last ?? 0
        visible.breakBlock(owner: owner)
        hidden.breakBlock(owner: owner)
        for index in openForms { formText[index].breakBlock() }
    }

    mutating func addText(_ p: UnsafePointer<UInt8>) {
        if hiddenDepth > 0 { hidden.append(p) } else { visible.append(p) }
        if templateDepth > 0 && !templateText { templateText = Self.hasNonSpace(p) }
        for index in openLinks { links[index].text.append(p) }
        for index in openForms { formText[index].append(p) }
    }

    /// Whether a C string holds anything but ASCII white space.
    static func hasNonSpace(_ p: UnsafePointer<UInt8>) -> Bool {
        var q = p
        while q.pointee != 0 {
            switch q.pointee {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C: q += 1
            default: return true
            }
        }
        return false
    }

    mutating func addText(_ s: String) {
        s.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: s.utf8.count + 1) { addText($0) } }
        if hiddenDepth > 0 { hidden.space() } else { visible.space() }
    }

    mutating func addScript(_ node: xmlNodePtr) {
        if let src = attribute(node, "src") {
            scripts.append(Page.Script(src: src, excerpt: ""))
            return
        }
        readScriptStrings(node)
        var buffer = TextBuffer()
        appendChildText(node, to: &buffer, limit: Page.Limits.inlineScriptExcerpt)
        guard scriptBytes < Page.Limits.inlineScriptTotal, var text = buffer.take() else { return }
        if text.utf8.count > Page.Limits.inlineScriptExcerpt {
            text = String(decoding: text.utf8.prefix(Page.Limits.inlineScriptExcerpt), as: UTF8.self)
        }
        scriptBytes += text.utf8.count
        scripts.append(Page.Script(src: nil, excerpt: text))
    }

    /// An inline script's prose strings (see `ScriptStrings`), each a hidden block of its own.
    mutating func readScriptStrings(_ node: xmlNodePtr) {
        let scanRoom = ScriptStrings.maxScannedBytes - scriptScanned, keepRoom = ScriptStrings.maxKeptBytes - scriptStringBytes
        guard scanRoom > 0, keepRoom > 0, ScriptStrings.readsType(attribute(node, "type")) else { return }
        // The script's own bytes, line breaks kept (they end `//` comments and quoted strings).
        var script: [UInt8] = []
        var child = node.pointee.children
        while let c = child, script.count < scanRoom {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                let length = min(strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self)), scanRoom - script.count)
                script.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
            }
            child = c.pointee.next
        }
        scriptScanned += script.count
        let strings = ScriptStrings.prose(in: script, room: keepRoom)
        guard !strings.isEmpty else { return }
        let owner = openNodes.last ?? 0
        hidden.breakBlock(owner: owner)
        for text in strings {
            scriptStringBytes += text.utf8.count
            hidden.append(text)
            hidden.breakBlock(owner: owner)
        }
    }

    mutating func addMeta(_ node: xmlNodePtr) {
        guard let content = attribute(node, "content") else { return }
        let key = attribute(node, "name") ?? attribute(node, "property") ?? attribute(node, "http-equiv").map { "http-equiv:" + $0 }
        guard let key else { return }
        meta.append(Page.MetaTag(key: key.lowercased(), content: content))
    }

    mutating func addField(_ node: xmlNodePtr, tag: String) {
        if fieldCount >= Page.Limits.maxFormFields {
            cuts.insert(.formFields)
            return
        }
        fieldCount += 1
        // Inputs outside any <form> still tell what the page asks for: they share one
        // implicit form (no action, no method).
        let index: Int
        if let open = openForms.last {
            index = open
        } else if let loose = looseForm {
            index = loose
        } else {
            forms.append(Page.Form(action: "", method: "", fields: [], text: []))
            formText.append(BlockCollector())
            looseForm = forms.count - 1
            index = forms.count - 1
        }
        forms[index].fields.append(field(node, tag: tag))
    }

    func field(_ node: xmlNodePtr, tag: String) -> Page.Form.Field {
        var value = attribute(node, "value") ?? ""
        if tag == "select" || tag == "textarea" {
            var buffer = TextBuffer()
            appendDescendantText(node, to: &buffer)
            value = buffer.take() ?? value
        }
        return Page.Form.Field(tag: tag, name: attribute(node, "name") ?? attribute(node, "id") ?? "",
                               type: (attribute(node, "type") ?? (tag == "input" ? "text" : tag)).lowercased(),
                               placeholder: attribute(node, "placeholder") ?? "",
                               value: value)
    }

    func isHidden(_ node: xmlNodePtr) -> Bool {
        // Most elements carry none of the three attributes: look at each name's first letter
        // before comparing names in full.
        var attr = node.pointee.properties
        var candidate = false
        while let a = attr, !candidate {
            if let n = a.pointee.name { candidate = [0x68, 0x48, 0x61, 0x41, 0x73, 0x53].contains(n[0]) }   // h a s
            attr = a.pointee.next
        }
        guard candidate else { return false }
        if hasAttribute(node, "hidden") { return true }
        if attribute(node, "aria-hidden")?.lowercased() == "true" { return true }
        if let style = attribute(node, "style"), InlineStyle.hidesText(style) { return true }
        return false
    }

    func appendChildText(_ node: xmlNodePtr, to buffer: inout TextBuffer, limit: Int = .max) {
        var child = node.pointee.children
        while let c = child, buffer.count < limit {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                buffer.append(UnsafePointer(content))
            }
            child = c.pointee.next
        }
    }

    func appendDescendantText(_ node: xmlNodePtr, to buffer: inout TextBuffer) {
        guard let content = xmlNodeGetContent(node) else { return }
        buffer.append(UnsafePointer(content))
        scamsift_xmlFree(content)
    }

    mutating func finish() -> Page {
        let base = resolvedBase()
        let resolvedLinks = links.map { Page.Link(href: URLResolver.resolve($0.href, against: base), text: String(decoding: $0.text.bytes, as: UTF8.self)) }
        var resolvedForms = forms
        for i in resolvedForms.indices where !resolvedForms[i].action.isEmpty {
            resolvedForms[i].action = URLResolver.resolve(resolvedForms[i].action, against: base)
        }
        for i in resolvedForms.indices where resolvedForms[i].text.isEmpty {
            resolvedForms[i].text = formText[i].finish()
        }
        let resolvedScripts = scripts.map { s in
            Page.Script(src: s.src.map { URLResolver.resolve($0, against: base) }, excerpt: s.excerpt)
        }
        let owner = openNodes.last ?? 0
        let textBlocks = visible.finish(owner: owner), hiddenBlocks = hidden.finish(owner: owner)
        var cuts = self.cuts
        if visible.truncated { cuts.insert(.visibleText) }
        if hidden.truncated { cuts.insert(.hiddenText) }
        var structure = self.structure
        structure.nodes[0].end = Int32(structure.nodes.count)
        structure.textBlockNodes = visible.owners
        structure.hiddenBlockNodes = hidden.owners
        return Page(url: url, encoding: encoding, lang: lang, title: title ?? "",
                    metaDescription: meta.first { $0.key == "description" }?.content ?? "",
                    meta: meta, textBlocks: textBlocks, hiddenBlocks: hiddenBlocks,
                    links: resolvedLinks, forms: resolvedForms, scripts: resolvedScripts,
                    imageAlts: alts, xpathResults: [], structure: structure, cuts: cuts.sorted(),
                    templateText: templateText)
    }

    func resolvedBase() -> URL? {
        let pageURL = url.flatMap { URL(string: $0) }
        if let baseHref, let base = URLResolver.url(baseHref, relativeTo: pageURL) { return base }
        return pageURL
    }
}

/// Reads attributes straight from libxml2's attribute list, without allocations on its side.
private func attributeNode(_ node: xmlNodePtr, _ name: String) -> xmlAttrPtr? {
    var attr = node.pointee.properties
    while let a = attr {
        if let attrName = a.pointee.name, name.withCString({ strcasecmp($0, UnsafeRawPointer(attrName).assumingMemoryBound(to: CChar.self)) == 0 }) {
            return a
        }
        attr = a.pointee.next
    }
    return nil
}

private func hasAttribute(_ node: xmlNodePtr, _ name: String) -> Bool { attributeNode(node, name) != nil }

private func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
    guard let attr = attributeNode(node, name) else { return nil }
    var bytes: [UInt8] = []
    var child = attr.pointee.children
    while let c = child {
        if let content = c.pointee.content {
            bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
        }
        child = c.pointee.next
    }
    // Trim ASCII white space on the bytes: Foundation's trimming bridges through NSString and
    // showed up in profiles, called for every attribute of every element.
    func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    var lo = 0, hi = bytes.count
    while lo < hi, isSpace(bytes[lo]) { lo += 1 }
    while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
    return String(decoding: bytes[lo..<hi], as: UTF8.self)
}

/// Which element names an XPath expression needs the page to contain, when that is plain
/// from its text: every `|` branch starts `//name` followed by `[` or nothing. nil: not known.
/// Walking the tree for an expression costs as much as extracting the page, and most pages
/// have no element of those names, so the walk is skipped for them.
enum XPathGate {
    private static let cache = Mutex<[String: [String]?]>([:])

    static func requiredElements(_ expression: String) -> [String]? {
        cache.withLock { cache in
            if let known = cache[expression] { return known }
            let names = analyse(expression)
            cache[expression] = names
            return names
        }
    }

    static func analyse(_ expression: String) -> [String]? {
        var branches: [String] = [], current = ""
        var depth = 0
        var quote: Character?
        for c in expression {
            if let q = quote { current.append(c); if c == q { quote = nil }; continue }
            switch c {
            case "'", "\"": quote = c
            case "[", "(": depth += 1
            case "]", ")": depth -= 1
            case "|" where depth == 0: branches.append(current); current = ""; continue
            default: break
            }
            current.append(c)
        }
        branches.append(current)
        var names: [String] = []
        for branch in branches {
            let b = branch.trimmingCharacters(in: .whitespaces)
            guard b.hasPrefix("//") else { return nil }
            let rest = b.dropFirst(2)
            let name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            guard let first = name.first, first.isLetter else { return nil }
            let after = rest.dropFirst(name.count)
            guard after.isEmpty || after.first == "[" else { return nil }
            names.append(name.lowercased())
        }
        return names
    }
}
