import Crypto
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceStore

/// A consumer's request for data, from its body to its receipt, in steps:
/// 1. the caller is the consumer of an agreement in force that allows requests (others are
///    told the agreement does not exist);
/// 2. the body (at most ``largestBody``) is read and decoded;
/// 3. the case number, purpose and officer are checked (``RequestText``; neither may hold
///    personal data the scanner finds), the subjects against the agreement
///    (``RequestSubjects``);
/// 4. the request, subjects included, is signed and sealed to the provider;
/// 5. it is stored with its `request.created` entry and a checkpoint, the receipt signed
///    inside that commit.
///
/// Every refusal is audited as `request.refused` with its kind; the trail records the
/// subjects' count, never a subject's value.
struct DataRequestOpening {
    let state: GatewayState

    static let largestBody = 1 << 20
    /// The JWS `typ` of a sealed request.
    static let sealedType = "sluice-request+jws"

    /// The request, stored with its signed receipt; `repeated` when an earlier request with
    /// the same Idempotency-Key (scoped to the consumer and the agreement) and body made it.
    func open(
        agreementID: String, body: Data, idempotencyKey: String?, caller: Caller, registry: RegistrySnapshot, context: GatewayRequestContext
    ) async throws -> (request: StoredDataRequest, repeated: Bool) {
        let known = registry.agreements[agreementID]
        var event = AuditEvent(
            actor: caller.actor, action: .dataRequestRefused, outcome: .rejected,
            agreementID: RecordedIdentifier.agreement(agreementID, known: known != nil), requestID: context.requestID,
            remoteAddress: context.remoteAddress)
        do {
            let applied = try authorize(known, caller: caller, event: &event)
            let key = try Submission.idempotencyKey(idempotencyKey)
            let agreement = applied.agreement
            guard let terms = agreement.requests else {
                throw GatewayProblem(.requestsNotAllowed, "agreement \(agreement.id) has no requests section: its consumer cannot ask")
            }
            let document = try AdminRoutes.json(APIDocument.DataRequestCreation.self, String(decoding: body, as: UTF8.self))
            let (caseNumber, subjects) = try check(document, agreement: agreement, terms: terms)
            event.details = ["subjects": .count(subjects.count), "purpose": .names([document.purpose])]
            if let caseNumber { event.details["case_number"] = .names([caseNumber]) }
            let now = state.clock()
            let id = TimeOrderedID.make(at: now)
            let deadline = AuditTime.format(now.addingTimeInterval(Double(terms.answerWithinDays) * 86_400))
            let sealing = DataRequestSealing(state: state)
            let sealed = try sealing.seal(
                Self.sealedPayload(id: id, agreement: agreement, caseNumber: caseNumber, document: document, deadline: deadline),
                type: Self.sealedType, to: agreement.provider, under: agreement, registry: registry)
            let bodySHA256 = LowercaseHex.encode(SHA256.hash(data: body))
            let state = self.state
            let unsigned = StoredDataRequest(
                id: id, agreementID: agreement.id, agreementVersion: applied.version, provider: agreement.provider,
                consumer: agreement.consumer, caseNumber: caseNumber, purpose: document.purpose, officer: document.officer,
                subjects: subjects.count, subjectPseudonyms: subjects.pseudonyms, createdAt: AuditTime.format(now), deadline: deadline,
                receipt: "")
            let details = event.details.merging(["data_request": .names([id]), "officer": .names([document.officer])]) { $1 }
            return try await state.blocking {
                try state.trail.commit { transaction -> (StoredDataRequest, Bool) in
                    if let key,
                        let earlier = try transaction.dataRequests.request(consumer: caller.agency.id, agreement: agreement.id, idempotencyKey: key)
                    {
                        guard earlier.bodySHA256 == bodySHA256 else {
                            throw GatewayProblem(
                                .idempotencyKeyReused, "this Idempotency-Key was used for another request under this agreement; use a new key")
                        }
                        try transaction.append(
                            AuditEvent(
                                actor: caller.actor, action: .dataRequestCreated, outcome: .success, agreementID: agreement.id,
                                agreementVersion: applied.version,
                                reason: "repeated request: same Idempotency-Key and body; the original receipt returned",
                                requestID: context.requestID, remoteAddress: context.remoteAddress,
                                details: DataRequestRoutes.recorded(earlier.request).merging(["repeated": .flag(true)]) { $1 }))
                        return (earlier.request, true)
                    }
                    let entry = try transaction.append(
                        AuditEvent(
                            actor: caller.actor, action: .dataRequestCreated, outcome: .success, agreementID: agreement.id,
                            agreementVersion: applied.version, requestID: context.requestID, remoteAddress: context.remoteAddress,
                            details: details))
                    let checkpoint = try transaction.signCheckpoint()
                    var stored = unsigned
                    stored.receipt = try sealing.issue(
                        DataRequestReceipt(
                            requestID: id, agreementID: agreement.id, agreementVersion: applied.version, provider: agreement.provider,
                            consumer: agreement.consumer, caseNumber: caseNumber, purpose: document.purpose, subjects: subjects.count,
                            bodySHA256: bodySHA256, deadline: deadline, auditEntryIndex: Int(entry.sequence), checkpoint: checkpoint.note,
                            issuedAt: AuditTime.format(now)), profile: agreement.cryptoProfile)
                    try transaction.dataRequests.insert(stored, subjectsEnvelope: sealed, idempotencyKey: key, bodySHA256: bodySHA256)
                    return (stored, false)
                }.value
            }
        } catch let problem as GatewayProblem {
            event.reason = event.reason ?? problem.kind.rawValue
            event.details.merge(problem.recorded) { _, recorded in recorded }
            try await state.record(event)
            throw problem
        }
    }

