import ArgumentParser
import Crypto
import Foundation
import SluiceCore
import SluiceCrypto

/// `sluice receipt …`: what a provider does with the receipts it keeps.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "Check receipts the gateway issued.", subcommands: [ReceiptVerifyCommand.self])
}

/// `sluice receipt verify FILE`: offline proof that the gateway signed this receipt and,
/// with `--body`, that it is the receipt for exactly that file. Exit 1 when it is not.
struct ReceiptVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify a receipt offline.")

    @Argument(help: "The receipt file (a JWS).")
    var file: String
    @OptionGroup var trust: TrustOptions
    @Option(help: "The file that was submitted; its SHA-256 must match the receipt's.")
    var body: String?
    @Flag(help: "Print the receipt as JSON.")
    var json = false

    func run() async throws {
        guard let text = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw CommandFailure.input("\(file) cannot be read")
        }
        let receipt: Receipt
        do {
            receipt = try await ReceiptVerifier(signers: try trust.signerCheck()).verify(text).receipt
        } catch let error as JOSEError {
            throw CommandFailure(refusing: file, because: error)
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
            print("valid receipt for package \(receipt.packageID): \(counted(receipt.recordsAccepted, "record")) accepted under \(receipt.agreementID)"
                + (receipt.auditEntryIndex.map { ", audit entry \($0)" } ?? "") + (body == nil ? "" : "; body matches"))
        }
    }
}
