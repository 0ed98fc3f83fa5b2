import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throwaway certificate authority, made in memory when a test starts (a P-256 key, never
/// written anywhere but a temporary `--ca-file`), and the server certificates it signs.
public struct TestAuthority: Sendable {
    public let certificate: Certificate
    private let key: P256.Signing.PrivateKey

    public init(name: String = "ScamSift throwaway test CA", now: Date = Date()) throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86400, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        self.key = key
    }

    /// The authority's certificate as PEM, for `--ca-file`.
    public func pem() throws -> String { try certificate.serializeAsPEM().pemString }

    /// A server certificate signed by this authority.
    /// - Parameter names: DNS names, or IPv4 addresses such as `127.0.0.1`.
    public func issue(names: [String], notBefore: Date = Date() - 3600, notAfter: Date = Date() + 86400) throws -> TestIdentity {
        let serverKey = P256.Signing.PrivateKey()
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: certificate.subject,
            subject: try DistinguishedName { CommonName(names.first ?? "server") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Self.serverExtensions(names),
            issuerPrivateKey: .init(key))
        return TestIdentity(chain: [leaf], key: serverKey)
    }

    /// A certificate that vouches for itself: no authority anyone trusts signed it.
    public static func selfSigned(names: [String]) throws -> TestIdentity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(names.first ?? "server") }
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date() - 3600, notValidAfter: Date() + 86400, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: try serverExtensions(names), issuerPrivateKey: .init(key))
        return TestIdentity(chain: [cert], key: key)
    }

    static func serverExtensions(_ names: [String]) throws -> Certificate.Extensions {
        let general = names.map { name -> GeneralName in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            let bytes = parts.compactMap { UInt8($0) }
            if parts.count == 4, bytes.count == 4 {
                return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
            }
            return .dnsName(name)
        }
        return try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(general)
        }
    }
}

/// A server's certificate chain and key.
public struct TestIdentity: Sendable {
    public let chain: [Certificate]
    let key: P256.Signing.PrivateKey

    /// A TLS context for `FaultServer.start(tls:)`.
    public func serverContext() throws -> NIOSSLContext {
        let certificates = try chain.map { cert -> NIOSSLCertificateSource in
            var serializer = DER.Serializer()
            try serializer.serialize(cert)
            return .certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
        }
        let privateKey = try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: certificates, privateKey: .privateKey(privateKey))
        return try NIOSSLContext(configuration: tls)
    }
}
