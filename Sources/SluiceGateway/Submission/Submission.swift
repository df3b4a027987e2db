import Foundation
import NIOCore
import SluiceAudit
import SluiceCore
import SluiceMasking
import SluiceStore

/// One provider's package, from the request to its receipt, in the design's steps.
///
/// The caller is identified before this runs (the TLS handshake, then
/// ``ClientIdentityMiddleware`` and ``RoleMiddleware``); the partner route only translates
/// HTTP to an ``Input`` and the ``Accepted`` result back. Then:
/// 1. ``SubmissionAuthorization``: the caller is the provider of an agreement in force
///    that this gateway can seal;
/// 2. ``SubmissionAdmission``: within the agreement's rate and the agency's uploads;
/// 3. ``SubmissionIntake``: the body decoded as it streams, each record's fields filtered,
///    validated and masked (``RecordMasker``, one walk per record), hashed and counted;
/// 4. ``PackageSealer``: the payload signed and encrypted for the consumer;
/// 5. ``SubmissionCommitter``: stored with its audit entry and a checkpoint, durably;
/// 6. the receipt, signed inside that commit.
///
/// A refusal at any step is audited (its kind and what may be recorded of it, never the
/// caller's text) before it is thrown; nothing is stored.
struct Submission {
    let state: GatewayState

    /// What the HTTP request says, as the caller sent it.
    struct Input {
        /// The agreement named in the path: the caller's text until the registry knows it.
        var agreementID: String
        var contentType: String
        var idempotencyKey: String?
        /// The consumer's request this package answers (found and checked by the route).
        var answering: StoredDataRequest? = nil
    }

    /// A package stored and receipted; `repeated` when an earlier request with the same
    /// Idempotency-Key stored it.
    struct Accepted: Sendable {
        var packageID: String
        var receipt: String
        var repeated: Bool
    }

    func receive<Body: AsyncSequence>(
        _ input: Input, body: Body, caller: Caller, registry: RegistrySnapshot, context: GatewayRequestContext
    ) async throws -> Accepted where Body.Element == ByteBuffer {
        let known = registry.agreements[input.agreementID]
        let agreementID = RecordedIdentifier.agreement(input.agreementID, known: known != nil)
        let start = ContinuousClock.now
        var progress = Progress()
        var event = AuditEvent(
            actor: caller.actor, action: .submitRejected, outcome: .rejected, agreementID: agreementID,
            requestID: context.requestID, remoteAddress: context.remoteAddress)
        do {
            let today = state.today.date()
            let sealer = PackageSealer(state: state)
            let applied = try SubmissionAuthorization.agreement(known, for: caller, on: today, event: &event) { agreement in
                sealer.refusal(for: agreement, registry: registry)
            }
            if input.answering == nil, !applied.agreement.push {
                throw GatewayProblem(
                    .pushNotAllowed,
                    "agreement \(applied.agreement.id) takes only answers to requests: POST them to /v1/requests/{id}/packages")
            }
            if let answering = input.answering {
                event.details["answers_request"] = .names([answering.id])
                if let caseNumber = answering.caseNumber { event.details["case_number"] = .names([caseNumber]) }
            }
            let slot = try await SubmissionAdmission(state: state).admit(caller, under: applied.agreement)
            defer { slot.release() }
            let format = try RecordFormat(contentType: input.contentType)
            let key = try Self.idempotencyKey(input.idempotencyKey)
            let scope = input.answering.flatMap { request in
                applied.agreement.requests?.answerMustMatch.map { SubmissionIntake.Scope(field: $0, pseudonyms: Set(request.subjectPseudonyms)) }
            }
            let intake = try await takeIn(body, format: format, agreement: applied.agreement, today: today, scope: scope, progress: &progress)
            event.details["records"] = .count(intake.summary.recordsIn)
            event.details["body_sha256"] = .digest(intake.bodySHA256)
            var sealed = try await sealer.seal(
                intake, under: applied, registry: registry, caller: caller, idempotencyKey: key, context: context)
            sealed.answersRequest = input.answering.map { ($0.id, $0.caseNumber) }
            let (stored, repeated) = try await state.committer.commit(sealed)
            state.metrics.submission(
                agreement: applied.agreement.id, outcome: repeated ? "repeated" : "accepted", bytes: intake.bodyBytes,
                records: progress.records, duration: ContinuousClock.now - start)
            return Accepted(packageID: stored.id, receipt: stored.receipt, repeated: repeated)
        } catch let problem as GatewayProblem {
            // Only known agreements get their own label, so the label set stays bounded.
            state.metrics.submission(
                agreement: known == nil ? "unknown" : agreementID,
                outcome: event.outcome == .denied ? "denied" : "rejected", bytes: progress.bodyBytes, records: progress.records,
                duration: ContinuousClock.now - start)
            // The kind and the problem's recorded details; never its detail, which may
            // repeat what the provider sent.
            event.reason = event.reason ?? problem.kind.rawValue
            event.details.merge(problem.recorded) { _, recorded in recorded }
            try await state.record(event)
            throw problem
        }
    }

    /// What was read before a refusal, for the metrics.
    private struct Progress {
        var bodyBytes = 0
        var records = 0
    }

    /// Step 3: the body, read to its end through the intake, which refuses as soon as a
    /// limit or a record fails.
    private func takeIn<Body: AsyncSequence>(
        _ body: Body, format: RecordFormat, agreement: Agreement, today: CalendarDate, scope: SubmissionIntake.Scope?,
        progress: inout Progress
    ) async throws -> SubmissionIntake.Result where Body.Element == ByteBuffer {
        var intake = SubmissionIntake(
            agreement: agreement, format: format, limits: state.configuration.limits,
            pseudonymizer: state.pseudonymizer(for: agreement), today: today, scope: scope)
        do {
            for try await buffer in body {
                progress.bodyBytes += buffer.readableBytes
                try buffer.withUnsafeReadableBytes { bytes throws(GatewayProblem) in try intake.feed(bytes) }
            }
        } catch let problem as GatewayProblem {
            throw problem
        } catch {
            // A connection that broke, a chunk size that does not parse: the body ends early.
            var problem = GatewayProblem(.bodyIncomplete, "the request body could not be read to its end; nothing was accepted")
            problem.recorded = ["body_bytes": .count(progress.bodyBytes)]
            throw problem
        }
        let result = try intake.finish()
        progress.records = result.summary.recordsIn
        return result
    }

    /// The Idempotency-Key header, when given: 1 to 200 characters.
    static func idempotencyKey(_ header: String?) throws(GatewayProblem) -> String? {
        if let header, header.isEmpty || header.utf8.count > 200 {
            throw GatewayProblem(.badRequest, "Idempotency-Key must be 1 to 200 characters")
        }
        return header
    }
}
