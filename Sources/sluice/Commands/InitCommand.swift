import ArgumentParser
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceGateway
import SluiceStore

/// `sluice init`: the data directory plus development certificates, so one person can
/// run the gateway and its partners on one machine.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the data directory, a development CA and development certificates.",
        discussion: """
            Creates a development CA, the gateway's TLS and signing certificates, and one \
            client certificate per agency in the registry. Public certificates go to the \
            certs folder; private keys stay in the data directory with mode 0600. Existing \
            keys are never overwritten, so running init again is safe.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(name: .customLong("certs"), help: "Folder for public certificates.")
    var certsDirectory = "Certs"

    @Option(name: .customLong("agencies"), help: "Agency registry whose agencies get client certificates.")
    var registryPath = AgreementCatalog.defaultFolder + "/" + AgreementCatalog.registryFileName

    @Option(name: .customLong("log-name"), help: "The audit log's name (checkpoint origin); in production, the gateway's own name.")
    var logName = "sluice.localhost/audit"

    @Flag(
        help:
            "Also create the GM profile's SM2 CA, the gateway's SM2 signing certificate and an SM2 certificate per partner agency, and register those."
    )
    var gm = false

    @Flag(help: "Print what was done as JSON.")
    var json = false

    /// The store `sluice.yaml` (or `SLUICE_STORE_POSTGRES`) names, else the SQLite file in
    /// the data directory.
    private func storeLocation(dataDirectory: String) throws -> StoreLocation {
        var configuration: GatewayConfiguration
        do { configuration = try GatewayConfigurationLoader().load() } catch {
            throw CommandFailure.input("fix \(GatewayConfigurationLoader.fileName): \(error)")
        }
        configuration.dataDirectory = dataDirectory
        return try configuration.storeLocation()
    }

    func run() throws {
        let agencies = try loadAgencies()
        let dataDirectory = try data.resolved()
        let pki = DevelopmentPKI(dataDirectory: dataDirectory, certsDirectory: certsDirectory)
        var steps: [DevelopmentPKI.Step]
        do {
            steps = try pki.ensure(agencies: agencies)
            if gm { steps += try DevelopmentGMPKI(dataDirectory: dataDirectory, certsDirectory: certsDirectory).ensure(agencies: agencies) }
            let secretPath = PseudonymSecret.path(inDataDirectory: dataDirectory)
            let (_, created) = try PseudonymSecret.ensure(at: secretPath)
            steps.append(
                DevelopmentPKI.Step(
                    action: created ? .created : .kept, kind: "pseudonym secret", path: secretPath,
                    detail: created ? "256 bits, mode 600" : "never overwritten"))
            let checkpointKey = CheckpointKeyFile(dataDirectory: dataDirectory, certsDirectory: certsDirectory)
            let (signer, keyCreated) = try checkpointKey.ensure(name: logName)
            steps.append(
                DevelopmentPKI.Step(
                    action: keyCreated ? .created : .kept, kind: "audit checkpoint key", path: checkpointKey.privatePath,
                    detail: "Ed25519, log \"\(signer.name)\"; verifier key in \(checkpointKey.verifierPath)"))
            let location = try storeLocation(dataDirectory: dataDirectory)
            let databaseExisted = location.exists
            let database = try location.open(create: true)
            let kind: String
            switch location {
            case .sqlite: kind = "SQLite, WAL"
            case .postgres: kind = "PostgreSQL"
            }
            steps.append(
                DevelopmentPKI.Step(
                    action: databaseExisted ? .kept : .created, kind: "gateway database", path: location.description,
                    detail: databaseExisted ? "schema brought up to date" : "\(kind), audit tables append-only"))
            // The development layout's SM2 signing key, when there is one, co-signs as the gateway's does.
            var layout = GatewayConfiguration()
            layout.dataDirectory = dataDirectory
            layout.certsDirectory = certsDirectory
            let trail = AuditTrail(store: database, signer: signer, cosigner: try layout.checkpointCosigner(name: signer.name))
            steps += try fillRegistry(trail, databasePath: location.description)
            if gm { steps += try registerGMCertificates(trail, agencies: agencies, dataDirectory: dataDirectory) }
        } catch let error as StoreError {
            throw CommandFailure.input(error.description)
        } catch let error as NoteError {
            throw CommandFailure.input("--log-name: \(error)")
        } catch let error as KeyFileError {
            throw CommandFailure.input(error.description)
        } catch let error as DevelopmentPKIError {
            throw CommandFailure.input(error.description)
        } catch let error as GMError {
            throw CommandFailure.input(error.description)
        }
        if json {
            try JSONOutput.print(steps.map { ["action": $0.action.rawValue, "kind": $0.kind, "path": $0.path, "detail": $0.detail] })
            return
        }
        var table = TextTable("", "WHAT", "PATH", "")
        for step in steps {
            table.append(step.action.rawValue, step.kind, step.path, step.detail)
        }
        print(table.render())
        let created = steps.filter { $0.action != .kept }.count
        print("")
        print(
            created == 0
                ? "Nothing to do: every key and certificate was already in place."
                : "Created \(created), kept \(steps.count - created).")
        print("These are DEVELOPMENT certificates for one machine. In production, point the gateway at your real CA.")
    }

    /// A first init puts the example agencies and agreements into the gateway's registry,
    /// each audited as the local admin; later runs leave the registry to the admin commands.
    private func fillRegistry(_ trail: AuditTrail, databasePath: String) throws -> [DevelopmentPKI.Step] {
        guard FileManager.default.fileExists(atPath: registryPath) else { return [] }
        let folder = (registryPath as NSString).deletingLastPathComponent
        let catalog = AgreementCatalog.load(paths: [folder.isEmpty ? "." : folder], registryPath: registryPath)
        guard catalog.diagnostics.isEmpty else {
            StandardError.print(
                "sluice: the agreements beside \(registryPath) do not validate; the registry is left empty (run `sluice agreement validate`)")
            return []
        }
        do {
            var configuration = (try? GatewayConfigurationLoader().load()) ?? GatewayConfiguration()
            configuration.certsDirectory = certsDirectory
            configuration.clientCA = nil
            let outcome = try RegistryBootstrap(trail: trail, actor: AuditTrailOptions.localActor, policy: try configuration.enrolmentPolicy())
                .importIfEmpty(catalog, certsDirectory: certsDirectory)
            return [
                DevelopmentPKI.Step(
                    action: outcome.imported ? .created : .kept, kind: "registry", path: databasePath,
                    detail: outcome.imported
                        ? "\(outcome.agencies) agencies and \(outcome.agreements) agreements from \(folder.isEmpty ? "." : folder)"
                        : "already filled; change it with `sluice agreement apply` and `sluice agency add`")
            ]
        } catch {
            throw CommandFailure.input("cannot fill the registry from \(folder): \(error)")
        }
    }

    /// Registers each partner's development SM2 certificate where the registry has none
    /// for it, as the local admin: the certificate `gm` packages for it are sealed to.
    private func registerGMCertificates(_ trail: AuditTrail, agencies: [Agency], dataDirectory: String) throws -> [DevelopmentPKI.Step] {
        var configuration = (try? GatewayConfigurationLoader().load()) ?? GatewayConfiguration()
        configuration.certsDirectory = certsDirectory
        configuration.clientCA = nil
        configuration.gmCA = nil
        let enrolment = AgencyEnrolment(
            trail: trail, by: Attribution(actor: AuditTrailOptions.localActor), policy: try configuration.enrolmentPolicy())
        let pki = DevelopmentGMPKI(dataDirectory: dataDirectory, certsDirectory: certsDirectory)
        var steps: [DevelopmentPKI.Step] = []
        for agency in agencies where agency.roles.contains(.partner) {
            let registered = try trail.store.read { store in try store.agencies.agency(agency.id) }
            guard let registered, registered.currentGMCertificate == nil else { continue }
            let path = pki.agencyCertificatePath(agency)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let certificate = try SM2Certificate(pem: String(decoding: data, as: UTF8.self))
            do {
                let added = try trail.commit { transaction in
                    try enrolment.addGMCertificate(agencyID: agency.id, certificate: certificate, in: &transaction)
                }
                .value
                steps.append(
                    DevelopmentPKI.Step(
                        action: added.certificateAdded ? .created : .kept, kind: "registry: SM2 certificate of \(agency.id)", path: path,
                        detail: "gm packages for \(agency.id) are sealed to it"))
            } catch {
                throw CommandFailure.input("cannot register the SM2 certificate of \(agency.id): \(error)")
            }
        }
        return steps
    }

    private func loadAgencies() throws -> [Agency] {
        guard let contents = FileManager.default.contents(atPath: registryPath) else {
            StandardError.print(
                "sluice: no agency registry at \(registryPath); creating the CA and gateway certificates only "
                    + "(pass --agencies FILE for client certificates)")
            return []
        }
        do {
            return try AgencyRegistryDecoder().decode(String(decoding: contents, as: UTF8.self), file: registryPath)
                .agencies
        } catch {
            for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
            throw CommandFailure.input("fix the agency registry \(registryPath) and run init again")
        }
    }
}
