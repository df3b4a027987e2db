/// Turns a value into a keyed pseudonym: the same value gives the same pseudonym under
/// one key, and an unrelated one under another.
///
/// The masking engine does no cryptography of its own; the gateway supplies an
/// implementation whose key is derived per agreement (see `AgreementPseudonymizer` in
/// SluiceCrypto), so data sets sent under different agreements cannot be joined.
public protocol Pseudonymizer: Sendable {
    /// The pseudonym of a value already in canonical form (width-normalised, upper-case
    /// check characters, phone numbers as 11 digits).
    func pseudonym(of canonical: String) -> String
}
