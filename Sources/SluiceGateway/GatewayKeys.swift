import SluiceCrypto
import Synchronization
import X509

/// The gateway's signing identity as it stands: the sealer for envelopes and the issuer
/// for receipts, both from one key and chain, replaced together at a key rotation so no
/// request sees one without the other.
final class GatewayKeys: Sendable {
    private let current: Mutex<(sealer: EnvelopeSealer, receipts: ReceiptIssuer)>

    init(signingKey: SigningKey, chain: [Certificate]) throws {
        current = Mutex((try EnvelopeSealer(signingKey: signingKey, chain: chain), try ReceiptIssuer(signingKey: signingKey, chain: chain)))
    }

    var sealer: EnvelopeSealer { current.withLock { $0.sealer } }
    var receipts: ReceiptIssuer { current.withLock { $0.receipts } }

    func replace(signingKey: SigningKey, chain: [Certificate]) throws {
        let sealer = try EnvelopeSealer(signingKey: signingKey, chain: chain)
        let receipts = try ReceiptIssuer(signingKey: signingKey, chain: chain)
        current.withLock { $0 = (sealer, receipts) }
    }
}
