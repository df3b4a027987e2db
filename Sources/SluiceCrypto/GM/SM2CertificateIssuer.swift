import CGMCrypto
import Foundation

/// Issues SM2 certificates signed SM2-with-SM3: the development CA of `sluice init --gm`
/// and the certificates it gives the gateway and the agencies.
public struct SM2CertificateIssuer: Sendable {
    /// What a certificate is for; each maps to its key usage and extended key usage.
    public enum Profile: Sendable {
        case authority
        /// The gateway's signing identity (envelopes and receipts): Sluice's signing profile
        /// uses the document-signing usage, as the international one does.
        case gatewaySigning
        /// An agency's key that packages are sealed to (SM2 encryption of the content key).
        case encryption

        var keyUsage: String {
            switch self {
            case .authority: return "critical,keyCertSign,cRLSign"
            case .gatewaySigning: return "critical,digitalSignature,nonRepudiation"
            case .encryption: return "critical,keyEncipherment,dataEncipherment,keyAgreement"
            }
        }

        var extendedKeyUsage: String? {
            switch self {
            case .authority, .encryption: return nil
            case .gatewaySigning: return SM2CertificateIssuer.documentSigning
            }
        }
    }

    /// The document-signing usage (RFC 9336) that marks the gateway's signing certificate
    /// in both profiles.
    public static let documentSigning = "1.3.6.1.5.5.7.3.36"

    /// The issuing certificate and its key; nil certificate for a self-signed authority.
    public let certificate: SM2Certificate?
    public let key: SM2Key

    public init(certificate: SM2Certificate?, key: SM2Key) throws(GMError) {
        guard key.isPrivate else { throw .invalidKey("an issuer needs its private key") }
        if let certificate, certificate.publicKey.publicPoint != key.publicPoint {
            throw .invalidKey("the issuer's key does not match its certificate")
        }
        self.certificate = certificate
        self.key = key
    }

    /// Issues a certificate for `subject`, valid from an hour ago for `days`.
    public func issue(
        for subject: SM2Key, commonName: String, organization: String?, profile: Profile, days: Int, now: Date = Date()
    ) throws(GMError) -> SM2Certificate {
        if certificate == nil, profile != .authority || subject.publicPoint != key.publicPoint {
            throw .invalidKey("only an authority's own key is self-signed")
        }
        var serial = SM4CBCHMACSM3.randomBytes(16)
        serial[0] &= 0x7F
        serial[0] |= 0x01
        let start = Int64(now.timeIntervalSince1970) - 3600
        let end = Int64(now.timeIntervalSince1970) + Int64(days) * 86400
        var output = [UInt8](repeating: 0, count: 4096)
        var written = 0
        let id = SM2Key.defaultSignerID
        let ok = profile.extendedKeyUsage.withOptionalCString { extendedUsage in
            sluice_sm2_certificate_issue(
                subject.handle, commonName, organization, certificate?.handle, key.handle, id, id.count, serial, serial.count,
                start, end, profile == .authority ? 1 : 0, profile.keyUsage, extendedUsage, &output, output.count, &written)
        }
        guard ok == 1 else { throw .operationFailed("issuing an SM2 certificate") }
        return try SM2Certificate(derEncoded: Array(output[0..<written]))
    }
}

extension Optional where Wrapped == String {
    fileprivate func withOptionalCString<T>(_ body: (UnsafePointer<CChar>?) -> T) -> T {
        switch self {
        case .some(let text): return text.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}
