import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Turns masked records into a sealed package for the agreement's consumer: the header
/// and payload of the design, signed by the gateway and encrypted to the consumer's
/// current certificate.
struct PackageSealer {
    let state: GatewayState

    func seal(
        _ intake: SubmissionIntake.Result, under applied: AppliedAgreement, registry: RegistrySnapshot, caller: Caller,
        idempotencyKey: String?, context: GatewayRequestContext
    ) async throws -> SealedSubmission {
        let agreement = applied.agreement
        guard let sealing = registry.sealingRecipient(of: agreement.consumer) else {
            throw GatewayProblem(.unavailable, "the consumer \(agreement.consumer) has no valid certificate with a key packages can be sealed to")
        }
        let recipient = sealing.recipient
        let now = Date()
        let packageID = TimeOrderedID.make(at: now)
        let header = PackageHeader(
            packageID: packageID, agreementID: agreement.id, agreementVersion: applied.version, provider: agreement.provider,
            consumer: agreement.consumer, createdAt: AuditTime.format(now),
            fields: agreement.deliveredFieldNames)
        // Masked records are rarely longer than the body they came in: the body's size
        // plus room for the header is the payload's size, near enough.
        let payload = PackagePayload(
            header: header, masking: intake.summary.payloadObject(recordingUnlistedName: intake.recordedName), records: intake.records
        )
        .encodedData(expectedBytes: intake.bodyBytes + 4096)
        // A payload that will be deflated is sealed on the blocking pool, so the
        // cooperative threads stay free for the other requests (large packages held small
        // ones' p99 back when sealed inline); a smaller one is sealed here, where the hop to
        // the pool would cost more than the work.
        let sealer = state.keys.sealer
        let envelope =
            EnvelopeSealer.compresses(payloadBytes: payload.count)
            ? try await state.blocking { try sealer.sealedParts(payload, for: recipient) }
            : try sealer.sealedParts(payload, for: recipient)
        return SealedSubmission(
            packageID: packageID, agreement: agreement, agreementVersion: applied.version, caller: caller, idempotencyKey: idempotencyKey,
            bodySHA256: intake.bodySHA256, recordsAccepted: intake.summary.recordsOut,
            fieldsDropped: intake.summary.recorded(intake.summary.droppedFields, intake.recordedName), envelope: envelope,
            recipientSHA256: sealing.certificateSHA256, requestID: context.requestID, remoteAddress: context.remoteAddress, receivedAt: now)
    }
}
