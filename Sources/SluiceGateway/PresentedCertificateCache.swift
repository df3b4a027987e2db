import SluiceCrypto
import Synchronization
import X509

/// What a client certificate says of itself — its fingerprint and whether it may
/// authenticate a client — remembered by its DER bytes.
///
/// Partners keep their connections open and send many requests over each; parsing the
/// certificate and hashing it again for every request cost more than routing it. Only
/// what follows from the bytes alone is kept: revocation and registration are still
/// looked up for every request.
final class PresentedCertificateCache: Sendable {
    struct Identity: Sendable {
        var fingerprint: String
        var allowsClientAuthentication: Bool
    }

    /// Past this many certificates the cache starts over; a gateway serves a few
    /// hundred agencies, so only a flood of unknown certificates gets there.
    static let capacity = 4_096

    private let identities = Mutex<[[UInt8]: Identity]>([:])

    /// The certificate's identity, or nil when the bytes are not a certificate.
    func identity(derEncoded der: [UInt8]) -> Identity? {
        if let known = identities.withLock({ $0[der] }) { return known }
        guard let certificate = try? Certificate(derEncoded: der),
            let fingerprint = try? CertificateFingerprint(certificate).description
        else { return nil }
        let identity = Identity(
            fingerprint: fingerprint, allowsClientAuthentication: ClientIdentityMiddleware.allowsClientAuthentication(certificate))
        identities.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
            cache[der] = identity
        }
        return identity
    }
}
