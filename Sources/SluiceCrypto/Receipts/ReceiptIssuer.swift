import Foundation
import SluiceCore
import X509

/// Signs receipts as JWS with the gateway's key, `typ` `sluice-receipt+jws`.
public struct ReceiptIssuer: Sendable {
    public let signingKey: SigningKey
    public let chain: [Certificate]
    private let encodedHeader: String
    private let requestHeader: String
    public static let type = "sluice-receipt+jws"

    public init(signingKey: SigningKey, chain: [Certificate]) throws {
        guard let leaf = chain.first, leaf.publicKey == signingKey.publicKey else {
            throw JOSEError.unsupportedKey("the signing certificate does not hold the signing key's public key")
        }
        self.signingKey = signingKey
        self.chain = chain
        encodedHeader = try CompactJWS.encodedHeader(for: signingKey, naming: leaf, extraHeader: ["typ": Self.type])
        requestHeader = try CompactJWS.encodedHeader(for: signingKey, naming: leaf, extraHeader: ["typ": DataRequestReceipt.type])
    }

    public func issue(_ receipt: Receipt) throws -> String {
        try CompactJWS.sign(Data(receipt.encoded()), with: signingKey, encodedHeader: encodedHeader)
    }

    public func issue(_ receipt: DataRequestReceipt) throws -> String {
        try CompactJWS.sign(Data(receipt.encoded()), with: signingKey, encodedHeader: requestHeader)
    }
}
