import Foundation
import Hummingbird
import NIOCore
import NIOSSL
import SluiceAudit
import SluiceCrypto
import SluiceStore
import X509

/// Maps the client certificate the TLS layer verified to a registered agency, for every
/// path (the operations endpoints too), and refuses a certificate that is unregistered,
/// revoked, or not issued for client authentication. Those refusals are counted at once and
/// reach the audit trail in the bounded form of ``AuthenticationFailureLedger``: anyone with
/// a certificate from the CA can present one. A request for a path or method the API does
/// not have is audited with the caller.
struct ClientIdentityMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    /// The identity of the client certificate a request came with, nil when there is none:
    /// from the TLS handshake of its connection (``PresentedCertificateCache``).
    typealias IdentitySource = @Sendable (Request, GatewayRequestContext) async throws -> PresentedCertificateCache.Identity?

    let state: GatewayState
    let routeTable: RouteTable
    let identify: IdentitySource

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = try await identify(request, context) else {
            state.authenticationFailures.note(.noCertificate, address: context.remoteAddress)
            throw GatewayProblem(.unknownCertificate, "present the client certificate registered for your agency")
        }
        let fingerprint = identity.fingerprint
        guard identity.allowsClientAuthentication else {
            state.authenticationFailures.note(.notForClients, address: context.remoteAddress, fingerprint: fingerprint)
            throw GatewayProblem(.unknownCertificate, "the certificate presented is not a client-authentication certificate")
        }
        // Point reads of a few microseconds: done here rather than queued on the blocking
        // pool behind sealing work, since every request makes them. The registry snapshot
        // is reloaded only when an admin changed something.
        let registry = state.registry
        let (revocation, snapshot) = try state.store.read { store in
            (try store.revocations.revocation(of: fingerprint), try registry.snapshot(store))
        }
        if let revocation {
            state.authenticationFailures.note(.revoked, address: context.remoteAddress, fingerprint: fingerprint)
            throw GatewayProblem(.revokedCertificate, "the certificate \(fingerprint) was revoked on \(revocation.revokedAt)")
        }
        guard let agency = snapshot.agency(fingerprint: fingerprint) else {
            state.authenticationFailures.note(.unregistered, address: context.remoteAddress, fingerprint: fingerprint)
            throw GatewayProblem(.unknownCertificate, "the certificate \(fingerprint) is not registered for any agency")
        }
        var context = context
        let caller = Caller(agency: agency, fingerprint: fingerprint)
        context.caller = caller
        context.loggedAgency.set(agency.id)
        context.registry = snapshot
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            // The router found no route: recorded as a refusal, by its kind only (the path
            // and method are the caller's text).
            let known = routeTable.allowedMethods(for: request.uri.path) != nil
            try await state.record(
                AuditEvent(
                    actor: caller.actor, action: .accessDenied, outcome: .denied, reason: known ? "method-not-allowed" : "no-such-route",
                    requestID: context.requestID, remoteAddress: context.remoteAddress))
            throw error
        }
    }

    /// A client certificate must say it is one: the clientAuth extended key usage, and not
    /// the gateway's signing profile.
    static func allowsClientAuthentication(_ certificate: Certificate) -> Bool {
        guard let usage = try? certificate.extensions.extendedKeyUsage else { return false }
        return usage.contains(.clientAuth) && !GatewaySigningProfile.isClaimed(by: certificate)
    }
}
