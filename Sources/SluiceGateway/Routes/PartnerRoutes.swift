import Foundation
import Hummingbird
import NIOCore
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// The partner API of the design: submit, the caller's agreements, inbox, fetch and
/// acknowledge. Each handler translates HTTP to the step it asks for and back; every
/// access, granted or refused, is audited before it is answered.
struct PartnerRoutes {
    let state: GatewayState

    var routes: [Route] {
        let partner = Route.Access.roles([.partner])
        return [
            .post("/v1/agreements/:agreement/packages", partner) { request, context in try await submit(request, context) },
            .get("/v1/agreements", partner) { _, context in try await listAgreements(context) },
            .get("/v1/inbox", partner) { request, context in try await inbox(request, context) },
            .get("/v1/packages/:package", partner) { _, context in try await fetch(context) },
            .post("/v1/packages/:package/ack", partner) { _, context in try await acknowledge(context) },
        ]
    }

    /// A provider's package: the ``Submission`` pipeline, answered with its receipt
    /// (201, or 200 for a request repeated with its Idempotency-Key).
    private func submit(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let input = Submission.Input(
            agreementID: context.parameters.get("agreement") ?? "", contentType: request.headers[.contentType] ?? "",
            idempotencyKey: request.headers[.init("Idempotency-Key")!])
        let accepted = try await Submission(state: state).receive(
            input, body: request.body, caller: try context.authenticatedCaller(), registry: try context.authenticatedRegistry(),
            context: context)
        let receipt = APIDocument.Receipt(packageID: accepted.packageID, receipt: accepted.receipt, receiptType: ReceiptIssuer.type)
        return try Response.json(receipt, status: accepted.repeated ? .ok : .created)
    }

