import ArgumentParser
import SluiceCrypto
import X509

/// `--trust` and `--expect-signer`: whom a partner believes when it checks something the
/// gateway signed (an envelope, a receipt).
struct TrustOptions: ParsableArguments {
    @Option(help: "Trust anchors for the gateway's signing certificate (PEM, one or more certificates).")
    var trust: String

    @Option(name: .customLong("expect-signer"), help: "The gateway certificate it must be signed with (PEM).")
    var expectSigner: String?

    func signerCheck() throws -> SignerCheck {
        do {
            return SignerCheck(
                trustAnchors: try CertificateFile.read(trust), expectedSigner: try expectSigner.map { try CertificateFile.read($0)[0] })
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
    }
}

extension CommandFailure {
    /// The design's exit codes for a signed object that was refused: 2 when it cannot
    /// even be read, 1 when it was read and found forged, altered, untrusted or not ours.
    init(refusing file: String, because error: JOSEError) {
        if case .malformed = error {
            self = .input("\(file): \(error.description)")
        } else {
            self = .checkFailed("\(file): \(error.description)")
        }
    }
}
