import Foundation
import Hummingbird
import NIOCore
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceStore
import X509

/// The admins' API: agreement versions and states, agencies and their certificates.
/// Only admin certificates may call it; every change and every refused change is
/// audited with the admin's certificate as the actor.
struct AdminRoutes {
    let state: GatewayState
    /// Agreement files and request documents are small; anything larger is a mistake.
    static let maxBody = 1 << 20

    var routes: [Route] {
        let admin = Route.Access.roles([.admin])
        var routes: [Route] = [
            .get("/v1/admin/agreements", admin) { _, context in try await agreements(context) },
            .post("/v1/admin/agreements", admin) { request, context in try await apply(request, context) },
            .get("/v1/admin/agreements/:agreement/history", admin) { _, context in try await history(context) },
            .get("/v1/admin/agreements/:agreement/versions/:version", admin) { _, context in try await version(context) },
        ]
        for (verb, status) in [("suspend", AgreementStatus.suspended), ("activate", .active), ("revoke", .revoked)] {
            routes.append(
                .post("/v1/admin/agreements/:agreement/\(verb)", admin) { request, context in try await change(request, context, to: status) })
        }
        routes += [
            .get("/v1/admin/agencies", admin) { _, context in try await agencies(context) },
            .post("/v1/admin/agencies", admin) { request, context in try await addAgency(request, context) },
            .post("/v1/admin/agencies/:agency/revoke", admin) { request, context in try await revokeCertificate(request, context) },
            .post("/v1/admin/keys/rotate", admin) { request, context in try await rotateKey(request, context) },
        ]
        return routes
    }

    // MARK: Agreements

    func agreements(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        try await recordRead(caller, context, what: "agreements")
        // The snapshot the request was authenticated with is the registry as it stands.
        return try Response.json(APIDocument.RegistryAgreementList(try context.authenticatedRegistry()), status: .ok)
    }

    /// The body is the agreement's YAML. `dry_run=true` answers with the diff and stores
    /// nothing; `expected_version=N` refuses (409) when the current version is not N.
    func apply(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let query = request.uri.queryParameters
        let dryRun = try QueryArgument.flag(query.get("dry_run"), name: "dry_run")
        let expected = try query.get("expected_version").map { text -> Int in
            guard let number = Int(text), number >= 0 else { throw GatewayProblem(.badRequest, "expected_version must be a whole number from 0") }
            return number
        }
        let file = query.get("file").map { ($0 as NSString).lastPathComponent } ?? "agreement.yaml"
        let document = try await Self.text(request)
        let lifecycle = AgreementLifecycle(trail: state.trail, by: context.attribution(caller))
        let application = try await run { try lifecycle.apply(document: document, file: file, expectedVersion: expected, dryRun: dryRun) }
        // A dry run changes nothing but reads the registry (the diff against its version).
        if dryRun { try await recordRead(caller, context, what: "agreement-dry-run", agreementID: application.agreementID) }
        return try Response.json(APIDocument.AgreementApplication(application), status: application.stored ? .created : .ok)
    }

    func history(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("agreement") ?? ""
        try await recordRead(caller, context, what: "agreement-history", agreementID: id)
        let state = self.state
        let (versions, changes) = try await state.blocking {
            try state.store.read { store in (try store.agreements.versions(of: id), try store.agreements.stateChanges(of: id)) }
        }
        guard !versions.isEmpty else { throw GatewayProblem(.agreementNotFound, "there is no agreement \(id) in the registry") }
        return try Response.json(APIDocument.AgreementHistory(id, versions: versions, changes: changes), status: .ok)
    }

    func version(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("agreement") ?? ""
        try await recordRead(caller, context, what: "agreement-version", agreementID: id)
        guard let number = context.parameters.get("version").flatMap({ Int($0) }) else {
            throw GatewayProblem(.badRequest, "the version must be a whole number")
        }
        let state = self.state
        guard let version = try await state.blocking({ try state.store.read { store in try store.agreements.version(number, of: id) } }) else {
            throw GatewayProblem(.agreementNotFound, "agreement \(id) has no version \(number)")
        }
        return try Response.json(APIDocument.AgreementVersion(version), status: .ok)
    }

