import Foundation

/// Whether `gm` packages may be sealed to an SM2 certificate: it chains to a trusted SM2
/// CA, is valid now, is not a CA, and its key usage allows encryption to it. The registry
/// applies it when a certificate is registered, `sluice seal` before it seals.
public struct GMRecipientCheck: Sendable {
    public let anchors: [SM2Certificate]

    public init(anchors: [SM2Certificate]) {
        self.anchors = anchors
    }

    /// Why packages may not be sealed to `certificate`, or nil.
    public func refusal(of certificate: SM2Certificate, at time: Date = Date()) -> String? {
        guard !anchors.isEmpty else { return "no SM2 CA is configured (gm.ca in sluice.yaml)" }
        do { try SM2ChainCheck(anchors: anchors).verify(certificate, at: time) } catch { return error.description }
        if certificate.isCertificateAuthority { return "it is a CA certificate, not an agency's" }
        if let usage = certificate.keyUsage, usage.isDisjoint(with: [.keyEncipherment, .dataEncipherment, .keyAgreement]) {
            return "its key usage does not allow encryption to it"
        }
        return nil
    }
}
