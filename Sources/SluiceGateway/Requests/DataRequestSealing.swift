import Foundation
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Seals what a request carries (its subjects, to the provider; a decline note, to the
/// consumer) and signs its receipt, in the agreement's crypto profile and never the other:
/// JOSE to the agency's certificate, or SM2/SM4 to its SM2 certificate with the gateway's
/// SM2 key.
struct DataRequestSealing {
    let state: GatewayState

    /// `payload` signed with `type` and encrypted to `agency` under `agreement`'s profile.
    func seal(_ payload: Data, type: String, to agency: String, under agreement: Agreement, registry: RegistrySnapshot) throws -> String {
        switch agreement.cryptoProfile {
        case .jose:
            guard let recipient = registry.sealingRecipient(of: agency) else {
                throw GatewayProblem(.unavailable, "\(agency) has no valid certificate to seal to")
            }
            let signer = state.keys.sealer
            return try EnvelopeSealer(signingKey: signer.signingKey, chain: signer.chain, type: type).seal(payload, for: recipient.recipient)
        case .gm:
            guard let gm = state.keys.gm, let recipient = registry.gmSealingRecipient(of: agency) else {
                throw GatewayProblem(
                    .cryptoProfileUnavailable,
                    "agreement \(agreement.id) asks for the gm profile: the gateway needs its SM2 signing key and \(agency) a valid SM2 certificate")
            }
            return try gm.sealer.seal(payload, for: recipient.certificate.publicKey, type: type)
        }
    }

    func issue(_ receipt: DataRequestReceipt, profile: CryptoProfile) throws -> String {
        switch profile {
        case .jose: return try state.keys.receipts.issue(receipt)
        case .gm:
            guard let gm = state.keys.gm else {
                throw GatewayProblem(.cryptoProfileUnavailable, "this gateway has no SM2 signing key for a gm receipt")
            }
            return try gm.receipts.issue(receipt)
        }
    }
}
