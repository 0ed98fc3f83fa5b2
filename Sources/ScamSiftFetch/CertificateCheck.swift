import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// Says why a server's certificate was refused. BoringSSL only says "CERTIFICATE_VERIFY_FAILED",
/// so after such a failure we connect once more, take the chain the server presents (sending
/// nothing, trusting nothing) and read it: expired, not yet valid, for other names, self-signed,
/// or issued by an authority we do not trust.
enum CertificateCheck {
    enum Failure {
        /// BoringSSL refused the chain (expired, untrusted…).
        case chain
        /// The chain was trusted but does not name the host.
        case hostName
    }

    /// Whether an error is a refused certificate, and which way.
    static func failure(of error: Error) -> Failure? {
        if let e = error as? NIOSSLExtraError, e == .failedToValidateHostname { return .hostName }
        if let e = error as? NIOSSLError, case let .handshakeFailed(reason) = e, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
            return .chain
        }
        return nil
    }

    /// The message for a certificate failure on `host:port`; the reason read from the chain when
    /// it can be had within `timeout`, a plainer message otherwise.
    static func explain(_ failure: Failure, host: String, port: Int, timeout: TimeAmount, group: EventLoopGroup) async -> String {
        let chain = await presentedChain(host: host, port: port, timeout: timeout, group: group)
        return explain(failure, host: host, chain: chain, now: Date())
    }

    /// The reading of a chain (leaf first), on its own so that tests can give it any chain.
    static func explain(_ failure: Failure, host: String, chain: [Certificate], now: Date) -> String {
        guard let leaf = chain.first else {
            switch failure {
            case .hostName: return "the certificate is not valid for \(host)"
            case .chain: return "the certificate of \(host) could not be verified"
            }
        }
        if failure == .hostName {
            let names = Self.names(leaf)
            let list = names.isEmpty ? "no host name" : names.prefix(5).joined(separator: ", ") + (names.count > 5 ? "…" : "")
            return "the certificate is for \(list), not \(host)"
        }
        for (index, cert) in chain.enumerated() {
            let whose = index == 0 ? "the certificate of \(host)" : "the certificate of \(cert.subject) in its chain"
            if cert.notValidAfter < now {
                return "\(whose) expired on \(Self.day(cert.notValidAfter))"
            }
            if cert.notValidBefore > now {
                return "\(whose) is not valid before \(Self.day(cert.notValidBefore))"
            }
        }
        if leaf.issuer == leaf.subject {
            return "the certificate of \(host) is self-signed: no trusted authority vouches for it (--ca-file adds one)"
        }
        let top = chain.last ?? leaf
        return "the certificate of \(host) is not trusted: its chain ends at \(top.issuer), which is not among the trusted roots (--ca-file adds one)"
    }

    /// DNS names and IP addresses the certificate is for (the common name when it has none).
    static func names(_ cert: Certificate) -> [String] {
        var names: [String] = []
        if let sans = try? cert.extensions.subjectAlternativeNames {
            for name in sans {
                switch name {
                case let .dnsName(dns): names.append(dns)
                case let .ipAddress(ip): names.append(Self.ipText(Array(ip.bytes)))
                default: break
                }
            }
        }
        if names.isEmpty {
            for rdn in cert.subject {
                for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                    names.append("\(attribute.value)")
                }
            }
        }
        return names
    }

    static func ipText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        if bytes.count == 16 {
            return stride(from: 0, to: 16, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        return bytes.map { String($0, radix: 16) }.joined()
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    /// Connects and takes the chain the server presents, refusing it so that nothing is sent.
    static func presentedChain(host: String, port: Int, timeout: TimeAmount, group: EventLoopGroup) async -> [Certificate] {
        // Verification stays on so that the callback below is called (it replaces the checks); it
        // needs no roots, so none are loaded.
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([])
        guard let context = try? NIOSSLContext(configuration: tls) else { return [] }
        let eventLoop = group.next()
        let captured = eventLoop.makePromise(of: [NIOSSLCertificate].self)
        // SNI takes a name, never an address.
        let sni = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: sni,
                        customVerificationCallback: { (certificates: [NIOSSLCertificate], verdict: EventLoopPromise<NIOSSLVerificationResult>) in
                            captured.succeed(certificates)
                            verdict.succeed(NIOSSLVerificationResult.failed)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let giveUp = eventLoop.scheduleTask(in: timeout) { captured.fail(ChannelError.connectTimeout(timeout)) }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            channel.closeFuture.whenComplete { _ in captured.fail(ChannelError.alreadyClosed) }
            let certificates = try await captured.futureResult.get()
            giveUp.cancel()
            channel.close(promise: nil)
            var chain: [Certificate] = []
            for certificate in certificates {
                guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { break }
                chain.append(parsed)
            }
            return chain
        } catch {
            giveUp.cancel()
            captured.fail(error)
            return []
        }
    }
}
