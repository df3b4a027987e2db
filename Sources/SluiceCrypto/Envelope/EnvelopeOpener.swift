import Foundation
import SluiceCore
import X509

/// Opens a sealed package and proves where it came from. Checks, in order: a
/// well-formed JWE with allowed algorithms; decryption with the recipient's key; a
/// well-formed inner JWS with an allowed algorithm; its signature under the certificate
/// it names among the gateway's signing certificates (``SignerCheck``); that
/// certificate's chain to the trust anchors, valid now; and the gateway signing profile.
public struct EnvelopeOpener {
    public let key: DecryptionKey
    public let trustAnchors: [Certificate]
    /// The gateway's signing certificates, current and retired (``SignerCheck/signers``).
    public let signers: [Certificate]
    /// The most a compressed envelope may inflate to.
    public let inflationLimit: Int

    public init(
        key: DecryptionKey, trustAnchors: [Certificate], signers: [Certificate] = [],
        inflationLimit: Int = CompactJWE.defaultInflationLimit
    ) {
        self.key = key
        self.trustAnchors = trustAnchors
        self.signers = signers
        self.inflationLimit = inflationLimit
    }

    /// What an opened envelope holds.
    public struct Opened: Sendable {
        public var payload: Data
        public var signer: Certificate
        /// The inner JWS's `typ`: what the signer says this is (a package, a backup).
        public var type: String?
    }

    public func open(_ compact: String, at time: Date = Date()) async throws -> Opened {
        let (_, plaintext) = try CompactJWE.decrypt(compact.trimmingWhitespace(), with: key, inflationLimit: inflationLimit)
        guard let inner = String(validating: plaintext, as: UTF8.self) else { throw JOSEError.malformed("the content is not a JWS") }
        let jws = try CompactJWS(inner)
        let signer = try await SignerCheck(trustAnchors: trustAnchors, signers: signers).verify(jws, at: time)
        return Opened(payload: jws.payload, signer: signer, type: jws.header["typ"] as? String)
    }
}