    /// Step 1: the consumer of an agreement in force.
    private func authorize(_ known: AppliedAgreement?, caller: Caller, event: inout AuditEvent) throws(GatewayProblem) -> AppliedAgreement {
        guard let applied = known, applied.agreement.isParty(caller.agency.id) else {
            if known != nil {
                event.action = .accessDenied
                event.outcome = .denied
                event.reason = "not-a-party"
            }
            throw GatewayProblem(.agreementNotFound, "there is no agreement of that id for \(caller.agency.id)")
        }
        event.agreementVersion = applied.version
        guard applied.agreement.consumer == caller.agency.id else {
            event.action = .accessDenied
            event.outcome = .denied
            event.reason = "not-the-consumer"
            throw GatewayProblem(.forbidden, "\(caller.agency.id) is the provider, not the consumer, of agreement \(applied.agreement.id)")
        }
        if let refusal = AgreementGate.refusal(for: applied.agreement, on: state.today.date()) { throw refusal }
        return applied
    }

    /// Step 3: the texts that go into the trail, and the subjects.
    private func check(_ document: APIDocument.DataRequestCreation, agreement: Agreement, terms: RequestTerms) throws(GatewayProblem)
        -> (String?, RequestSubjects)
    {
        guard terms.purposes.contains(document.purpose) else {
            throw GatewayProblem(
                .invalidRequest, "purpose must be one of agreement \(agreement.id)'s: " + terms.purposes.joined(separator: ", "))
        }
        let caseNumber = document.caseNumber.flatMap { $0.isEmpty ? nil : $0 }
        if terms.requireCaseNumber, caseNumber == nil {
            throw GatewayProblem(.invalidRequest, "agreement \(agreement.id) requires a case number (case_number)")
        }
        if let caseNumber, !RequestText.isCaseNumber(caseNumber) || Self.holdsPersonalData(caseNumber) {
            throw GatewayProblem(
                .invalidRequest,
                "case_number must be 1 to \(RequestText.longestCaseNumber) letters, digits, spaces and the brackets and marks case numbers use, and no personal data"
            )
        }
        guard RequestText.isOfficer(document.officer), !Self.holdsPersonalData(document.officer) else {
            throw GatewayProblem(
                .invalidRequest,
                "officer must be a name or staff number of 1 to \(RequestText.longestOfficer) letters, digits and spaces, and no personal data such as an ID or phone number"
            )
        }
        let checked = RequestSubjects.check(
            document.subjects, agreement: agreement, terms: terms, pseudonymizer: state.pseudonymizer(for: agreement),
            maxValueBytes: min(4096, state.configuration.limits.maxFieldBytes))
        switch checked {
        case .success(let subjects): return (caseNumber, subjects)
        case .failure(let list):
            var problem = GatewayProblem(
                .invalidRequest, "\(list.problems.count) problem\(list.problems.count == 1 ? "" : "s") with the subjects; nothing was recorded",
                errors: list.problems.map { .init(record: $0.subject, field: $0.field, reason: $0.reason) })
            problem.recorded = ["subjects": .count(document.subjects.count)]
            throw problem
        }
    }

    /// Whether a text the trail would record holds a number, address or name the scanner finds.
    static func holdsPersonalData(_ text: String) -> Bool {
        !TextScanner(cautious: true).detections(in: text).isEmpty
    }

    /// Step 4: the request as the provider reads it, to be signed by the gateway and sealed to it.
    static func sealedPayload(
        id: String, agreement: Agreement, caseNumber: String?, document: APIDocument.DataRequestCreation, deadline: String
    ) -> Data {
        let subjects = document.subjects.map { subject in
            RecordValue.object(RecordObject(subject.sorted { $0.key < $1.key }.map { ($0.key, RecordValue.string($0.value)) }))
        }
        let object = RecordObject([
            ("agreement_id", .string(agreement.id)),
            ("case_number", caseNumber.map { .string($0) } ?? .null),
            ("consumer", .string(agreement.consumer)),
            ("deadline", .string(deadline)),
            ("officer", .string(document.officer)),
            ("purpose", .string(document.purpose)),
            ("request_id", .string(id)),
            ("subjects", .array(subjects)),
        ])
        var payload: [UInt8] = []
        JSONWriter.append(.object(object), to: &payload, sortingKeys: true)
        return Data(payload)
    }
}
