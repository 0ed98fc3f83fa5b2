import Foundation
import ScamSift

/// What a `POST /check` asks for: an address to fetch, or a page sent with the request.
enum CheckRequest: Sendable, Equatable {
    case url(String)
    case page(UploadedPage)

    /// A page sent as a form's file field, or as the whole body.
    struct UploadedPage: Sendable, Equatable {
        var bytes: Data
        /// The file's name (a form field's `filename`), shown on the report; nil for a raw body.
        var name: String?
        /// The charset a raw body's `Content-Type` names.
        var charset: String?
        /// A raw body's `Content-Type` when it says the body is an archive whose boundary it
        /// gives (`multipart/related; boundary=…`); nil lets the bytes tell what they are.
        var archiveContentType: String?
    }

    /// The form's field names (ServePages writes them).
    static let urlField = "url"
    static let fileField = "page"

    /// Reads a request body by its `Content-Type`:
    /// - `multipart/form-data` (the upload form; its `url` field works too),
    /// - `application/x-www-form-urlencoded` (the address form),
    /// - a page itself: HTML, XHTML, an MHTML archive, or no type at all (the bytes are sniffed).
    /// A file field wins over an address when a form has both.
    static func read(body: Data, contentType: String?, pageLimit: Int) throws(ServeFailure) -> CheckRequest {
        let type = MIMEContentType(contentType ?? "")
        switch type.mediaType {
        case "multipart/form-data":
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else { throw .badForm }
            let fields = try FormData.multipart(body, boundary: boundary)
            if let file = fields.first(where: { $0.name == fileField && $0.filename != nil && !$0.value.isEmpty }) {
                guard file.value.count <= pageLimit else { throw .tooLarge(limit: pageLimit) }
                return .page(UploadedPage(bytes: file.value, name: file.filename))
            }
            return try address(fields.first { $0.name == urlField }.map { String(decoding: $0.value, as: UTF8.self) })
        case "application/x-www-form-urlencoded":
            return try address(FormData.urlEncoded(body)[urlField])
        case "", "text/html", "application/xhtml+xml", "multipart/related", "application/x-mimearchive", "message/rfc822",
             "application/octet-stream":
            guard !body.isEmpty else { throw .empty }
            guard body.count <= pageLimit else { throw .tooLarge(limit: pageLimit) }
            let archive = type.mediaType == "multipart/related" && type.parameters["boundary"] != nil ? contentType : nil
            return .page(UploadedPage(bytes: body, name: nil, charset: type.parameters["charset"], archiveContentType: archive))
        default:
            throw .notAPage(type: type.mediaType)
        }
    }

    static func address(_ value: String?) throws(ServeFailure) -> CheckRequest {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
        return .url(text)
    }
}

/// The two ways a browser sends a form.
enum FormData {
    struct Field: Sendable, Equatable {
        var name: String
        var filename: String?
        var value: Data
    }

    /// `multipart/form-data`: split on the boundary like an MHTML archive (same MIME framing);
    /// each part's `Content-Disposition` names the field. A body whose last part is never closed
    /// was cut short and is refused.
    static func multipart(_ body: Data, boundary: String) throws(ServeFailure) -> [Field] {
        let bytes = [UInt8](body)
        let archive: MHTMLArchive
        do {
            archive = try MHTMLReader.read(bytes, contentType: "multipart/form-data; boundary=\"\(boundary)\"")
        } catch {
            throw .badForm
        }
        guard archive.isClosed else { throw .badForm }
        return archive.parts.compactMap { part in
            guard let disposition = part.headers["content-disposition"] else { return nil }
            let d = MIMEContentType(disposition)
            guard d.mediaType == "form-data", let name = d.parameters["name"] else { return nil }
            return Field(name: name, filename: d.parameters["filename"], value: Data(bytes[part.body]))
        }
    }

    /// `a=1&b=x+y%21` → ["a": "1", "b": "x y!"]; the first of a name wins.
    static func urlEncoded(_ body: Data) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            let name = decode(kv[0])
            if out[name] == nil { out[name] = kv.count > 1 ? decode(kv[1]) : "" }
        }
        return out
    }
}
