import Foundation

/// Whether a request comes from the server's own page. A form on any other site can post to
/// 127.0.0.1:8080 too (a browser sends it, with no way for the other site to read the answer):
/// such posts are refused, so no other site can make ScamSift fetch addresses for it.
///
/// The server's own names are the `--host` it listens on and, when that is a loopback or
/// "every interface" address, `localhost`, `127.0.0.1` and `[::1]`; with every interface
/// (`0.0.0.0`, `::`), any IP literal too (a page reached by a name that resolves here, as in DNS
/// rebinding, has that name in its origin and stays refused). Always with the port it listens on.
struct OriginCheck: Sendable {
    let host: String
    let port: Int

    init(host: String, port: Int) {
        self.host = Self.normalHost(host)
        self.port = port
    }

    /// What a request carries that says where it comes from.
    struct Evidence: Sendable {
        /// `Host` (HTTP/1.1) or `:authority`.
        var authority: String?
        var origin: String?
        var referer: String?
        /// `Sec-Fetch-Site`, which a browser sets and a page cannot.
        var fetchSite: String?
    }

    /// Whether a form post may be taken. A request with neither `Origin` nor `Referer` (curl,
    /// a script, an old browser) is not a cross-site form post, unless `Sec-Fetch-Site` says so.
    /// `Origin: null` is what a browser sends for our own form when the page's
    /// `Referrer-Policy` is `no-referrer` (ours is): it is taken only with
    /// `Sec-Fetch-Site: same-origin`, since a sandboxed frame or another site with the same
    /// policy sends `null` too.
    func allowsPost(_ e: Evidence) -> Bool {
        if let authority = e.authority, !isOwn(authority: authority) { return false }
        if let site = e.fetchSite?.lowercased(), site != "same-origin", site != "none" { return false }
        if let origin = e.origin?.trimmingCharacters(in: .whitespaces) {
            if origin == "null" { return e.fetchSite?.lowercased() == "same-origin" }
            return isOwn(origin: origin)
        }
        if let referer = e.referer, !referer.isEmpty { return isOwn(origin: referer) }
        return true
    }

    /// `http://127.0.0.1:8080` (or a whole URL, as `Referer` is): its scheme is http and its
    /// host and port are ours.
    func isOwn(origin: String) -> Bool {
        guard let url = URL(string: origin), url.scheme?.lowercased() == "http", let host = url.host else { return false }
        return isOwn(host: host, port: url.port ?? 80)
    }

    /// `127.0.0.1:8080`, `localhost:8080`, `[::1]:8080`.
    func isOwn(authority: String) -> Bool {
        guard let url = URL(string: "http://\(authority)"), let host = url.host, url.path.isEmpty, url.user == nil else { return false }
        return isOwn(host: host, port: url.port ?? 80)
    }

    func isOwn(host rawHost: String, port: Int) -> Bool {
        guard port == self.port else { return false }
        let h = Self.normalHost(rawHost)
        if h == host { return true }
        let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]
        switch host {
        case "127.0.0.1", "::1", "localhost": return loopbackNames.contains(h)
        case "0.0.0.0", "::": return h == "localhost" || IPAddress(h) != nil
        default: return false
        }
    }

    /// Lower case, without the brackets of an IPv6 literal, without a trailing dot.
    static func normalHost(_ host: String) -> String {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h.hasSuffix(".") { h.removeLast() }
        if let ip = IPAddress(h) { return ip.description }
        return h
    }
}
