import ArgumentParser
import Foundation
import SluiceAudit
import SluiceCrypto
import SluiceGateway
import SluiceStore

/// Where the audit commands find the gateway's database and checkpoint keys, and how
/// they record their own reads: as the local user, at the gateway host's console.
struct AuditTrailOptions: ParsableArguments {
    @OptionGroup var data: DataDirectoryOptions

    @Option(name: .customLong("certs"), help: "Folder with the published checkpoint verifier key (audit-checkpoint.vkey).")
    var certsDirectory = "Certs"

    /// The local user, as audit entries name people at the gateway's own console.
    static var localActor: AuditActor {
        let environment = ProcessInfo.processInfo.environment
        let user = environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "uid-\(getuid())"
        return AuditActor(kind: .localAdmin, id: user)
    }

    /// `sluice.yaml` as the gateway on this host reads it, with this command's data and
    /// certs folders: the rules a local change follows are the running gateway's.
    func gatewayConfiguration() throws -> GatewayConfiguration {
        var configuration: GatewayConfiguration
        do { configuration = try GatewayConfigurationLoader().load() } catch {
            throw CommandFailure.input("fix \(GatewayConfigurationLoader.fileName): \(error)")
        }
        configuration.dataDirectory = try data.resolved()
        configuration.certsDirectory = certsDirectory
        return configuration
    }

    /// What the registry accepts, as the gateway on this host would.
    func enrolmentPolicy() throws -> EnrolmentPolicy {
        do { return try gatewayConfiguration().enrolmentPolicy() } catch let error as CertificateFileError {
            throw CommandFailure.input("\(error) (the agency CA, tls.client_ca in sluice.yaml; `sluice init` makes a development one)")
        }
    }

    func keyFile() throws -> CheckpointKeyFile {
        CheckpointKeyFile(dataDirectory: try data.resolved(), certsDirectory: certsDirectory)
    }

    func openStore() throws -> any GatewayStore {
        let configuration = try gatewayConfiguration()
        do {
            return try configuration.storeLocation().open()
        } catch {
            throw CommandFailure.input(error.description)
        }
    }

    /// The trail, able to record reads and sign checkpoints with the gateway's key.
    func openTrail() throws -> AuditTrail {
        let database = try openStore()
        do {
            let signer = try keyFile().readSigner()
            return AuditTrail(store: database, signer: signer, cosigner: try gatewayConfiguration().checkpointCosigner(name: signer.name))
        } catch let error as KeyFileError {
            throw CommandFailure.input(error.description + " (run `sluice init` to create the checkpoint key)")
        }
    }

    /// Records a read of the audit trail before it is served: no access without its entry.
    func recordRead(_ trail: AuditTrail, _ action: AuditAction, details: [String: AuditDetail] = [:]) throws {
        do {
            try trail.record(AuditEvent(actor: Self.localActor, action: action, outcome: .success, details: details))
        } catch {
            throw CommandFailure.input("cannot record this read in the audit trail, so it is not served: \(error)")
        }
    }

    /// The keys checkpoints must verify with: those given, else the published verifier
    /// keys in the certs folder (the current one and those it replaced), else the one
    /// derived from the gateway's private key.
    func verifierKeys(_ paths: [String]) throws -> [NoteVerifierKey] {
        do {
            if !paths.isEmpty { return try paths.flatMap(CheckpointKeyFile.readVerifiers(at:)) }
            let file = try keyFile()
            if FileManager.default.fileExists(atPath: file.verifierPath) {
                return try CheckpointKeyFile.readVerifiers(at: file.verifierPath)
            }
            return [try file.readSigner().verifier]
        } catch let error as KeyFileError {
            throw CommandFailure.input(error.description)
        }
    }
}
