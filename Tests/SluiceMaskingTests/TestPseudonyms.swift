import SluiceCrypto
import SluiceMasking

/// The gateway's real HMAC pseudonyms, wrapped for the masking engine's protocol.
struct TestPseudonyms: Pseudonymizer {
    let inner: AgreementPseudonymizer

    init(agreementID: String = "test", secret: PseudonymSecret = TestPseudonyms.secret) {
        inner = AgreementPseudonymizer(secret: secret, agreementID: agreementID)
    }

    func pseudonym(of canonical: String) -> String { inner.pseudonym(of: canonical) }

    static let secret = PseudonymSecret(bytes: [UInt8](repeating: 7, count: 32))
}
