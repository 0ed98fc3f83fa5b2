import Foundation
import Hummingbird
import ScamSift
import ScamSiftFetch

/// Why a request got no report: what happened, with what a person needs to know, and the
/// 4xx status it is answered with. Each has a page in the reader's language (`message`).
enum ServeFailure: Error, Sendable, Equatable {
    /// 400: the form came without an address or a page.
    case empty
    /// 400: the address is not an http(s) address that can be opened.
    case badURL
    /// 400: a form or body that cannot be read (a broken multipart body).
    case badForm
    /// 403: the form was sent from another site's page.
    case crossOrigin
    /// 403: the address leads to this machine or a private network.
    case privateAddress(host: String, address: String)
    /// 404
    case notFound
    /// 405: the path exists, the method does not; `allowed` goes in the `Allow` header.
    case wrongMethod(allowed: String)
    /// 408: the request's body did not arrive within the deadline.
    case slowUpload(seconds: Int)
    /// 413: the body or the page is over the limit (bytes).
    case tooLarge(limit: Int)
    /// 415: the upload is not a web page (a PDF, an image…), or a form type we do not take.
    case notAPage(type: String?)
    /// 422: fetching the address failed; `status` is the site's HTTP status, if it answered.
    case couldNotFetch(FetchError.Kind, status: Int?)
    /// 422: the page could not be read or scored (a broken archive, a page over the parser's limits).
    case couldNotScore
    /// 422: the check did not finish within the deadline.
    case timedOut(seconds: Int)

    var status: HTTPResponse.Status {
        switch self {
        case .empty, .badURL, .badForm: .badRequest
        case .crossOrigin, .privateAddress: .forbidden
        case .notFound: .notFound
        case .wrongMethod: .methodNotAllowed
        case .slowUpload: .requestTimeout
        case .tooLarge: .contentTooLarge
        case .notAPage: .unsupportedMediaType
        case .couldNotFetch, .couldNotScore, .timedOut: .unprocessableContent
        }
    }

    /// What went wrong and what to do, in the reader's language.
    func message(_ l: Localizer) -> String {
        switch self {
        case .empty: l("serve.error.empty")
        case .badURL: l("serve.error.bad_url")
        case .badForm: l("serve.error.bad_form")
        case .crossOrigin: l("serve.error.cross_origin")
        case let .privateAddress(host, address): l("serve.error.private_address", ["host": host, "address": address])
        case .notFound: l("serve.error.not_found")
        case .wrongMethod: l("serve.error.method")
        case let .slowUpload(seconds): l("serve.error.slow_upload", ["seconds": l.number(seconds)])
        case let .tooLarge(limit): l("serve.error.too_large", ["size": Self.size(limit, l)])
        case let .notAPage(type): type.map { l("serve.error.not_a_page_type", ["type": $0]) } ?? l("serve.error.not_a_page")
        case let .couldNotFetch(kind, status): Self.fetchMessage(kind, status: status, l)
        case .couldNotScore: l("serve.error.score")
        case let .timedOut(seconds): l("serve.error.timeout", ["seconds": l.number(seconds)])
        }
    }

    /// The fetcher's error kinds, grouped as a person would tell them apart.
    static func fetchMessage(_ kind: FetchError.Kind, status: Int?, _ l: Localizer) -> String {
        switch kind {
        case .dns: l("serve.fetch.dns")
        case .connect, .connectionClosed: l("serve.fetch.connect")
        case .timeout: l("serve.fetch.timeout")
        case .tls: l("serve.fetch.tls")
        case .httpStatus: l("serve.fetch.status", ["status": status.map(l.number) ?? "?"])
        case .redirectLoop, .tooManyRedirects, .badRedirect: l("serve.fetch.redirects")
        case .notHTML: l("serve.fetch.not_html")
        case .invalidURL: l("serve.error.bad_url")
        default: l("serve.fetch.other")
        }
    }

    /// 5242880 → "5 MB", 262144 → "256 KB" (in the reader's digits).
    static func size(_ bytes: Int, _ l: Localizer) -> String {
        let mb = Double(bytes) / (1024 * 1024)
        guard mb >= 1 else { return l("serve.kilobytes", ["n": l.number(Int((Double(bytes) / 1024).rounded()))]) }
        let text = mb == mb.rounded() ? String(Int(mb)) : String(format: "%.1f", mb)
        return l("serve.megabytes", ["n": l.digits(text)])
    }
}
