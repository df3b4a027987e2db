import Foundation

/// Seals a package in the GM profile: the payload signed `SM2-SM3` with the gateway's SM2
/// key, that JWS encrypted (`SM2`, `SM4-CBC-HMAC-SM3`) to the consumer's SM2 key. The
/// shapes are the international profile's (see ``GMJOSE``), so the store, the API and
/// `open` handle both alike.
public struct GMEnvelopeSealer: Sendable {
    public let signingKey: SM2Key

    public init(signingKey: SM2Key) throws(GMError) {
        guard signingKey.isPrivate else { throw .invalidKey("the gateway's SM2 signing key must be a private key") }
        self.signingKey = signingKey
    }

    /// `type` is the JWS `typ`: a package's by default (a request's subjects have their own).
    public func sealedParts(_ payload: Data, for recipient: SM2Key, type: String = EnvelopeSealer.payloadType) throws -> SealedEnvelope {
        let signed = try GMJOSE.sign(payload, with: signingKey, extraHeader: ["typ": type])
        return try GMJOSE.encrypt(
            Data(signed.utf8), to: recipient, contentType: EnvelopeSealer.nestedContentType,
            compressed: EnvelopeSealer.compresses(payloadBytes: payload.count))
    }

    public func seal(_ payload: Data, for recipient: SM2Key, type: String = EnvelopeSealer.payloadType) throws -> String {
        try sealedParts(payload, for: recipient, type: type).compact
    }
}

/// Opens a GM-profile package: decrypts with the consumer's SM2 key, then checks the inner
/// JWS against the gateway's SM2 signing key (given, or from a ``GMSignerCheck``, which
/// also checks its certificate and that the JWS names it).
public struct GMEnvelopeOpener: Sendable {
    public let key: SM2Key
    private let signer: Signer
    public let inflationLimit: Int

    private enum Signer: Sendable {
        case key(SM2Key)
        case certificate(GMSignerCheck)
    }

    public init(key: SM2Key, signer: SM2Key, inflationLimit: Int = CompactJWE.defaultInflationLimit) {
        self.key = key
        self.signer = .key(signer)
        self.inflationLimit = inflationLimit
    }

    public init(key: SM2Key, signer: GMSignerCheck, inflationLimit: Int = CompactJWE.defaultInflationLimit) {
        self.key = key
        self.signer = .certificate(signer)
        self.inflationLimit = inflationLimit
    }

    public func open(_ compact: String, at time: Date = Date()) throws -> Data {
        try opened(compact, at: time).payload
    }

    /// The payload and, for people, who signed it: the certificate's common name when
    /// checked by certificate.
    public func opened(_ compact: String, at time: Date = Date()) throws -> (payload: Data, signer: String) {
        let opened = try openedWithType(compact, at: time)
        return (opened.payload, opened.signer)
    }

    /// The same, with the inner JWS's `typ`: what the signer says this is.
    public func openedWithType(_ compact: String, at time: Date = Date()) throws -> (payload: Data, signer: String, type: String?) {
        let (_, plaintext) = try GMJOSE.decrypt(compact.trimmingWhitespace(), with: key, inflationLimit: inflationLimit)
        guard let inner = String(validating: plaintext, as: UTF8.self) else { throw JOSEError.malformed("the content is not a JWS") }
        switch signer {
        case .key(let key):
            let verified = try GMJOSE.verify(inner, with: key)
            return (verified.payload, "an SM2 key", verified.header["typ"] as? String)
        case .certificate(let check):
            let certificate = try check.signer(of: inner, at: time)
            let verified = try GMJOSE.verify(inner, with: certificate.publicKey)
            return (verified.payload, certificate.commonName, verified.header["typ"] as? String)
        }
    }
}
