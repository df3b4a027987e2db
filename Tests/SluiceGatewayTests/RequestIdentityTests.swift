import Crypto
import Foundation
import SluiceCore
import SluiceCrypto
import Testing
import X509

@testable import SluiceGateway

/// What a request says of itself before any route runs: the record format its
/// `Content-Type` names, and the identity of the client certificate on its connection.
@Suite("Request identity and format") struct RequestIdentityTests {
    @Test(arguments: [
        ("application/json", RecordFormat.json), ("Application/JSON; charset=utf-8", .json), ("  text/csv ;header=present", .csv),
        ("TEXT/CSV", .csv), ("application/x-ndjson", .ndjson), ("application/jsonl\t", .ndjson), ("application/ndjson;", .ndjson),
    ])
    func mediaTypesNameTheirFormat(header: String, expected: RecordFormat) throws {
        #expect(try RecordFormat(contentType: header) == expected)
    }

    @Test(arguments: ["", "application/xml", "application /json", "text/csvx", "json", ";application/json"])
    func otherMediaTypesAre415(header: String) {
        #expect(SubmissionIntakeTests.kind { _ = try RecordFormat(contentType: header) } == .unsupportedMediaType)
    }

    static func certificates() throws -> (client: [UInt8], server: [UInt8], clientCertificate: Certificate) {
        let caKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let ca = try CertificateIssuer.selfSigned(subject: try DistinguishedName { CommonName("test CA") }, key: caKey, validFor: 1)
        let leafKey = Certificate.PrivateKey(P256.Signing.PrivateKey()).publicKey
        let client = try ca.issue(subject: try DistinguishedName { CommonName("client") }, publicKey: leafKey, profile: .tlsClient, validFor: 1)
        let server = try ca.issue(
            subject: try DistinguishedName { CommonName("localhost") }, publicKey: leafKey,
            profile: .tlsServer(dnsNames: ["localhost"], ipAddresses: []), validFor: 1)
        func der(_ certificate: Certificate) throws -> [UInt8] { try certificate.serializeAsPEM().derBytes }
        return (try der(client), try der(server), client)
    }

    @Test func aCertificatesIdentityIsItsFingerprintAndUse() throws {
        let (client, server, clientCertificate) = try Self.certificates()
        let cache = PresentedCertificateCache()
        let first = try #require(cache.identity(derEncoded: client))
        #expect(first.fingerprint == (try CertificateFingerprint(clientCertificate).description))
        #expect(first.allowsClientAuthentication)
        // Remembered: the same answer again, and another certificate gets its own.
        let again = try #require(cache.identity(derEncoded: client))
        #expect(again.fingerprint == first.fingerprint && again.allowsClientAuthentication)
        let serverIdentity = try #require(cache.identity(derEncoded: server))
        #expect(!serverIdentity.allowsClientAuthentication)
        #expect(serverIdentity.fingerprint != first.fingerprint)
    }

    @Test func bytesThatAreNotACertificateHaveNoIdentity() throws {
        let (client, _, _) = try Self.certificates()
        let cache = PresentedCertificateCache()
        #expect(cache.identity(derEncoded: []) == nil)
        #expect(cache.identity(derEncoded: Array(client.dropLast())) == nil)
        var flipped = client
        flipped[1] ^= 0xFF
        #expect(cache.identity(derEncoded: flipped) == nil)
        // A failed parse is not remembered as anything: the real certificate still works.
        #expect(cache.identity(derEncoded: client) != nil)
    }
}
