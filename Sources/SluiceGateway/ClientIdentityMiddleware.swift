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
    let state: GatewayState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = try await state.presentedCertificates.identity(presentedOn: context.channel) else {
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
        let (revocation, snapshot) = try state.database.read { db in
            (try RevocationStore(db).revocation(of: fingerprint), try registry.snapshot(db))
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
            let known = GatewayRoutes.allowedMethods(for: request.uri.path) != nil
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

/// Turns thrown problems into RFC 9457 responses; anything else becomes a 500 whose
/// detail says nothing about the input, logged with the request id.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as GatewayProblem {
            response = problem.response(requestID: context.requestID)
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = GatewayRoutes.allowedMethods(for: request.uri.path) {
                response = GatewayProblem(.methodNotAllowed, "\(request.method) is not supported here; use \(allowed.joined(separator: ", "))")
                    .response(requestID: context.requestID)
                response.headers[.allow] = allowed.joined(separator: ", ")
            } else {
                let kind: GatewayProblem.Kind = error.status == .notFound ? .notFound : error.status == .contentTooLarge ? .bodyTooLarge : .badRequest
                response = GatewayProblem(kind, error.body ?? kind.title).response(requestID: context.requestID)
            }
        } catch {
            context.logger.error("request failed", metadata: ["request_id": "\(context.requestID)", "error": "\(type(of: error))"])
            response = GatewayProblem(.internalError, "the gateway could not complete the request; it has been logged as \(context.requestID)")
                .response(requestID: context.requestID)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        return response
    }
}
