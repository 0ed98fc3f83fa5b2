import Foundation
@testable import ScamSiftServe
import Testing

/// Which addresses a pasted URL may lead to, and which origins are the server's own.
@Suite struct AddressPolicyTests {
    @Test(arguments: [
        ("127.0.0.1", NonPublicRange.loopback), ("127.255.0.9", .loopback), ("10.0.0.1", .privateNetwork),
        ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("192.168.1.1", .privateNetwork),
        ("169.254.169.254", .linkLocal), ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("100.64.0.1", .sharedNetwork),
        ("192.0.2.1", .documentation), ("198.18.0.1", .reserved), ("224.0.0.1", .multicast), ("255.255.255.255", .reserved),
        ("::1", .loopback), ("::", .unspecified), ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal),
        ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("ff02::1", .multicast), ("2001:db8::1", .documentation),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:10.0.0.1", .privateNetwork), ("64:ff9b::a9fe:a9fe", .linkLocal),
        ("2002:c0a8:0101::1", .privateNetwork), ("2001::1", .reserved), ("::127.0.0.1", .reserved),
    ])
    func nonPublicAddressesAreNamed(_ literal: String, _ range: NonPublicRange) throws {
        let address = try #require(IPAddress(literal))
        #expect(NonPublicRange.of(address) == range)
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.128.0.1", "169.253.0.1", "11.0.0.1",
                      "2606:4700:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8", "2002:0808:0808::1", "[2001:4860::8888]"])
    func publicAddressesPass(_ literal: String) throws {
        let address = try #require(IPAddress(literal))
        #expect(NonPublicRange.of(address) == nil)
    }

    @Test func literalsAreParsedAndNamesAreNot() {
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("[::1]")?.description == "::1")
        #expect(IPAddress("0:0:0:0:0:0:0:1") == IPAddress("::1"))
        #expect(IPAddress("192.168.001.1") == nil)  // inet_pton: no leading zeros, no octal surprises
    }

    @Test func everyAddressAHostResolvesToIsChecked() async {
        // localhost resolves to loopback only; a literal needs no resolver.
        if case let .failure(.refused(r)) = await AddressPolicy.publicOnly.check(host: "localhost") {
            #expect(r.range == .loopback && r.host == "localhost")
        } else {
            Issue.record("localhost was not refused")
        }
        if case let .failure(.refused(r)) = await AddressPolicy.publicOnly.check(host: "[::1]") {
            #expect(r.address == IPAddress("::1"))
        } else {
            Issue.record("[::1] was not refused")
        }
        #expect(await AddressPolicy.any.check(host: "127.0.0.1") == .success([IPAddress("127.0.0.1")!]))
        // A name that does not resolve is a DNS failure, not a refusal.
        if case .failure(.unresolved) = await AddressPolicy.publicOnly.check(host: "no-such-host.invalid") {} else {
            Issue.record("an unresolvable name was not reported as such")
        }
    }

    @Test func theServersOwnOrigins() {
        let local = OriginCheck(host: "127.0.0.1", port: 8080)
        #expect(local.isOwn(origin: "http://127.0.0.1:8080"))
        #expect(local.isOwn(origin: "http://localhost:8080"))
        #expect(local.isOwn(origin: "http://[::1]:8080"))
        #expect(local.isOwn(origin: "http://127.0.0.1:8080/?lang=bn"))
        #expect(!local.isOwn(origin: "https://127.0.0.1:8080"))
        #expect(!local.isOwn(origin: "http://127.0.0.1:8081"))
        #expect(!local.isOwn(origin: "http://127.0.0.1"))
        #expect(!local.isOwn(origin: "http://evil.example:8080"))
        #expect(!local.isOwn(origin: "null"))
        #expect(local.isOwn(authority: "localhost:8080"))
        #expect(!local.isOwn(authority: "evil.example:8080"))
        #expect(!local.isOwn(authority: "127.0.0.1:8080/x"))
        let everywhere = OriginCheck(host: "0.0.0.0", port: 80)
        #expect(everywhere.isOwn(origin: "http://192.168.1.20"))
        #expect(everywhere.isOwn(origin: "http://[fe80::1]"))
        #expect(!everywhere.isOwn(origin: "http://rebound.example"))
        let named = OriginCheck(host: "scamsift.lan", port: 8080)
        #expect(named.isOwn(origin: "http://SCAMSIFT.lan:8080"))
        #expect(!named.isOwn(origin: "http://127.0.0.1:8080"))
    }
}
