import ArgumentParser
import Foundation
import SluiceCrypto
import X509

/// `--trust` and `--expect-signer`: whom a partner believes when it checks something the
/// gateway signed (an envelope, a receipt). Envelopes and receipts name their signing
/// certificate by thumbprint (`x5t#S256`, or an SM2 `kid`), so the partner holds the
/// gateway's signing certificates, current and retired: `sluice signing-certificates`
/// fetches them.
struct TrustOptions: ParsableArguments {
    @Option(help: "Trust anchors for the gateway's signing certificate (PEM, one or more certificates).")
    var trust: String

    @Option(
        name: .customLong("expect-signer"),
        help: "The gateway's signing certificates (PEM: current and retired, with any intermediate CAs); it must be signed by one of them.")
    var expectSigner: String?

    /// The check for the international profile.
    func signerCheck() throws -> SignerCheck {
        do {
            return SignerCheck(trustAnchors: try CertificateFile.read(trust), signers: try expectSigner.map { try CertificateFile.read($0) } ?? [])
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
    }

    /// The check for a `gm` envelope or receipt (`what`, for the message): SM2 CAs in
    /// `--trust`, the gateway's SM2 signing certificates in `--expect-signer`.
    func gmSignerCheck(for what: String) throws -> GMSignerCheck {
        guard let signerPath = expectSigner else {
            throw CommandFailure.input(
                "\(what): give the gateway's SM2 signing certificates with --expect-signer (sluice signing-certificates --profile gm, or Certs/gateway-signing-sm2.pem in development)"
            )
        }
        let anchors = try Self.sm2Certificates(in: trust)
        guard !anchors.isEmpty else {
            throw CommandFailure.input("\(trust) holds no SM2 CA certificate to check \(what)'s signer (Certs/dev-ca-sm2.pem in development)")
        }
        let signers = try Self.sm2Certificates(in: signerPath)
        guard !signers.isEmpty else { throw CommandFailure.input("\(signerPath) holds no SM2 certificate") }
        return GMSignerCheck(anchors: anchors, certificates: signers)
    }

    private static func sm2Certificates(in path: String) throws -> [SM2Certificate] {
        do {
            return SM2Certificate.pemBlocks(try String(contentsOfFile: path, encoding: .utf8)).compactMap { try? SM2Certificate(derEncoded: $0) }
        } catch {
            throw CommandFailure.input("\(path) cannot be read")
        }
    }
}

extension CommandFailure {
    /// The design's exit codes for a signed object that was refused: 2 when it cannot
    /// even be read, or the certificate to check it was not given; 1 when it was read and
    /// found forged, altered, untrusted or not ours.
    init(refusing file: String, because error: JOSEError) {
        switch error {
        case .malformed:
            self = .input("\(file): \(error.description)")
        case .signerNotGiven:
            self = .input(
                "\(file): \(error.description) with --expect-signer (sluice signing-certificates, or Certs/gateway-signing.pem in development)")
        default:
            self = .checkFailed("\(file): \(error.description)")
        }
    }
}
