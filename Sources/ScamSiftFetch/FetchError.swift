import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ScamSift

/// Why a URL produced no score: a kind a program can count, and a message a person can read.
public struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case invalidURL = "invalid-url"
        case dns
        case connect
        case timeout
        case tls
        case connectionClosed = "connection-closed"
        case httpStatus = "http-status"
        case redirectLoop = "redirect-loop"
        case tooManyRedirects = "too-many-redirects"
        case badRedirect = "bad-redirect"
        case notHTML = "not-html"
        case decompressionBomb = "decompression-bomb"
        case badEncoding = "bad-encoding"
        case protocolError = "http-protocol"
        case unparseable
        /// A local page (`batch` lists may name files, like `score`'s arguments).
        case notFound = "not-found"
        case unreadable
        case isFolder = "is-folder"
        case cancelled
        /// Refused before the request by a `Fetcher.HopCheck` (`scamsift serve`: a private address).
        case blockedAddress = "blocked-address"
        case other
    }

    public var kind: Kind
    public var message: String
    /// For `http-status`: when the server asked us to come back (seconds), if it said.
    public var retryAfter: Double?

    /// The message can quote the server (a reason phrase, a Location, a content type): it is
    /// cleaned of control characters and escape sequences here, once, for every output.
    public init(_ kind: Kind, _ message: String, retryAfter: Double? = nil) {
        self.kind = kind
        self.message = TerminalSafe.clean(message)
        self.retryAfter = retryAfter
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    /// Whether another attempt may succeed: the connection failed or was cut, or the server
    /// said 5xx or 429. DNS failures, TLS failures and the total deadline are final.
    public var isRetryable: Bool {
        switch kind {
        case .connect, .connectionClosed: return true
        case .httpStatus: return retryableStatus
        default: return false
        }
    }

    var retryableStatus = false

    /// Turns whatever AsyncHTTPClient or SwiftNIO threw into a kind and a message.
    public static func classify(_ error: Error) -> FetchError {
        if let e = error as? FetchError { return e }
        if error is CancellationError { return FetchError(.cancelled, "cancelled") }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return FetchError(.connect, "the connection was not established in time")
            case .readTimeout: return FetchError(.timeout, "the server sent nothing for longer than the read timeout")
            case .deadlineExceeded: return FetchError(.timeout, "no response before the deadline")
            case .remoteConnectionClosed: return FetchError(.connectionClosed, "the server closed the connection before the response was complete")
            case .tlsHandshakeTimeout: return FetchError(.tls, "the TLS handshake did not finish in time")
            case .getConnectionFromPoolTimeout: return FetchError(.connect, "no connection to the host became free in time")
            case .cancelled: return FetchError(.cancelled, "cancelled")
            case .invalidURL, .emptyHost, .emptyScheme: return FetchError(.invalidURL, "the URL is not valid (\(e))")
            case .bodyLengthMismatch: return FetchError(.connectionClosed, "the body ended before its announced length")
            default:
                if "\(e)".contains("unsupportedScheme") { return FetchError(.invalidURL, "unsupported scheme (\(e))") }
                return FetchError(.protocolError, "\(e)")
            }
        }
        if let failure = CertificateCheck.failure(of: error) {
            // The Fetcher replaces this with what is wrong with the certificate, read from it.
            switch failure {
            case .chain: return FetchError(.tls, "the server's certificate was refused")
            case .hostName: return FetchError(.tls, "the certificate does not name the host")
            }
        }
        if let e = error as? NIOSSLError {
            switch e {
            case .uncleanShutdown:
                return FetchError(.connectionClosed, "the server closed the TLS connection without closing TLS first")
            case let .handshakeFailed(reason):
                return FetchError(.tls, "the TLS handshake failed (\(Self.short("\(reason)")))")
            default:
                return FetchError(.tls, "TLS failed (\(e))")
            }
        }
        if let e = error as? NIOSSLExtraError {
            return FetchError(.tls, "TLS failed (\(Self.short("\(e)")))")
        }
        if let e = error as? NIOConnectionError {
            if e.connectionErrors.isEmpty, e.dnsAError != nil || e.dnsAAAAError != nil {
                return FetchError(.dns, "the host name did not resolve (\(e.host))")
            }
            let first = e.connectionErrors.first.map { "\($0.error)" } ?? "\(e)"
            return FetchError(.connect, "could not connect to \(e.host):\(e.port) (\(Self.short(first)))")
        }
        if let e = error as? SocketAddressError {
            if case let .unknown(host, _) = e { return FetchError(.dns, "the host name did not resolve (\(host))") }
            return FetchError(.dns, "\(e)")
        }
        if let e = error as? ChannelError {
            switch e {
            case .connectTimeout: return FetchError(.connect, "the connection was not established in time")
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return FetchError(.connectionClosed, "the connection was closed (\(e))")
            default: return FetchError(.connect, "\(e)")
            }
        }
        if let e = error as? HTTPParserError {
            if e == .invalidEOFState {
                return FetchError(.connectionClosed, "the server closed the connection in the middle of the response")
            }
            return FetchError(.protocolError, "the server's response is not valid HTTP (\(e))")
        }
        if let e = error as? IOError {
            switch e.errnoCode {
            case ECONNREFUSED: return FetchError(.connect, "connection refused")
            case ECONNRESET, EPIPE: return FetchError(.connectionClosed, "the connection was reset by the server")
            case ENETUNREACH, EHOSTUNREACH: return FetchError(.connect, "the host is unreachable")
            default: return FetchError(.connect, Self.short("\(e)"))
            }
        }
        // Types from modules we do not import (NIOHTTPCompression, NIOHTTP1's parser).
        let typeName = String(reflecting: type(of: error))
        let text = "\(error)"
        if typeName.contains("Decompression") {
            if text.contains("limit") {
                return FetchError(.decompressionBomb, "the compressed body inflates more than the allowed ratio (a decompression bomb); refused")
            }
            return FetchError(.badEncoding, "the compressed body could not be decoded (\(Self.short(text)))")
        }
        if typeName.contains("SSL") || typeName.contains("TLS") {
            return FetchError(.tls, "TLS failed (\(Self.short(text)))")
        }
        if typeName.contains("HTTPParserError") {
            return FetchError(.protocolError, "the server's response is not valid HTTP (\(Self.short(text)))")
        }
        if text.contains("ECONNREFUSED") || text.contains("Connection refused") {
            return FetchError(.connect, "connection refused")
        }
        return FetchError(.other, "\(typeName): \(Self.short(text))")
    }

    static func short(_ s: String) -> String {
        let one = s.replacingOccurrences(of: "\n", with: " ")
        return one.count > 200 ? String(one.prefix(200)) + "…" : one
    }
}
