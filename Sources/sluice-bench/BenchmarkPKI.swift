import Crypto
import Foundation
import SluiceCrypto
import X509

/// Keys and certificates made up for a benchmark run: a CA, the gateway's signing
/// certificate and a consumer's certificate with a P-256 key to seal to, as
/// `sluice init` makes them, but in memory.
struct BenchmarkPKI {
    let ca: CertificateIssuer
    let signer: SigningKey
    let gateway: Certificate
    let consumerKey: P256.KeyAgreement.PrivateKey
    let consumer: Certificate

    init() throws {
        signer = SigningKey.p256(P256.Signing.PrivateKey())
        ca = try CertificateIssuer.selfSigned(
            subject: try DistinguishedName { CommonName("bench CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 2)
        gateway = try ca.issue(
            subject: try DistinguishedName { CommonName("gateway") }, publicKey: signer.publicKey, profile: .documentSigning, validFor: 2)
        consumerKey = P256.KeyAgreement.PrivateKey()
        consumer = try ca.issue(
            subject: try DistinguishedName { CommonName("consumer") },
            publicKey: Certificate.PublicKey(try P256.Signing.PublicKey(rawRepresentation: consumerKey.publicKey.rawRepresentation)),
            profile: .tlsClient, validFor: 2)
    }
}
