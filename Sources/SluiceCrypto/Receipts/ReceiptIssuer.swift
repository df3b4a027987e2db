import Foundation
import SluiceCore
import X509

/// Signs receipts as JWS with the gateway's key, `typ` `sluice-receipt+jws`.
public struct ReceiptIssuer: Sendable {
    public let signingKey: SigningKey
    public let chain: [Certificate]
    private let encodedHeader: String
    public static let type = "sluice-receipt+jws"

    public init(signingKey: SigningKey, chain: [Certificate]) throws {
        self.signingKey = signingKey
        self.chain = chain
        encodedHeader = try CompactJWS.encodedHeader(for: signingKey, chain: chain, extraHeader: ["typ": Self.type])
    }

    public func issue(_ receipt: Receipt) throws -> String {
        try CompactJWS.sign(Data(receipt.encoded()), with: signingKey, encodedHeader: encodedHeader)
    }
}

/// Checks a receipt offline: a well-formed JWS of the receipt type, signed by a gateway
/// certificate that chains to the trust anchors.
public struct ReceiptVerifier: Sendable {
    public let signers: SignerCheck

    public init(signers: SignerCheck) {
        self.signers = signers
    }

    public func verify(_ compact: String, at time: Date = Date()) async throws -> (receipt: Receipt, signer: Certificate) {
        let jws = try CompactJWS(compact.trimmingWhitespace())
        guard jws.header["typ"] as? String == ReceiptIssuer.type else { throw JOSEError.malformed("this JWS is not a Sluice receipt") }
        let signer = try await signers.verify(jws, at: time)
        return (try Receipt(decoding: jws.payload), signer)
    }
}
