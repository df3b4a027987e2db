import Foundation
import Hummingbird
import NIOCore
import NIOSSL
import SluiceAudit
import SluiceCrypto
import SluiceStore
import X509

/// Maps the client certificate the TLS layer verified to a registered agency, and
/// refuses (and audits) a certificate that is unregistered, revoked, or not meant for
/// client authentication. Operations endpoints need only a verified certificate.
struct ClientIdentityMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let state: GatewayState
    static let openPaths: Set<String> = ["/healthz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let identity = try await state.presentedCertificates.identity(presentedOn: context.channel) else {
            try await refuse(context, fingerprint: nil, reason: "no client certificate on the connection")
            throw GatewayProblem(.unknownCertificate, "present the client certificate registered for your agency")
        }
        let fingerprint = identity.fingerprint
        guard identity.allowsClientAuthentication else {
            try await refuse(context, fingerprint: fingerprint, reason: "certificate lacks the clientAuth extended key usage")
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
            try await refuse(context, fingerprint: fingerprint, reason: "revoked certificate of \(revocation.agencyID) (since \(revocation.revokedAt))")
            throw GatewayProblem(.revokedCertificate, "the certificate \(fingerprint) was revoked on \(revocation.revokedAt)")
        }
        guard let agency = snapshot.agency(fingerprint: fingerprint) else {
            try await refuse(context, fingerprint: fingerprint, reason: "certificate not registered")
            throw GatewayProblem(.unknownCertificate, "the certificate \(fingerprint) is not registered for any agency")
        }
        var context = context
        context.caller = Caller(agency: agency, fingerprint: fingerprint)
        context.loggedAgency.set(agency.id)
        context.registry = snapshot
        return try await next(request, context)
    }

    static func allowsClientAuthentication(_ certificate: Certificate) -> Bool {
        guard let usage = try? certificate.extensions.extendedKeyUsage else { return true }
        return usage.contains(.clientAuth)
    }

    private func refuse(_ context: Context, fingerprint: String?, reason: String) async throws {
        try await state.record(
            AuditEvent(
                actor: AuditActor(kind: .agency, id: "unknown", certificateFingerprint: fingerprint),
                action: .authenticationFailed, outcome: .denied, reason: reason, requestID: context.requestID,
                remoteAddress: context.remoteAddress))
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