    func change(_ request: Request, _ context: GatewayRequestContext, to status: AgreementStatus) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("agreement") ?? ""
        let body = try await Self.json(APIDocument.Reason.self, request)
        let lifecycle = AgreementLifecycle(trail: state.trail, by: context.attribution(caller))
        let change = try await run { try lifecycle.change(id, to: status, reason: body.reason) }
        return try Response.json(APIDocument.StateChange(change), status: .ok)
    }

    // MARK: Agencies

    func agencies(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        try await recordRead(caller, context, what: "agencies")
        let state = self.state
        let agencies = try await state.blocking { try state.store.read { store in try store.agencies.all() } }
        return try Response.json(APIDocument.AgencyList(agencies), status: .ok)
    }

    func addAgency(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let body = try await Self.json(APIDocument.AgencyAdditionRequest.self, request)
        let roles = try body.roles.map { text -> AgencyRole in
            guard let role = AgencyRole(rawValue: text) else {
                throw GatewayProblem(.badRequest, "role \"\(text)\" is not partner, admin or auditor")
            }
            return role
        }
        let enrolment = AgencyEnrolment(trail: state.trail, by: context.attribution(caller), policy: state.enrolment)
        let addition: AgencyAddition
        if let certificate = try? CertificateFile.parse(body.certificate, name: "the certificate").first {
            addition = try await run {
                try enrolment.add(id: body.id, name: body.name, roles: roles, certificate: certificate, possession: body.possessionProof)
            }
        } else if let sm2 = try? SM2Certificate(pem: body.certificate) {
            // An SM2 certificate for a registered agency's gm packages: two admins.
            addition = try await run { try enrolment.addGMCertificate(agencyID: body.id, name: body.name, roles: roles, certificate: sm2) }
        } else {
            throw GatewayProblem(.badRequest, "certificate must be one PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return try Response.json(
            APIDocument.AgencyAddition(addition), status: addition.pendingApproval ? .accepted : addition.certificateAdded ? .created : .ok)
    }

    func revokeCertificate(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("agency") ?? ""
        let body = try await Self.json(APIDocument.RevocationRequest.self, request)
        let enrolment = AgencyEnrolment(trail: state.trail, by: context.attribution(caller), policy: state.enrolment)
        let first = try await run { try enrolment.revoke(agencyID: id, fingerprint: body.fingerprint, reason: body.reason) }
        return try Response.json(APIDocument.Revocation(agencyID: id, fingerprint: body.fingerprint, newlyRevoked: first), status: .ok)
    }

    // MARK: Keys

    /// Rotates a key of the running gateway: it signs with the new key from the next
    /// request (checkpoints) or the next package and receipt (signing) on.
    func rotateKey(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let text = try await Self.text(request)
        let body = try Self.json(APIDocument.KeyRotationRequest.self, text)
        guard let what = KeyRotation.Key(rawValue: body.what) else { throw GatewayProblem(.badRequest, "what must be signing or checkpoint") }
        // No private key is accepted: the gateway makes its own (see KeyRotation). One sent
        // anyway is refused, not silently ignored.
        struct PrivateKey: Decodable { var key: String? }
        guard (try? Self.json(PrivateKey.self, text))?.key == nil else {
            throw GatewayProblem(
                .badRequest, "the gateway makes its own signing keys; send no private key (rotate without one to get a certificate request)")
        }
        let rotation = KeyRotation(configuration: state.configuration, trail: state.trail, by: context.attribution(caller))
        let keys = state.keys
        let outcome = try await run { () throws -> KeyRotation.Outcome in
            switch what {
            case .checkpoint:
                return try rotation.rotateCheckpointKey()
            case .signing:
                let outcome = try rotation.rotateSigningKey(newChainPEM: body.certificate)
                if let key = outcome.signingKey { try keys.replace(signingKey: key, chain: outcome.chain) }
                return outcome
            }
        }
        return try Response.json(APIDocument.KeyRotation(outcome), status: .ok)
    }

    // MARK: Helpers

    /// An admin's read of the registry, recorded before it is served: the agreement named
    /// only when the registry knows it (the path is the admin's text).
    private func recordRead(_ caller: Caller, _ context: GatewayRequestContext, what: String, agreementID: String? = nil) async throws {
        let known = agreementID.map { id in (try? context.authenticatedRegistry())?.agreements[id] != nil } ?? false
        try await state.record(
            AuditEvent(
                actor: caller.actor, action: .registryRead, outcome: .success,
                agreementID: agreementID.map { RecordedIdentifier.agreement($0, known: known) }, requestID: context.requestID,
                remoteAddress: context.remoteAddress, details: ["read": .names([what])]))
    }

    /// Runs an administrative change on the blocking pool, turning refusals into problems.
    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await state.blocking(body)
        } catch let error as AdministrationError {
            throw Self.problem(error)
        }
    }

    static func problem(_ error: AdministrationError) -> GatewayProblem {
        switch error {
        case .invalidAgreement: return GatewayProblem(.invalidAgreement, error.description)
        case .unknownAgreement: return GatewayProblem(.agreementNotFound, error.description)
        case .unknownAgency: return GatewayProblem(.agencyNotFound, error.description)
        case .agreementRevoked, .transitionNotAllowed, .versionConflict, .agencyConflict, .certificateInUse:
            return GatewayProblem(.registryConflict, error.description)
        case .certificateRefused, .possessionRefused, .combinedRoles, .secondAdminRequired:
            return GatewayProblem(.enrolmentRefused, error.description)
        case .certificateNotRegistered, .invalidInput: return GatewayProblem(.badRequest, error.description)
        }
    }

    static func text(_ request: Request) async throws -> String {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBody) } catch {
            throw GatewayProblem(.bodyTooLarge, "the document is larger than \(maxBody) bytes")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw GatewayProblem(.malformedBody, "the document is not UTF-8 text")
        }
        return text
    }

    static func json<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try json(type, try await text(request))
    }

    static func json<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw GatewayProblem(.malformedBody, "the body must be a JSON object with the members this endpoint documents")
        }
    }
}
