import SluiceCrypto
import Synchronization
import X509

/// The gateway's signing identity as it stands: the sealer for envelopes and the issuer
/// for receipts, both from one key and chain, replaced together at a key rotation so no
/// request sees one without the other; and the GM profile's, when the gateway has an SM2
/// signing key.
final class GatewayKeys: Sendable {
    /// Nil when the gateway has no SM2 signing key: `gm` packages are then refused.
    let gm: GMSigning?

    /// The GM profile's signing identity: one SM2 key for envelopes and receipts.
    struct GMSigning: Sendable {
        let sealer: GMEnvelopeSealer
        let receipts: GMReceiptIssuer
        let certificate: SM2Certificate
    }

    init(signingKey: SigningKey, chain: [Certificate], retired: [[Certificate]] = [], gm: GMSigning? = nil) throws {
        current = Mutex(
            (
                try EnvelopeSealer(signingKey: signingKey, chain: chain), try ReceiptIssuer(signingKey: signingKey, chain: chain),
                retired
            ))
        self.gm = gm
    }

    private typealias State = (sealer: EnvelopeSealer, receipts: ReceiptIssuer, retired: [[Certificate]])
    private let current: Mutex<State>

    var sealer: EnvelopeSealer { current.withLock { $0.sealer } }
    var receipts: ReceiptIssuer { current.withLock { $0.receipts } }
    /// The signing chains of earlier keys, newest first: what packages and receipts signed
    /// before a rotation name (served with the current chain to partners).
    var retiredChains: [[Certificate]] { current.withLock { $0.retired } }

    func replace(signingKey: SigningKey, chain: [Certificate]) throws {
        let sealer = try EnvelopeSealer(signingKey: signingKey, chain: chain)
        let receipts = try ReceiptIssuer(signingKey: signingKey, chain: chain)
        current.withLock { $0 = (sealer, receipts, [$0.sealer.chain] + $0.retired) }
    }
}
