import Foundation
import ScamSift
import ScamSiftFetch

/// How `scamsift serve` runs: where it listens, what it may fetch, and its limits.
public struct ServeSettings: Sendable {
    /// The address to listen on. The default, 127.0.0.1, is this machine only.
    public var host = "127.0.0.1"
    /// 0 asks the system for any free port (the address printed says which).
    public var port = 8080
    /// The fetcher's limits (timeouts, `maxBytes`, redirects, retries), as for `score URL`.
    public var fetch = FetchConfig()
    /// Which addresses a pasted URL may lead to (each redirect's too).
    public var addresses = AddressPolicy.publicOnly
    /// The language of a page when neither `?lang=` nor the browser's `Accept-Language` names
    /// one ScamSift speaks.
    public var language = "en"
    public var digits = DigitStyle.latin
    /// Whose helplines and agencies a report's advice names.
    public var region = Region.bangladesh
    /// Seconds a request may take in all: receiving the body, fetching, scoring.
    public var requestTimeout: Double = 60
    /// Seconds an open connection may sit idle before it is closed.
    public var idleTimeout: Double = 30

    public init() {}

    /// The largest page taken: an upload's file, or a raw body. The same as the fetcher's
    /// `--max-bytes`, so an uploaded page and a fetched one are held to one limit.
    public var pageLimit: Int { fetch.maxBytes }

    /// The largest request body: the page plus room for a form's own fields and boundaries.
    public var bodyLimit: Int { fetch.maxBytes + 64 * 1024 }
}
