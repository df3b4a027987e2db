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

    public func sealedParts(_ payload: Data, for recipient: SM2Key) throws -> SealedEnvelope {
        let signed = try GMJOSE.sign(payload, with: signingKey, extraHeader: ["typ": EnvelopeSealer.payloadType])
        return try GMJOSE.encrypt(
            Data(signed.utf8), to: recipient, contentType: EnvelopeSealer.nestedContentType,
            compressed: EnvelopeSealer.compresses(payloadBytes: payload.count))
    }

    public func seal(_ payload: Data, for recipient: SM2Key) throws -> String {
        try sealedParts(payload, for: recipient).compact
    }
}

/// Opens a GM-profile package: decrypts with the consumer's SM2 key, then checks the inner
/// JWS against the gateway's SM2 signing key.
public struct GMEnvelopeOpener: Sendable {
    public let key: SM2Key
    public let signer: SM2Key
    public let inflationLimit: Int

    public init(key: SM2Key, signer: SM2Key, inflationLimit: Int = CompactJWE.defaultInflationLimit) {
        self.key = key
        self.signer = signer
        self.inflationLimit = inflationLimit
    }

    public func open(_ compact: String) throws -> Data {
        let (_, plaintext) = try GMJOSE.decrypt(compact.trimmingWhitespace(), with: key, inflationLimit: inflationLimit)
        guard let inner = String(validating: plaintext, as: UTF8.self) else { throw JOSEError.malformed("the content is not a JWS") }
        return try GMJOSE.verify(inner, with: signer).payload
    }
}
