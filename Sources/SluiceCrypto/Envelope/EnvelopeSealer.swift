import Foundation
import X509

/// Seals a package for its consumer: signs the payload as a JWS with the gateway's key
/// and certificate chain, then encrypts that JWS to the consumer's certificate key as a
/// JWE. Any JOSE library opens the result; no Sluice code is needed.
public struct EnvelopeSealer: Sendable {
    public let signingKey: SigningKey
    /// The gateway's certificate first, then any intermediates; the JWS names the first
    /// by `x5t#S256`, and partners fetch the chain (`GET /v1/signing-certificates`).
    public let chain: [Certificate]
    private let encodedHeader: String

    /// The JWE `cty` for a nested JWS in compact form (RFC 7515 §4.1.10).
    public static let nestedContentType = "JOSE"
    /// The JWS `typ` of a package payload.
    public static let payloadType = "sluice-package+jws"

    /// `type` is the JWS `typ`: a package's by default (a backup has its own).
    public init(signingKey: SigningKey, chain: [Certificate], type: String = payloadType) throws {
        guard let leaf = chain.first, leaf.publicKey == signingKey.publicKey else {
            throw JOSEError.unsupportedKey("the signing certificate does not hold the signing key's public key")
        }
        self.signingKey = signingKey
        self.chain = chain
        encodedHeader = try CompactJWS.encodedHeader(for: signingKey, naming: leaf, extraHeader: ["typ": type])
    }

    /// Payloads whose encoding is larger than this are deflated inside the JWE (`zip:
    /// DEF`): records compress well, and the envelope travels smaller.
    public static let compressionThreshold = 64 << 10

    /// Whether a payload of `count` bytes is deflated when sealed: the slower kind of
    /// sealing (DEFLATE runs at tens of MB/s), which a server may want off its request threads.
    public static func compresses(payloadBytes count: Int) -> Bool {
        Base64URL.encodedCount(count) > compressionThreshold
    }

    public func seal(_ payload: Data, for recipient: Certificate) throws -> String {
        try seal(payload, for: JWERecipient(recipient))
    }

    /// Seals for a recipient prepared once, for a caller that seals many packages to it.
    public func seal(_ payload: Data, for recipient: JWERecipient) throws -> String {
        try sealedParts(payload, for: recipient).compact
    }

    /// The same envelope in parts (``SealedEnvelope/compact`` is what ``seal(_:for:)``
    /// returns), for the gateway, which stores envelopes before they are served.
    public func sealedParts(_ payload: Data, for recipient: JWERecipient) throws -> SealedEnvelope {
        guard Self.compresses(payloadBytes: payload.count) else {
            let signed = try CompactJWS.signedBytes(payload, with: signingKey, encodedHeader: encodedHeader)
            return try CompactJWE.encryptedParts(signed, to: recipient, contentType: Self.nestedContentType)
        }
        var content = try deflatedJWS(of: payload)
        return try CompactJWE.encrypt(deflated: &content, to: recipient, contentType: Self.nestedContentType)
    }

    /// The JWS of a large payload, deflated as it is written: the payload is encoded a
    /// slice at a time, each slice hashed for the signature and deflated, so the JWS
    /// (4/3 of the payload) never exists whole. The bytes are those of
    /// ``CompactJWS/sign(_:with:encodedHeader:)``.
    private func deflatedJWS(of payload: Data) throws -> Data {
        let deflater = try DeflateStream(expectedInput: Base64URL.encodedCount(payload.count))
        var signingInput = JWSSigningInput(for: signingKey)
        func write(_ piece: UnsafeRawBufferPointer) throws {
            signingInput.update(piece)
            try deflater.append(piece)
        }
        try Array((encodedHeader + ".").utf8).withUnsafeBytes(write)
        // Slices of a multiple of 3 bytes encode to text that joins without padding.
        let slice = 48 << 10
        var encoded = [UInt8](repeating: 0, count: Base64URL.encodedCount(slice))
        try payload.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + slice)
                try encoded.withUnsafeMutableBytes { buffer in
                    let count = Base64URL.encode(UnsafeRawBufferPointer(rebasing: all[start..<end]), into: buffer)
                    try write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
                start = end
            }
        }
        try deflater.append(Array(("." + Base64URL.encode(try signingInput.signature(with: signingKey))).utf8))
        return try deflater.finish()
    }
}
