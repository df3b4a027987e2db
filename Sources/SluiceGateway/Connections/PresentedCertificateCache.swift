import NIOCore
import NIOSSL
import SluiceCrypto
import Synchronization
import X509

/// What a client certificate says of itself — its fingerprint and whether it may
/// authenticate a client — remembered by its DER bytes and by the connection that
/// presented it.
///
/// Partners keep their connections open and send many requests over each; parsing the
/// certificate and hashing it again for every request cost more than routing it, and
/// asking the TLS handler for the peer's certificate is a round trip through the
/// connection's event loop. Only what follows from the certificate alone is kept:
/// revocation and registration are still looked up for every request.
final class PresentedCertificateCache: Sendable {
    struct Identity: Sendable {
        var fingerprint: String
        var allowsClientAuthentication: Bool
    }

    /// Past this many certificates the cache starts over; a gateway serves a few
    /// hundred agencies, so only a flood of unknown certificates gets there.
    static let capacity = 4_096

    private let identities = Mutex<[[UInt8]: Identity]>([:])

    /// A connection's identity, nil when it presented no usable certificate. The
    /// connection is held weakly and compared: another connection later made at the same
    /// address is never taken for it, even before the closed one's entry is removed.
    private struct Presented: Sendable {
        weak var channel: (any Channel)?
        var identity: Identity?
    }

    private let connections = Mutex<[ObjectIdentifier: Presented]>([:])

    /// The identity of the certificate `channel`'s peer presented in its handshake.
    ///
    /// Asked of the TLS handler once per connection: the gateway's TLS stack does not
    /// renegotiate (BoringSSL has no server-side renegotiation, and TLS 1.3 has none), so
    /// the peer's certificate cannot change while the connection lasts.
    func identity(presentedOn channel: any Channel) async throws -> Identity? {
        let key = ObjectIdentifier(channel)
        if let known = connections.withLock({ $0[key] }), known.channel === channel { return known.identity }
        let presented = try await channel.nioSSL_peerCertificate().get()
        var identity: Identity?
        if let presented, let der = try? presented.toDERBytes() { identity = self.identity(derEncoded: der) }
        connections.withLock { $0[key] = Presented(channel: channel, identity: identity) }
        channel.closeFuture.whenComplete { [weak self, weak channel] _ in
            self?.connections.withLock { connections in
                // This connection's entry, or one whose connection is gone; never that
                // of a newer connection at the same address.
                guard let entry = connections[key] else { return }
                if entry.channel == nil || entry.channel === channel { connections[key] = nil }
            }
        }
        return identity
    }

    /// How many connections' identities are held: for tests.
    var connectionCount: Int { connections.withLock { $0.count } }

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
