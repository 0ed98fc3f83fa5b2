import Foundation
import NIOPosix
import ScamSiftFetch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes (4 or 16, network order).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// A literal such as `127.0.0.1`, `::1` or `[fe80::1]`; nil for anything else (names included).
    public init?(_ literal: String) {
        var text = literal
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    public var isV4: Bool { bytes.count == 4 }

    public var description: String {
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isV4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &out, socklen_t(out.count)) != nil }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        // inet_ntop wrote a NUL-terminated string into `out`.
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the first `bits` bits equal those of `prefix` (given as bytes, zero-padded).
    func starts(with prefix: [UInt8], bits: Int) -> Bool {
        for bit in 0..<bits {
            let byte = bit / 8, mask = UInt8(0x80) >> UInt8(bit % 8)
            if bytes[byte] & mask != (byte < prefix.count ? prefix[byte] : 0) & mask { return false }
        }
        return true
    }
}

/// Where an address is, when it is not on the public internet: what a page served to anyone
/// must not make ScamSift open (the machine itself, the local network, cloud metadata services).
public enum NonPublicRange: String, Sendable {
    case unspecified, loopback, privateNetwork = "private", sharedNetwork = "shared", linkLocal = "link-local"
    case uniqueLocal = "unique-local", multicast, documentation, reserved

    /// The range an address falls in, or nil when it is a public (globally routable) address.
    /// IPv4 follows the IANA special-purpose registry's ranges that are not globally reachable;
    /// IPv6 is public only inside 2000::/3, and addresses that carry an IPv4 address (mapped,
    /// NAT64, 6to4) are judged by that address.
    public static func of(_ address: IPAddress) -> NonPublicRange? {
        address.isV4 ? ofV4(address.bytes) : ofV6(address)
    }

    static let v4Ranges: [(prefix: [UInt8], bits: Int, range: NonPublicRange)] = [
        ([0], 8, .unspecified),            // "this network", 0.0.0.0 included
        ([10], 8, .privateNetwork),
        ([100, 64], 10, .sharedNetwork),   // carrier-grade NAT
        ([127], 8, .loopback),
        ([169, 254], 16, .linkLocal),      // cloud metadata services live here
        ([172, 16], 12, .privateNetwork),
        ([192, 0, 0], 24, .reserved),      // IETF protocol assignments
        ([192, 0, 2], 24, .documentation),
        ([192, 88, 99], 24, .reserved),    // 6to4 relays
        ([192, 168], 16, .privateNetwork),
        ([198, 18], 15, .reserved),        // benchmarking
        ([198, 51, 100], 24, .documentation),
        ([203, 0, 113], 24, .documentation),
        ([224], 4, .multicast),
        ([240], 4, .reserved),             // 255.255.255.255 included
    ]

    static func ofV4(_ bytes: [UInt8]) -> NonPublicRange? {
        guard let address = IPAddress(bytes: bytes) else { return .reserved }
        return v4Ranges.first { address.starts(with: $0.prefix, bits: $0.bits) }?.range
    }

    static func ofV6(_ a: IPAddress) -> NonPublicRange? {
        let b = a.bytes
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) reach that IPv4 address.
        if a.starts(with: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF], bits: 96)
            || a.starts(with: [0, 0x64, 0xFF, 0x9B], bits: 96) {
            return ofV4(Array(b[12..<16]))
        }
        if a.starts(with: [0x20, 0x02], bits: 16) { return ofV4(Array(b[2..<6])) }  // 6to4
        if a.starts(with: [0xFC], bits: 7) { return .uniqueLocal }                    // fc00::/7
        if a.starts(with: [0xFE, 0x80], bits: 10) { return .linkLocal }              // fe80::/10
        if a.starts(with: [0xFE, 0xC0], bits: 10) { return .privateNetwork }         // old site-local
        if a.starts(with: [0xFF], bits: 8) { return .multicast }
        guard a.starts(with: [0x20], bits: 3) else { return .reserved }              // outside 2000::/3
        if a.starts(with: [0x20, 0x01, 0x0D, 0xB8], bits: 32) { return .documentation }
        if a.starts(with: [0x20, 0x01], bits: 23) { return .reserved }              // Teredo and other IETF uses
        return nil
    }
}

