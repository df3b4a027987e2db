import Foundation
import Hummingbird
import NIOCore
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Requests between agencies: the consumer asks (``DataRequestOpening``), the provider lists
/// what it was asked, reads the sealed subjects, answers with a package through the whole
/// submission pipeline (``Submission``, held to the request's scope) or declines with a
/// reason. Admins and security officers list and read requests (never their subjects).
/// A request is shown only to its parties: to anyone else it does not exist. Every access
/// is audited before it is answered.
struct DataRequestRoutes {
    let state: GatewayState

    var routes: [Route] {
        let partner = Route.Access.roles([.partner])
        let readers = Route.Access.roles([.partner, .admin, .auditor])
        return [
            .post("/v1/agreements/:agreement/requests", partner) { request, context in try await create(request, context) },
            .get("/v1/requests", readers) { request, context in try await list(request, context) },
            .get("/v1/requests/:request", readers) { _, context in try await show(context) },
            .post("/v1/requests/:request/packages", partner) { request, context in try await answer(request, context) },
            .post("/v1/requests/:request/decline", partner) { request, context in try await decline(request, context) },
        ]
    }

    private func create(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: DataRequestOpening.largestBody) } catch {
            throw GatewayProblem(.bodyTooLarge, "a request is at most \(DataRequestOpening.largestBody) bytes")
        }
        let (opened, repeated) = try await DataRequestOpening(state: state).open(
            agreementID: context.parameters.get("agreement") ?? "", body: Data(body.readableBytesView),
            idempotencyKey: request.headers[.init("Idempotency-Key")!], caller: try context.authenticatedCaller(),
            registry: try context.authenticatedRegistry(), context: context)
        return try Response.json(
            APIDocument.DataRequestReceipt(requestID: opened.id, deadline: opened.deadline, receipt: opened.receipt),
            status: repeated ? .ok : .created)
    }

    /// `as=provider` (the default for partners: what it was asked, open ones by deadline),
    /// `as=consumer` (what it asked); admins and officers see every agency's.
    /// `state=open|all`, `overdue=true`, `limit`, `cursor`.
    private func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let query = request.uri.queryParameters
        let limit = try QueryArgument.pageLimit(query.get("limit"))
        let overdue = try QueryArgument.flag(query.get("overdue"), name: "overdue")
        let side: DataRequestSide
        switch (query.get("as"), caller.has(.partner)) {
        case (nil, true), ("provider", true): side = .provider(caller.agency.id)
        case ("consumer", true): side = .consumer(caller.agency.id)
        case (nil, false): side = .everyone
        default: throw GatewayProblem(.badRequest, "as must be provider or consumer, and only for partner agencies")
        }
        let openOnly: Bool
        switch query.get("state") {
        case nil: openOnly = { if case .provider = side { return true } else { return false } }()
        case "open": openOnly = true
        case "all": openOnly = false
        default: throw GatewayProblem(.badRequest, "state must be open or all")
        }
        let cursorText = query.get("cursor")
        let cursor = cursorText.flatMap { Int64($0) }.flatMap { $0 >= 0 ? $0 : nil }
        if cursorText != nil, cursor == nil { throw GatewayProblem(.badRequest, "cursor must be the next_cursor of an earlier page") }
        let now = AuditTime.format(state.clock())
        let state = self.state
        let page = try await state.blocking {
            try state.trail.commit { transaction in
                let page = try transaction.dataRequests.page(
                    of: side, openOnly: openOnly, overdueAt: overdue ? now : nil, after: cursor, limit: limit)
                let summaries = try page.requests.map { try Self.summary($0, at: now, packages: transaction.packages) }
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: .dataRequestsListed, outcome: .success, requestID: context.requestID,
                        remoteAddress: context.remoteAddress, details: ["listed": .count(summaries.count), "overdue_only": .flag(overdue)]))
                return APIDocument.DataRequestPage(requests: summaries, nextCursor: page.next.map(String.init))
            }.value
        }
        return try Response.json(page, status: .ok)
    }

    /// One request: to its provider with the subjects sealed to it, to its consumer with the
    /// provider's note sealed to it; admins and officers see the summary alone.
    private func show(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("request") ?? ""
        let now = AuditTime.format(state.clock())
        let state = self.state
        let detail: APIDocument.DataRequestDetail? = try await state.blocking {
            try state.trail.commit { transaction -> APIDocument.DataRequestDetail? in
                let found = try transaction.dataRequests.request(id: id)
                guard let found, Self.mayRead(found, caller) else {
                    try transaction.append(Self.refusal(caller, id: id, found: found, reason: found == nil ? "not-found" : "not-a-party", context))
                    return nil
                }
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: .dataRequestRead, outcome: .success, agreementID: found.agreementID,
                        agreementVersion: found.agreementVersion, requestID: context.requestID, remoteAddress: context.remoteAddress,
                        details: Self.recorded(found)))
                let isProvider = caller.has(.partner) && found.provider == caller.agency.id
                let isConsumer = caller.has(.partner) && found.consumer == caller.agency.id
                return APIDocument.DataRequestDetail(
                    request: try Self.summary(found, at: now, packages: transaction.packages),
                    sealedSubjects: isProvider ? try transaction.dataRequests.subjectsEnvelope(id: id) : nil,
                    sealedNote: isConsumer ? try transaction.dataRequests.noteEnvelope(id: id) : nil)
            }.value
        }
        guard let detail else { throw GatewayProblem(.requestNotFound, "there is no request of that id for \(caller.agency.id)") }
        return try Response.json(detail, status: .ok)
    }

    /// A package answering the request: the submission pipeline, held to the request's
    /// scope; refused for anyone but its provider, and once it is declined.
    private func answer(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("request") ?? ""
        let found = try await providersOpenRequest(id, caller: caller, context: context)
        let input = Submission.Input(
            agreementID: found.agreementID, contentType: request.headers[.contentType] ?? "",
            idempotencyKey: request.headers[.init("Idempotency-Key")!], answering: found)
        let accepted = try await Submission(state: state).receive(
            input, body: request.body, caller: caller, registry: try context.authenticatedRegistry(), context: context)
        let receipt = APIDocument.Receipt(packageID: accepted.packageID, receipt: accepted.receipt, receiptType: ReceiptIssuer.type)
        return try Response.json(receipt, status: accepted.repeated ? .ok : .created)
    }

    private func decline(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let id = context.parameters.get("request") ?? ""
        let found = try await providersOpenRequest(id, caller: caller, context: context)
        let sealedNote: String?
        let reason: String
        do {
            let document = try await AdminRoutes.json(APIDocument.DataRequestDecline.self, request)
            (sealedNote, reason) = (try declineNote(document, for: found, registry: try context.authenticatedRegistry()), document.reason)
        } catch let problem as GatewayProblem {
            var refusal = Self.refusal(caller, id: id, found: found, reason: problem.kind.rawValue, context)
            refusal.action = .dataRequestRefused
            refusal.outcome = .rejected
            try await state.record(refusal)
            throw problem
        }
        let state = self.state
        let declined = try await state.blocking {
            try state.trail.commit { transaction -> Bool in
                let declined = try transaction.dataRequests.decline(
                    id: id, reason: reason, noteEnvelope: sealedNote, at: AuditTime.format(state.clock()))
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: declined ? .dataRequestDeclined : .dataRequestRefused,
                        outcome: declined ? .success : .rejected, agreementID: found.agreementID, agreementVersion: found.agreementVersion,
                        reason: declined ? reason : "request-closed", requestID: context.requestID, remoteAddress: context.remoteAddress,
                        details: Self.recorded(found).merging(["note": .flag(sealedNote != nil)]) { $1 }))
                return declined
            }.value
        }
        guard declined else { throw GatewayProblem(.requestClosed, "request \(id) is no longer open") }
        let summary = try await state.blocking {
            try state.store.read { store in
                try Self.summary(try store.dataRequests.request(id: id)!, at: AuditTime.format(state.clock()), packages: store.packages)
            }
        }
        return try Response.json(summary, status: .ok)
    }

    /// A decline's reason checked against the vocabulary, and its note sealed to the consumer.
    private func declineNote(_ document: APIDocument.DataRequestDecline, for found: StoredDataRequest, registry: RegistrySnapshot) throws
        -> String?
    {
        guard APIDocument.DataRequestDecline.Reason(rawValue: document.reason) != nil else {
            throw GatewayProblem(
                .badRequest, "reason must be one of " + APIDocument.DataRequestDecline.Reason.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let note = document.note.flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        guard note.utf8.count <= 4000 else { throw GatewayProblem(.badRequest, "note is at most 4000 bytes") }
        guard let agreement = registry.agreements[found.agreementID]?.agreement else {
            throw GatewayProblem(.agreementNotFound, "the agreement of request \(found.id) is no longer in the registry")
        }
        var payload: [UInt8] = []
        JSONWriter.append(
            .object(RecordObject([("note", .string(note)), ("reason", .string(document.reason)), ("request_id", .string(found.id))])),
            to: &payload, sortingKeys: true)
        return try DataRequestSealing(state: state).seal(
            Data(payload), type: "sluice-request-note+jws", to: found.consumer, under: agreement, registry: registry)
    }

    /// The request `id` when the caller is its provider and it is not declined; otherwise the
    /// refusal is audited and thrown.
    private func providersOpenRequest(_ id: String, caller: Caller, context: GatewayRequestContext) async throws -> StoredDataRequest {
        let state = self.state
        let found = try await state.blocking { try state.store.read { try $0.dataRequests.request(id: id) } }
        guard let found, caller.has(.partner), found.provider == caller.agency.id else {
            let reason = found == nil ? "not-found" : (found!.consumer == caller.agency.id ? "not-the-provider" : "not-a-party")
            try await state.record(Self.refusal(caller, id: id, found: found, reason: reason, context))
            throw GatewayProblem(.requestNotFound, "there is no request of that id for \(caller.agency.id) to answer")
        }
        guard found.state != .declined else {
            try await state.record(Self.refusal(caller, id: id, found: found, reason: "request-closed", context))
            throw GatewayProblem(.requestClosed, "request \(id) was declined")
        }
        return found
    }

    static func mayRead(_ request: StoredDataRequest, _ caller: Caller) -> Bool {
        if caller.has(.admin) || caller.has(.auditor) { return true }
        return request.provider == caller.agency.id || request.consumer == caller.agency.id
    }

    /// A refused access to a request: its id only when the request exists (an unknown id
    /// is the caller's text, recorded as a digest-free count of nothing).
    static func refusal(_ caller: Caller, id: String, found: StoredDataRequest?, reason: String, _ context: GatewayRequestContext) -> AuditEvent {
        var event = AuditEvent(
            actor: caller.actor, action: found == nil ? .dataRequestRefused : .accessDenied, outcome: found == nil ? .rejected : .denied,
            agreementID: found?.agreementID, reason: reason, requestID: context.requestID, remoteAddress: context.remoteAddress)
        if let found { event.details = recorded(found) }
        return event
    }

    /// What an entry about a request records of it: its id and case number.
    static func recorded(_ request: StoredDataRequest) -> [String: AuditDetail] {
        var details: [String: AuditDetail] = ["data_request": .names([request.id])]
        if let caseNumber = request.caseNumber { details["case_number"] = .names([caseNumber]) }
        return details
    }

    static func summary(_ request: StoredDataRequest, at time: String, packages: any PackageStore) throws -> APIDocument.DataRequestSummary {
        APIDocument.DataRequestSummary(
            requestID: request.id, agreementID: request.agreementID, provider: request.provider, consumer: request.consumer,
            caseNumber: request.caseNumber, purpose: request.purpose, officer: request.officer, subjects: request.subjects,
            createdAt: request.createdAt, deadline: request.deadline, state: request.state.rawValue, overdue: request.isOverdue(at: time),
            declineReason: request.declineReason, packages: try packages.answering(request: request.id))
    }
}
