import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceClient
import SluiceCore
import SluiceGateway
import SluiceStore

/// `sluice keys …`: the gateway's own keys.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Rotate the gateway's signing or checkpoint key.", subcommands: [KeysRotateCommand.self])
}

/// `sluice keys rotate`.
struct KeysRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Replace the signing key (envelopes, receipts) or the audit checkpoint key.",
        discussion: """
            The rotation is an audit entry. A new checkpoint key keeps the log's name; the \
            checkpoint holding the rotation is signed by both keys, and the verifier file \
            (Certs/audit-checkpoint.vkey) lists the new key first and keeps the old. The \
            gateway makes its new signing key itself; no private key is ever sent to it. A \
            development gateway certifies it with its CA at once. Otherwise the first run \
            keeps the key pending and prints a certificate signing request (--csr FILE to \
            write it) for your CA; a second run with --new-cert puts the key into service. \
            The old key signs a statement naming the new one, \
            and the old certificate is kept under Certs/retired/. Receipts and checkpoints \
            signed before still verify. Through --gateway the running gateway switches at \
            once; on the local data directory, a running gateway switches at its next start.
            """)

    enum Which: String, ExpressibleByArgument, CaseIterable { case signing, checkpoint }

    @Option(help: "Which key: signing or checkpoint.") var what: Which
    @Option(
        name: .customLong("new-cert"),
        help: "The certificate chain (PEM) your CA issued for the pending key's signing request.") var newCert: String?
    @Option(name: .customLong("csr"), help: "Where to write the certificate signing request of a pending signing key.")
    var csrFile: String?
    @Option(name: .customLong("config"), help: "Gateway configuration file, for key paths when working locally.")
    var configurationFile = GatewayConfigurationLoader.fileName
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        guard what == .signing || newCert == nil else { throw CommandFailure.input("--new-cert is for the signing key") }
        if let csrFile { try OutputFile.checkWritable(csrFile) }
        func read(_ path: String?) throws -> String? {
            guard let path else { return nil }
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw CommandFailure.input("cannot read \(path)")
            }
            return text
        }
        let certPEM = try read(newCert)
        let answer = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                APIDocument.KeyRotation.self,
                remote: { client in
                    try await client.post(
                        "/v1/admin/keys/rotate",
                        body: try APIDocument.encoded(APIDocument.KeyRotationRequest(what: what.rawValue, certificate: certPEM)))
                },
                local: { trail in
                    var configuration: GatewayConfiguration
                    do { configuration = try GatewayConfigurationLoader().load(file: configurationFile) } catch {
                        throw CommandFailure.input("fix \(configurationFile): \(error)")
                    }
                    configuration.dataDirectory = try trailOptions.data.resolved()
                    configuration.certsDirectory = trailOptions.certsDirectory
                    let rotation = KeyRotation(configuration: configuration, trail: trail, by: Attribution(actor: AuditTrailOptions.localActor))
                    switch what {
                    case .checkpoint: return APIDocument.KeyRotation(try rotation.rotateCheckpointKey())
                    case .signing: return APIDocument.KeyRotation(try rotation.rotateSigningKey(newChainPEM: certPEM))
                    }
                })
        }
        if let request = answer.certificateRequest, let csrFile { try OutputFile.write(Array(request.utf8), to: csrFile) }
        if json { return try JSONOutput.print(answer) }
        if let request = answer.certificateRequest {
            StandardError.print(
                "sluice: the new signing key \(answer.newKeyID) is pending: have your CA issue a document-signing certificate "
                    + "for this request, then run `sluice keys rotate --what signing --new-cert FILE`")
            if csrFile == nil { print(request, terminator: "") }
            return
        }
        print("rotated the \(answer.what) key: \(answer.oldKeyID) → \(answer.newKeyID)")
        print(
            "the rotation is audited; checkpoint of \(answer.checkpointSize) entries signed" + (answer.what == "checkpoint" ? " by both keys" : ""))
        if answer.statement != nil { print("the old key signed a statement naming the new one (in the API answer and --json)") }
        if !access.access.isRemote() {
            StandardError.print("sluice: a gateway already running takes the new key at its next start; rotate with --gateway to switch it at once")
        }
    }
}
