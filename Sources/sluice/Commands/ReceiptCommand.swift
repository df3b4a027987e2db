import ArgumentParser
import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto

/// `sluice receipt …`: what a provider does with the receipts it keeps.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "Check receipts the gateway issued.", subcommands: [ReceiptVerifyCommand.self])
}

/// `sluice receipt verify FILE`: offline proof that the gateway signed this receipt, that
/// its audit checkpoint is signed by the published checkpoint key and holds its entry,
/// and, with `--body`, that it is the receipt for exactly that file. Exit 1 when it is not.
struct ReceiptVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify a receipt offline.")

    @Argument(help: "The receipt file (a JWS).")
    var file: String
    @OptionGroup var trust: TrustOptions
    @Option(
        name: .customLong("checkpoint-key"),
        help: "The gateway's published checkpoint verifier key file (default: Certs/audit-checkpoint.vkey).")
    var checkpointKey = "Certs/audit-checkpoint.vkey"
    @Option(help: "The file that was submitted; its SHA-256 must match the receipt's.")
    var body: String?
    @Flag(help: "Print the receipt as JSON.")
    var json = false

    func run() async throws {
        guard let text = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw CommandFailure.input("\(file) cannot be read")
        }
        let keys: [NoteVerifierKey]
        do { keys = try CheckpointKeyFile.readVerifiers(at: checkpointKey) } catch {
            throw CommandFailure.input("\(error); give the gateway's published checkpoint key with --checkpoint-key")
        }
        if Self.isRequestReceipt(text) {
            try await verifyRequestReceipt(text, keys: keys)
            return
        }
        let receipt: Receipt
        do {
            receipt =
                GMJOSE.isGM(text)
                ? try GMReceiptVerifier(signer: try trust.gmSignerCheck(for: "\(file) (a gm receipt)"), checkpointKeys: keys).verify(text).receipt
                : try await ReceiptVerifier(signers: try trust.signerCheck(), checkpointKeys: keys).verify(text).receipt
        } catch let error as JOSEError {
            throw CommandFailure(refusing: file, because: error)
        } catch let error as ReceiptCheckpointError {
            throw CommandFailure.checkFailed("\(file): \(error.description)")
        }
        if let body {
            var hash = SHA256()
            try ChunkedFile.read(body) { hash.update(data: $0) }
            let digest = LowercaseHex.encode(hash.finalize())
            guard digest == receipt.bodySHA256 else {
                throw CommandFailure.checkFailed("\(body) is not the body this receipt was issued for (SHA-256 differs)")
            }
        }
        if json {
            FileHandle.standardOutput.write(Data(receipt.encoded() + [0x0A]))
        } else {
            print(
                "valid receipt for package \(receipt.packageID): \(counted(receipt.recordsAccepted, "record")) accepted under \(receipt.agreementID)"
                    + (receipt.auditEntryIndex.map { ", audit entry \($0)" } ?? "") + (body == nil ? "" : "; body matches"))
        }
    }

    /// A consumer's request receipt: the gateway's signature and the checkpoint holding the
    /// request's entry; a request's body is the document `request create` sent, so `--body`
    /// does not apply.
    private func verifyRequestReceipt(_ text: String, keys: [NoteVerifierKey]) async throws {
        guard body == nil else { throw CommandFailure.input("--body applies to package receipts; \(file) is a request receipt") }
        let receipt: DataRequestReceipt
        do {
            receipt =
                GMJOSE.isGM(text)
                ? try GMReceiptVerifier(signer: try trust.gmSignerCheck(for: "\(file) (a gm receipt)"), checkpointKeys: keys).verify(request: text)
                    .receipt
                : try await ReceiptVerifier(signers: try trust.signerCheck(), checkpointKeys: keys).verify(request: text).receipt
        } catch let error as JOSEError {
            throw CommandFailure(refusing: file, because: error)
        } catch let error as ReceiptCheckpointError {
            throw CommandFailure.checkFailed("\(file): \(error.description)")
        }
        if json {
            FileHandle.standardOutput.write(Data(receipt.encoded() + [0x0A]))
        } else {
            print(
                "valid receipt for request \(receipt.requestID): \(counted(receipt.subjects, "subject")) asked of \(receipt.provider) under \(receipt.agreementID), answer by \(receipt.deadline), audit entry \(receipt.auditEntryIndex)"
            )
        }
    }

    /// Whether the JWS's (unverified) header says it is a request receipt: which check to run.
    static func isRequestReceipt(_ text: String) -> Bool {
        guard let header = text.trimmingWhitespace().split(separator: ".", maxSplits: 1).first.flatMap({ Base64URL.decode(String($0)) }),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { return false }
        return object["typ"] as? String == DataRequestReceipt.type
    }
}
