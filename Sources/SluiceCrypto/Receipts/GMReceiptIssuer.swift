import Foundation

/// Signs receipts for `gm` agreements: the same receipt as ``ReceiptIssuer``'s, as a JWS
/// signed `SM2-SM3` with the gateway's SM2 key, `typ` `sluice-receipt+jws`.
public struct GMReceiptIssuer: Sendable {
    public let signingKey: SM2Key

    public init(signingKey: SM2Key) throws(GMError) {
        guard signingKey.isPrivate else { throw .invalidKey("the gateway's SM2 signing key must be a private key") }
        self.signingKey = signingKey
    }

    public func issue(_ receipt: Receipt) throws -> String {
        try GMJOSE.sign(Data(receipt.encoded()), with: signingKey, extraHeader: ["typ": ReceiptIssuer.type])
    }

    public func issue(_ receipt: DataRequestReceipt) throws -> String {
        try GMJOSE.sign(Data(receipt.encoded()), with: signingKey, extraHeader: ["typ": DataRequestReceipt.type])
    }
}
