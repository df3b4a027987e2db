import Crypto
import SluiceCore
import SwiftASN1
import X509

/// The SHA-256 digest of a certificate's DER encoding: how the gateway names the
/// certificate an agency presented.
public struct CertificateFingerprint: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ certificate: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        bytes = Array(SHA256.hash(data: serializer.serializedBytes))
    }

    /// Lower-case hex without separators, as `sha256:` tools print it.
    public var description: String {
        LowercaseHex.encode(bytes)
    }
}
