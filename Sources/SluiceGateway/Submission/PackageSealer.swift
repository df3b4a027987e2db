import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Turns masked records into a sealed package for the agreement's consumer: the header
/// and payload of the design, signed by the gateway and encrypted to the consumer's
/// current certificate, in the agreement's crypto profile (never another).
struct PackageSealer {
    let state: GatewayState

    /// Why packages under `agreement` cannot be sealed now, or nil: in the `gm` profile the
    /// gateway needs its SM2 signing key and the consumer a valid SM2 certificate.
    func refusal(for agreement: Agreement, registry: RegistrySnapshot) -> String? {
        switch agreement.cryptoProfile {
        case .jose:
            return nil
        case .gm:
            guard state.keys.gm != nil else {
                return "this gateway has no SM2 signing key (gm.certificate and gm.key in sluice.yaml; `sluice init --gm` for development)"
            }
            guard registry.gmSealingRecipient(of: agreement.consumer) != nil else {
                return "the consumer \(agreement.consumer) has no valid SM2 certificate registered to seal to"
            }
            return nil
        }
    }

    func seal(
        _ intake: SubmissionIntake.Result, under applied: AppliedAgreement, registry: RegistrySnapshot, caller: Caller,
        idempotencyKey: String?, context: GatewayRequestContext
    ) async throws -> SealedSubmission {
        let agreement = applied.agreement
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
        let (envelope, recipientSHA256) = try await sealedEnvelope(payload, for: agreement, registry: registry)
        return SealedSubmission(
            packageID: packageID, agreement: agreement, agreementVersion: applied.version, caller: caller, idempotencyKey: idempotencyKey,
            bodySHA256: intake.bodySHA256, recordsAccepted: intake.summary.recordsOut,
            fieldsDropped: intake.summary.recorded(intake.summary.droppedFields, intake.recordedName), envelope: envelope,
            recipientSHA256: recipientSHA256, requestID: context.requestID, remoteAddress: context.remoteAddress, receivedAt: now)
    }

    /// The payload sealed in the agreement's profile, and the SHA-256 of the consumer
    /// certificate it was sealed to.
    ///
    /// A payload that will be deflated is sealed on the blocking pool, so the cooperative
    /// threads stay free for the other requests (large packages held small ones' p99 back
    /// when sealed inline); a smaller one is sealed here, where the hop to the pool would
    /// cost more than the work.
    private func sealedEnvelope(_ payload: Data, for agreement: Agreement, registry: RegistrySnapshot) async throws -> (SealedEnvelope, String) {
        let offPool = EnvelopeSealer.compresses(payloadBytes: payload.count)
        switch agreement.cryptoProfile {
        case .jose:
            guard let sealing = registry.sealingRecipient(of: agreement.consumer) else {
                throw GatewayProblem(.unavailable, "the consumer \(agreement.consumer) has no valid certificate with a key packages can be sealed to")
            }
            let (sealer, recipient) = (state.keys.sealer, sealing.recipient)
            let envelope =
                offPool
                ? try await state.blocking { try sealer.sealedParts(payload, for: recipient) } : try sealer.sealedParts(payload, for: recipient)
            return (envelope, sealing.certificateSHA256)
        case .gm:
            // Checked before the body was read; checked again, as the registry may have moved.
            guard let gm = state.keys.gm, let sealing = registry.gmSealingRecipient(of: agreement.consumer) else {
                throw GatewayProblem(
                    .cryptoProfileUnavailable, "agreement \(agreement.id) can no longer be sealed in the gm profile; nothing was accepted")
            }
            let (sealer, recipient) = (gm.sealer, sealing.certificate.publicKey)
            let envelope =
                offPool
                ? try await state.blocking { try sealer.sealedParts(payload, for: recipient) } : try sealer.sealedParts(payload, for: recipient)
            return (envelope, sealing.certificateSHA256)
        }
    }
}
