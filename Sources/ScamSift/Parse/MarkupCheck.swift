import CLibXML2
import Foundation

/// Checks markup ScamSift writes (the HTML reports) with libxml2, the parser that reads pages:
/// what its HTML parser complains about, whether the text is well-formed XML, and every
/// element with its attributes, so tests can look for scripts, handlers and outside links
/// without matching strings.
public enum MarkupCheck {
    /// One complaint of libxml2's parser.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        /// libxml2's error code (`xmlParserErrors`).
        public var code: Int
        public var message: String
        /// The HTML parser knows only HTML 4's elements and says so for every other one
        /// (`<mark>`, `<svg>`, `<section>`): code 801, "Tag mark invalid".
        public var isUnknownTag: Bool { code == Int(XML_HTML_UNKNOWN_TAG.rawValue) }
        /// The element an unknown-tag complaint names.
        public var unknownTag: String? {
            guard isUnknownTag else { return nil }
            let words = message.split(separator: " ")
            return words.count >= 2 ? String(words[1]) : nil
        }
        public var description: String { "line \(line): \(message) (code \(code))" }
    }

    /// An element of a well-formed document: its name and attributes in document order, and
    /// its own text (not its children's).
    public struct Element: Sendable, Equatable {
        public var name: String
        public var attributes: [Attribute]
        public var text: String

        public struct Attribute: Sendable, Equatable {
            public var name: String
            public var value: String
        }
    }

    /// What libxml2's HTML parser (as `xmllint --html` runs it, never touching the network)
    /// reports about `data`: errors and warnings, in order.
    public static func htmlProblems(_ data: Data) -> [Problem] {
        collecting { data.withUnsafeBytes { raw in
            let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue)
            if let doc = htmlReadMemory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, "UTF-8", options) {
                xmlFreeDoc(doc)
            }
        } }
    }

    /// What libxml2's XML parser reports about `data`: empty when it is well-formed (every
    /// element closed, every attribute quoted, every `&` an entity, no forbidden character).
    public static func xmlProblems(_ data: Data) -> [Problem] {
        collecting { _ = withDocument(data) { _ in } }
    }

    /// Every element of `data` read as XML, in document order; nil when it is not well-formed.
    public static func elements(_ data: Data) -> [Element]? {
        var out: [Element] = []
        let parsed = withDocument(data) { doc in
            var stack: [xmlNodePtr] = []
            if let root = xmlDocGetRootElement(doc) { stack.append(root) }
            while let node = stack.popLast() {
                var element = Element(name: String(cString: node.pointee.name), attributes: [], text: "")
                var attr = node.pointee.properties
                while let a = attr {
                    var value = ""
                    if let v = xmlNodeListGetString(doc, a.pointee.children, 1) {
                        value = String(cString: v)
                        scamsift_xmlFree(v)
                    }
                    element.attributes.append(.init(name: String(cString: a.pointee.name), value: value))
                    attr = a.pointee.next
                }
                var children: [xmlNodePtr] = []
                var child = node.pointee.children
                while let c = child {
                    if c.pointee.type == XML_ELEMENT_NODE {
                        children.append(c)
                    } else if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
                        element.text += String(cString: content)
                    }
                    child = c.pointee.next
                }
                out.append(element)
                stack.append(contentsOf: children.reversed())
            }
        }
        return parsed ? out : nil
    }

    /// Parses `data` as XML without the network or external entities, hands the document to
    /// `body`, and frees it; false when it is not well-formed.
    private static func withDocument(_ data: Data, _ body: (xmlDocPtr) -> Void) -> Bool {
        _ = HTMLParser.initialized
        return data.withUnsafeBytes { raw in
            let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
            guard let doc = xmlReadMemory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, "UTF-8", options) else {
                return false
            }
            defer { xmlFreeDoc(doc) }
            body(doc)
            return doc.pointee.properties & Int32(XML_DOC_WELLFORMED.rawValue) != 0
        }
    }

    /// Runs `parse` with libxml2's errors collected instead of printed (the handler is per thread).
    private static func collecting(_ parse: () -> Void) -> [Problem] {
        _ = HTMLParser.initialized
        final class Box { var problems: [Problem] = [] }
        let box = Box()
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        xmlSetStructuredErrorFunc(unmanaged.toOpaque()) { context, error in
            guard let context, let error else { return }
            let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            box.problems.append(Problem(line: Int(error.pointee.line), code: Int(error.pointee.code), message: message))
        }
        defer { xmlSetStructuredErrorFunc(nil) { _, _ in } }
        parse()
        return box.problems
    }
}
