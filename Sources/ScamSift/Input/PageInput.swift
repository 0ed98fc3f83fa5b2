import Foundation

/// Why some bytes were not taken as a page, before any parsing.
public enum InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A PDF, an image, an archive: named by its first bytes.
    case notAWebPage(FileType)
    case badMHTML(MHTMLProblem)

    public var description: String {
        switch self {
        case let .notAWebPage(type): return "the file is \(type.description), not a web page"
        case let .badMHTML(problem): return problem.description
        }
    }
}

/// The input stage, between raw bytes and the parser: refuses files that are known not to be
/// pages, and takes the page out of an MHTML archive with the charset and address it was saved
/// with. A plain HTML page passes through untouched (only its first bytes are looked at).
public struct PageInput: Sendable {
    /// The HTML bytes to parse.
    public var html: Data
    /// The charset to parse them with; it beats what the page declares.
    public var charset: String?
    /// The page's address, to resolve its links against.
    public var url: String?
    /// Addresses of an archive's script parts. The saved page may have lost its `<script src>`
    /// tags (Chrome drops scripts when it saves), so these add to `Page.scripts`.
    public var scriptURLs: [String] = []

    /// - Parameters:
    ///   - charset: the caller's charset (`--charset`, HTTP). An MHTML part's own charset beats it:
    ///     the caller's describes the archive, the part's the page inside it.
    ///   - url: the caller's address (`--base-url`, the fetched URL). It beats the part's
    ///     `Content-Location`, which is used only when the caller gave none.
    ///   - contentType: an HTTP `Content-Type`; `multipart/related` there means the body is an
    ///     archive whose boundary the header gives.
    public static func read(_ data: Data, charset: String? = nil, url: String? = nil,
                            contentType: String? = nil) throws(InputError) -> PageInput {
        let plain = PageInput(html: data, charset: charset, url: url)
        if let contentType, MIMEContentType(contentType).mediaType == "multipart/related" {
            return try unpack { () throws(MHTMLProblem) in try MHTMLReader.read([UInt8](data), contentType: contentType) }
                .with(charset: charset, url: url)
        }
        switch InputSniffer.sniff(data) {
        case .html: return plain
        case let .other(type): throw .notAWebPage(type)
        case .mhtml:
            return try unpack { () throws(MHTMLProblem) in try MHTMLReader.read([UInt8](data)) }.with(charset: charset, url: url)
        }
    }

    /// Parses the page, and adds the archive's script addresses it does not name itself.
    public func parse(xpaths: [String], timings: inout StageTimings) throws -> Page {
        var page = try HTMLParser.parse(html, charset: charset, url: url, xpaths: xpaths, timings: &timings)
        var named = Set(page.scripts.compactMap(\.src))
        for src in scriptURLs where named.insert(src).inserted {
            page.scripts.append(Page.Script(src: src, excerpt: ""))
        }
        return page
    }

    /// The page part of an archive, decoded.
    private static func unpack(_ read: () throws(MHTMLProblem) -> MHTMLArchive) throws(InputError) -> PageInput {
        do throws(MHTMLProblem) {
            let archive = try read()
            guard let part = archive.pagePart, !part.headersCutShort else {
                if !archive.isClosed { throw MHTMLProblem.cutShortBeforePage }
                throw MHTMLProblem.noPagePart(parts: archive.parts.count)
            }
            let html = try archive.decodedBody(of: part)
            if html.isEmpty { throw MHTMLProblem.emptyPagePart }
            let location = part.location ?? archive.headers["snapshot-content-location"]
            return PageInput(html: Data(html), charset: part.contentType.parameters["charset"],
                             url: location.flatMap(absoluteURL),
                             scriptURLs: archive.parts.filter(\.isScript).compactMap(\.location).compactMap(absoluteURL))
        } catch {
            throw .badMHTML(error)
        }
    }

    /// The caller's charset and address where the archive gave none, or where the caller's beats it.
    private func with(charset callerCharset: String?, url callerURL: String?) -> PageInput {
        var input = self
        input.charset = charset ?? callerCharset
        input.url = callerURL ?? url
        return input
    }

    /// Only an absolute address can serve as a base or a script's address (Chrome names frames `cid:…`).
    private static func absoluteURL(_ s: String) -> String? {
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme != "cid" else { return nil }
        return s
    }
}