/// Which addresses `scamsift serve` may fetch from: public ones only, unless `--allow-private`.
public struct AddressPolicy: Sendable {
    /// Whether an address may be fetched from; nil = yes, else the range that forbids it.
    public let judge: @Sendable (IPAddress) -> NonPublicRange?

    public init(judge: @escaping @Sendable (IPAddress) -> NonPublicRange?) {
        self.judge = judge
    }

    public static let publicOnly = AddressPolicy(judge: NonPublicRange.of)
    public static let any = AddressPolicy { _ in nil }

    /// What a refused host led to: the first address that is not allowed, and its range.
    public struct Refusal: Sendable, Equatable, Error {
        public var host: String
        public var address: IPAddress
        public var range: NonPublicRange
    }

    /// Resolves `host` (a name or a literal) as the fetcher's resolver will, and checks every
    /// address it gives: one private address among public ones refuses the host, since the
    /// connection may go to any of them.
    ///
    /// DNS rebinding: the HTTP client resolves the name again when it connects, and a name server
    /// that answers differently the second time (a TTL of 0) could still lead it to a private
    /// address. The check narrows that to a name that changes its answer within milliseconds; a
    /// fetcher that connects to the checked address itself would close it.
    public func check(host: String) async -> Result<[IPAddress], CheckFailure> {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses: [IPAddress]
        if let literal = IPAddress(bare) {
            addresses = [literal]
        } else {
            do {
                addresses = try await Self.resolve(bare)
            } catch {
                return .failure(.unresolved(host: host, why: (error as? ResolveError)?.why ?? "\(error)"))
            }
        }
        for address in addresses {
            if let range = judge(address) { return .failure(.refused(Refusal(host: host, address: address, range: range))) }
        }
        return .success(addresses)
    }

    public enum CheckFailure: Error, Sendable, Equatable {
        case refused(Refusal)
        case unresolved(host: String, why: String)
    }

    /// Turns the policy into a fetcher hop check: every URL, the first and each redirect's.
    /// `onRefusal` hears which host and address were refused (the fetch error says it in words).
    public func hopCheck(onRefusal: @escaping @Sendable (Refusal) -> Void = { _ in }) -> Fetcher.HopCheck {
        { url in
            guard let host = url.host, !host.isEmpty else { return FetchError(.invalidURL, "the URL has no host") }
            switch await self.check(host: host) {
            case .success: return nil
            case let .failure(.unresolved(_, why)): return FetchError(.dns, "\(host): \(why)")
            case let .failure(.refused(r)):
                onRefusal(r)
                return FetchError(.blockedAddress, "\(r.host) resolves to \(r.address), a \(r.range.rawValue) address")
            }
        }
    }

    struct ResolveError: Error { var why: String }

    /// `getaddrinfo` on a thread of NIO's pool (it blocks), as SwiftNIO's own resolver calls it.
    static func resolve(_ host: String) async throws -> [IPAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
            #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #endif
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &list)
            guard status == 0, let first = list else { throw ResolveError(why: String(cString: gai_strerror(status))) }
            defer { freeaddrinfo(first) }
            var out: [IPAddress] = []
            var node: UnsafeMutablePointer<addrinfo>? = first
            while let n = node {
                if let sa = n.pointee.ai_addr {
                    switch Int32(sa.pointee.sa_family) {
                    case AF_INET:
                        var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        if let ip = IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }) { out.append(ip) }
                    case AF_INET6:
                        var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        if let ip = IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }) { out.append(ip) }
                    default: break
                    }
                }
                node = n.pointee.ai_next
            }
            if out.isEmpty { throw ResolveError(why: "no address") }
            return out
        }
    }
}
