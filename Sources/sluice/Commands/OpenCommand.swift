import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto

/// `sluice open`: verify and decrypt an envelope. Exit 1 when it is forged, altered,
/// signed by someone untrusted or not for this key; 2 when it cannot be read at all.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Verify and decrypt a sealed envelope; print its header and write its records."
    )

    @Argument(help: "The envelope file.")
    var file: String
    @Option(help: "Your private key (PEM, mode 0600).")
    var key: String
    @OptionGroup var trust: TrustOptions
    @Option(help: "Where to write the records as NDJSON (default: standard output).")
    var output: String?
    @Option(name: .customLong("max-payload-bytes"), help: "Refuse a compressed envelope that inflates beyond this.")
    var maxPayloadBytes = CompactJWE.defaultInflationLimit

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file), let compact = String(data: data, encoding: .utf8) else {
            throw CommandFailure.input("\(file) cannot be read")
        }
        if let output { try OutputFile.checkWritable(output) }
        let opened: (payload: Data, signer: String, type: String?)
        do {
            opened = GMJOSE.isGM(compact) ? try openGM(compact) : try await openJOSE(compact)
        } catch let error as JOSEError {
            throw CommandFailure(refusing: file, because: error)
        }
        if let type = opened.type, type != EnvelopeSealer.payloadType {
            try writeRequestDocument(opened.payload, type: type, signer: opened.signer)
            return
        }
        let payload: PackagePayload
        do { payload = try PackagePayload(decoding: Array(opened.payload)) } catch {
            throw CommandFailure.checkFailed("\(file): the signed content is not a Sluice package: \(error.description)")
        }
        let header = payload.header
        StandardError.print(
            """
            package    \(header.packageID)
            agreement  \(header.agreementID)\(header.agreementVersion.map { " version \($0)" } ?? " (no version number: sealed from the agreement file)")
            from       \(header.provider) to \(header.consumer)
            sealed at  \(header.createdAt), signed by \(opened.signer)
            fields     \(header.fields.joined(separator: ", "))
            records    \(payload.records.count)
            """)
        var bytes: [UInt8] = []
        for record in payload.records {
            JSONWriter.append(record, to: &bytes)
            bytes.append(0x0A)
        }
        if let output {
            try OutputFile.write(bytes, to: output, ownerOnly: true)
        } else {
            // Records are data: byte for byte into a pipe or a file, escaped on a terminal.
            if TerminalText.standardOutputIsTerminal {
                FileHandle.standardOutput.write(Data(TerminalText.jsonSafe(String(decoding: bytes, as: UTF8.self)).utf8))
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        }
    }

    /// A request's subjects (sealed to its provider) or a decline note (to its consumer):
    /// what it is on standard error, the subjects one JSON object per line (or the note as
    /// JSON) on standard output or in `--output`.
    private func writeRequestDocument(_ payload: Data, type: String, signer: String) throws {
        guard type == "sluice-request+jws" || type == "sluice-request-note+jws",
            let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any], let requestID = object["request_id"] as? String
        else { throw CommandFailure.checkFailed("\(file): the signed content is not a Sluice package or request (its type is \(type))") }
        var bytes: [UInt8] = []
        if type == "sluice-request+jws" {
            let subjects = object["subjects"] as? [[String: Any]] ?? []
            StandardError.print(
                """
                request    \(requestID) under \(object["agreement_id"] as? String ?? "?"), from \(object["consumer"] as? String ?? "?")
                case       \(object["case_number"] as? String ?? "-"), purpose \(object["purpose"] as? String ?? "?"), officer \(object["officer"] as? String ?? "?")
                answer by  \(object["deadline"] as? String ?? "?"), signed by \(signer)
                subjects   \(subjects.count)
                """)
            for subject in subjects {
                bytes += Array(try JSONSerialization.data(withJSONObject: subject, options: [.sortedKeys, .withoutEscapingSlashes]))
                bytes.append(0x0A)
            }
        } else {
            StandardError.print("decline note on request \(requestID), signed by \(signer)")
            bytes = Array(payload) + [0x0A]
        }
        if let output {
            try OutputFile.write(bytes, to: output, ownerOnly: true)
        } else if TerminalText.standardOutputIsTerminal {
            FileHandle.standardOutput.write(Data(TerminalText.jsonSafe(String(decoding: bytes, as: UTF8.self)).utf8))
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    private func openJOSE(_ compact: String) async throws -> (payload: Data, signer: String, type: String?) {
        let signers = try trust.signerCheck()
        let opener: EnvelopeOpener
        do {
            opener = EnvelopeOpener(
                key: try DecryptionKey(file: PrivateKeyFile(path: key)), trustAnchors: signers.trustAnchors, signers: signers.signers,
                inflationLimit: maxPayloadBytes)
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
        let opened = try await opener.open(compact)
        return (opened.payload, String(describing: opened.signer.subject), opened.type)
    }

    /// A `gm` envelope: an SM2 `--key`, the gateway's SM2 signing certificates as
    /// `--expect-signer` (its JWS names its signer by key id only), SM2 CAs in `--trust`.
    private func openGM(_ compact: String) throws -> (payload: Data, signer: String, type: String?) {
        let signers = try trust.gmSignerCheck(for: "\(file) (a gm envelope)")
        let decryption: SM2Key
        do {
            decryption = try SM2Key(pem: String(decoding: try OwnerOnlyFile(path: key).read(), as: UTF8.self))
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
        let opened = try GMEnvelopeOpener(key: decryption, signer: signers, inflationLimit: maxPayloadBytes).openedWithType(compact)
        return (opened.payload, "\(opened.signer) (SM2)", opened.type)
    }
}