    private func inbox(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let limit = try QueryArgument.pageLimit(request.uri.queryParameters.get("limit"))
        let cursorText = request.uri.queryParameters.get("cursor")
        let cursors = state.inboxCursor
        let cursor = cursorText.flatMap { cursors.open($0, consumer: caller.agency.id) }
        if cursorText != nil, cursor == nil {
            throw GatewayProblem(.badRequest, "cursor must be the next_cursor of an earlier page")
        }
        // Packages are released only under agreements in force today; the others wait
        // (and are purged at the end of their retention) and are counted as withheld.
        let today = state.today.date()
        let releasable = try context.authenticatedRegistry().agreements.values
            .filter { $0.agreement.consumer == caller.agency.id && AgreementGate.refusal(for: $0.agreement, on: today) == nil }
            .map(\.agreement.id)
        let state = self.state
        let page = try await state.blocking {
            try state.trail.commit { transaction in
                let page = try transaction.packages.inbox(consumer: caller.agency.id, agreements: releasable, after: cursor, limit: limit)
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: .inboxListed, outcome: .success, requestID: context.requestID,
                        remoteAddress: context.remoteAddress,
                        details: ["limit": .count(limit), "listed": .count(page.packages.count), "withheld": .count(page.withheld)]))
                return page
            }.value
        }
        let packages = page.packages.map { package in
            APIDocument.InboxPackage(
                packageID: package.id, agreementID: package.agreementID, provider: package.provider, createdAt: package.createdAt,
                expiresAt: package.expiresAt, records: package.records, envelopeBytes: package.envelopeBytes,
                recipientCertificateSHA256: package.recipientSHA256, answersRequest: package.answersRequest)
        }
        let next = try page.next.map { try state.inboxCursor.seal(position: $0, consumer: caller.agency.id) }
        return try Response.json(APIDocument.InboxPage(packages: packages, nextCursor: next, withheld: page.withheld), status: .ok)
    }

    private func fetch(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let packageID = context.parameters.get("package") ?? ""
        let registry = try context.authenticatedRegistry()
        let today = state.today.date()
        let state = self.state
        // The stored parts are read (and checked) inside the transaction: a damaged one
        // is recorded as a failed fetch instead of a fetch. Their text is written after
        // the transaction, on the pool.
        let served: PackageRelease<Result<String, DamagedEnvelope>> = try await state.blocking {
            let found = try state.trail.commit { transaction -> PackageRelease<Result<StoredEnvelope, DamagedEnvelope>> in
                try PackageRelease<StoredPackage>.releasable(
                    packageID, caller: caller, registry: registry, on: today, context: context, in: &transaction
                ).flatMap { package in
                    var event = AuditEvent(
                        actor: caller.actor, action: .packageFetched, outcome: .success, agreementID: package.agreementID,
                        agreementVersion: package.agreementVersion,
                        packageID: packageID, requestID: context.requestID, remoteAddress: context.remoteAddress,
                        details: ["envelope_bytes": .count(package.envelopeBytes)])
                    let found: Result<StoredEnvelope, DamagedEnvelope>
                    do {
                        guard let envelope = try transaction.packages.envelope(id: packageID) else {
                            throw StoreError.damagedEnvelope(packageID: packageID, reason: "the row is gone")
                        }
                        found = .success(envelope)
                    } catch StoreError.damagedEnvelope(_, let reason) {
                        event.outcome = .failed
                        event.reason = "damaged-envelope"
                        found = .failure(DamagedEnvelope(reason: reason))
                    }
                    if case .success = found { try transaction.packages.markFetched(id: packageID, at: AuditTime.format(state.clock())) }
                    try transaction.append(event)
                    return .released(found)
                }
            }.value
            return found.map { $0.map { $0.compact } }
        }
        switch served {
        case .absent:
            throw GatewayProblem(.packageNotFound, "there is no package of that id for \(caller.agency.id)")
        case .withheld(let problem):
            throw problem
        case .released(.failure(let damage)):
            context.logger.error(
                "stored envelope damaged", metadata: ["request_id": "\(context.requestID)", "package": "\(packageID)", "reason": "\(damage.reason)"])
            throw GatewayProblem(
                .internalError,
                "the stored envelope of package \(packageID) is damaged and cannot be served; the failed fetch is in the audit trail as \(context.requestID)"
            )
        case .released(.success(let compact)):
            return Response(
                status: .ok, headers: [.contentType: "application/jose"],
                body: .init(byteBuffer: ByteBuffer(string: compact)))
        }
    }

    /// Why a package's stored envelope could not be read back (its layout, never its bytes).
    private struct DamagedEnvelope: Error, Sendable {
        var reason: String
    }

    private func acknowledge(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let packageID = context.parameters.get("package") ?? ""
        let registry = try context.authenticatedRegistry()
        let today = state.today.date()
        let state = self.state
        let outcome: PackageRelease<Bool> = try await state.blocking {
            try state.trail.commit { transaction -> PackageRelease<Bool> in
                try PackageRelease<StoredPackage>.releasable(
                    packageID, caller: caller, registry: registry, on: today, context: context, in: &transaction
                ).flatMap { package in
                    let first = try transaction.packages.acknowledge(id: packageID, at: AuditTime.format(Date()))
                    try transaction.append(
                        AuditEvent(
                            actor: caller.actor, action: .packageAcknowledged, outcome: .success, agreementID: package.agreementID,
                            agreementVersion: package.agreementVersion,
                            packageID: packageID, requestID: context.requestID, remoteAddress: context.remoteAddress,
                            details: ["first_time": .flag(first)]))
                    return .released(first)
                }
            }.value
        }
        switch outcome {
        case .absent:
            throw GatewayProblem(.packageNotFound, "there is no package of that id for \(caller.agency.id)")
        case .withheld(let problem):
            throw problem
        case .released(let first):
            return try Response.json(APIDocument.Acknowledgement(packageID: packageID, acknowledged: true, firstTime: first), status: .ok)
        }
    }

    private func listAgreements(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let mine = try context.authenticatedRegistry().agreements.values
            .filter { $0.agreement.isParty(caller.agency.id) }
            .sorted { $0.agreement.id < $1.agreement.id }
        try await state.record(
            AuditEvent(
                actor: caller.actor, action: .agreementsListed, outcome: .success, requestID: context.requestID,
                remoteAddress: context.remoteAddress, details: ["listed": .count(mine.count)]))
        let agreements = mine.map { applied in
            let agreement = applied.agreement
            return APIDocument.AgreementSummary(
                id: agreement.id, version: applied.version, title: agreement.title, provider: agreement.provider,
                consumer: agreement.consumer, status: agreement.status.rawValue, validFrom: agreement.validFrom.description,
                validUntil: agreement.validUntil.description, fields: agreement.fields.map(\.name.description))
        }
        return try Response.json(APIDocument.AgreementList(agreements: agreements), status: .ok)
    }
}
