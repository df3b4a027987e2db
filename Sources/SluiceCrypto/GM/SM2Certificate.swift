import CGMCrypto
import Foundation

/// An X.509 certificate with an SM2 key, signed SM2-with-SM3: what the GM profile uses for
/// the gateway's signing identity and for the keys packages are sealed to. swift-certificates
/// does not know SM2, so these are read and checked through libcrypto.
///
/// Unchecked `Sendable`: the handle is set once and freed in `deinit`; every operation on
/// it only reads (verification works on a copy).
public final class SM2Certificate: @unchecked Sendable, Hashable {
    let handle: OpaquePointer
    /// The certificate as issued.
    public let derBytes: [UInt8]
    public let publicKey: SM2Key
    public let commonName: String
    public let organization: String?
    public let notValidBefore: Date
    public let notValidAfter: Date
    /// DER of the subject's and issuer's names, to match a certificate to its issuer.
    public let subjectName: [UInt8]
    public let issuerName: [UInt8]
    public let isCertificateAuthority: Bool

    /// Key usage bits, when the certificate has the extension.
    public struct KeyUsage: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let digitalSignature = KeyUsage(rawValue: 0x80)
        public static let nonRepudiation = KeyUsage(rawValue: 0x40)
        public static let keyEncipherment = KeyUsage(rawValue: 0x20)
        public static let dataEncipherment = KeyUsage(rawValue: 0x10)
        public static let keyAgreement = KeyUsage(rawValue: 0x08)
        public static let keyCertSign = KeyUsage(rawValue: 0x04)
    }

    /// Nil when the certificate has no key usage extension (any use).
    public let keyUsage: KeyUsage?

    public init(derEncoded der: [UInt8]) throws(GMError) {
        guard let handle = der.withUnsafeBufferPointer({ sluice_sm2_certificate_from_der($0.baseAddress, $0.count) }) else {
            throw .invalidKey("not a DER X.509 certificate")
        }
        self.handle = handle
        derBytes = der
        guard let key = sluice_sm2_certificate_key(handle) else {
            sluice_sm2_certificate_free(handle)
            throw .invalidKey("the certificate's key is not an SM2 key")
        }
        publicKey = SM2Key(adopting: key)
        commonName = Self.text(handle, nid: 13) ?? ""
        organization = Self.text(handle, nid: 17)
        var notBefore: Int64 = 0
        var notAfter: Int64 = 0
        _ = sluice_sm2_certificate_validity(handle, &notBefore, &notAfter)
        notValidBefore = Date(timeIntervalSince1970: TimeInterval(notBefore))
        notValidAfter = Date(timeIntervalSince1970: TimeInterval(notAfter))
        subjectName = Self.name(handle, issuer: false)
        issuerName = Self.name(handle, issuer: true)
        isCertificateAuthority = sluice_sm2_certificate_is_ca(handle) == 1
        let usage = sluice_sm2_certificate_key_usage(handle)
        keyUsage = usage == UInt32.max ? nil : KeyUsage(rawValue: usage)
    }

    /// The first certificate in PEM text.
    public convenience init(pem: String) throws(GMError) {
        guard let der = Self.pemBlocks(pem).first else { throw .invalidKey("no CERTIFICATE block in the PEM") }
        try self.init(derEncoded: der)
    }

    deinit { sluice_sm2_certificate_free(handle) }

    /// Every CERTIFICATE block of a PEM text, as DER.
    public static func pemBlocks(_ pem: String) -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        var body: String?
        for line in pem.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text == "-----BEGIN CERTIFICATE-----" {
                body = ""
            } else if text == "-----END CERTIFICATE-----" {
                if let body, let der = Data(base64Encoded: body) { blocks.append(Array(der)) }
                body = nil
            } else if body != nil {
                body! += text
            }
        }
        return blocks
    }

    public var pem: String {
        let lines = Data(derBytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n" + lines + "\n-----END CERTIFICATE-----\n"
    }

    /// Whether the certificate lists `oid` (dotted) among its extended key usages; nil
    /// when it has no such extension.
    public func hasExtendedKeyUsage(_ oid: String) -> Bool? {
        switch sluice_sm2_certificate_has_extended_usage(handle, oid) {
        case 1: return true
        case 0: return false
        default: return nil
        }
    }

    /// Whether `issuer`'s key signed this certificate (SM2 with SM3, for `signerID`).
    public func isSigned(by issuer: SM2Key, signerID: [UInt8] = SM2Key.defaultSignerID) -> Bool {
        sluice_sm2_certificate_verify(handle, issuer.handle, signerID, signerID.count) == 1
    }

    public static func == (lhs: SM2Certificate, rhs: SM2Certificate) -> Bool { lhs.derBytes == rhs.derBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(derBytes) }

    private static func text(_ handle: OpaquePointer, nid: Int32) -> String? {
        var output = [CChar](repeating: 0, count: 256)
        var written = 0
        guard sluice_sm2_certificate_subject_text(handle, nid, &output, output.count, &written) == 1 else { return nil }
        return String(decoding: output[0..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func name(_ handle: OpaquePointer, issuer: Bool) -> [UInt8] {
        // Names are a few hundred bytes; one that does not fit reads as empty. Names only
        // pick the candidate issuer: a chain link still needs the issuer's signature.
        var output = [UInt8](repeating: 0, count: 16 << 10)
        var written = 0
        guard sluice_sm2_certificate_name(handle, issuer ? 1 : 0, &output, output.count, &written) == 1 else { return [] }
        return Array(output[0..<written])
    }
}
