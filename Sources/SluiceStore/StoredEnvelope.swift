import SluiceCrypto

/// A package's envelope as the `packages` table holds it. Rows written since envelopes
/// are kept in parts hold a BLOB (``SealedEnvelope/storedBytes``), a quarter smaller than
/// the text, which is written out when a consumer fetches it; older rows hold the compact
/// text itself, served as stored once its five parts are checked. Either way the consumer
/// receives the same compact JWE.
public enum StoredEnvelope: Sendable {
    case compact(String)
    case parts(SealedEnvelope)

    /// The compact JWE, as served.
    public var compact: String {
        switch self {
        case .compact(let text): text
        case .parts(let envelope): envelope.compact
        }
    }
}
