import ArgumentParser
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// `sluice agency …`: the registered agencies and their certificates.
struct AgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency", abstract: "List agencies and revoke their certificates.",
        subcommands: [AgencyListCommand.self, AgencyRevokeCommand.self])

    /// Each registered agency with its certificate's fingerprint.
    static func registered(_ folder: AgreementFolderOptions, certs: String) throws -> [(agency: Agency, fingerprint: String?)] {
        let catalog = folder.load()
        guard let registry = catalog.registry else {
            throw CommandFailure.input("no agency registry in \(folder.directory) (agencies.yaml)")
        }
        return registry.agencies.map { agency in
            let certificate = try? CertificateFile.read(certs + "/" + agency.certificate).first
            return (agency, certificate.flatMap { try? CertificateFingerprint($0).description })
        }
    }
}

/// `sluice agency list`.
struct AgencyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The registered agencies, their roles and certificates.")

    @OptionGroup var folder: AgreementFolderOptions
    @OptionGroup var trail: AuditTrailOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws {
        let agencies = try AgencyCommand.registered(folder, certs: trail.certsDirectory)
        let revoked = try trail.openDatabase().read { db in try RevocationStore(db).all() }
        let revokedByFingerprint = Dictionary(revoked.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        if json {
            struct Item: Encodable {
                var id, name: String
                var roles: [String]
                var certificate: String
                var sha256: String?
                var revoked_at: String?
            }
            try JSONOutput.print(
                agencies.map {
                    Item(
                        id: $0.agency.id, name: $0.agency.name, roles: $0.agency.roles.map(\.rawValue), certificate: $0.agency.certificate,
                        sha256: $0.fingerprint, revoked_at: $0.fingerprint.flatMap { revokedByFingerprint[$0]?.revokedAt })
                })
            return
        }
        var table = TextTable("ID", "NAME", "ROLES", "CERTIFICATE SHA-256", "STATE")
        for (agency, fingerprint) in agencies {
            let state: String
            if let fingerprint, let revocation = revokedByFingerprint[fingerprint] {
                state = "revoked \(revocation.revokedAt)"
            } else {
                state = fingerprint == nil ? "no certificate" : "active"
            }
            table.append(agency.id, agency.name, agency.roles.map(\.rawValue).joined(separator: ","), fingerprint ?? "-", state)
        }
        print(table.render())
    }
}

/// `sluice agency revoke`: take an agency's certificate out of service, at once.
struct AgencyRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke an agency's certificate; the gateway refuses it from the next request on.",
        discussion: "Revocation cannot be undone: issue and register a new certificate instead.")

    @Argument(help: "Agency id.") var agencyID: String
    @Option(help: "SHA-256 fingerprint (hex) of the certificate to revoke, as `sluice agency list` shows it.") var cert: String
    @Option(help: "Why, for the audit trail.") var reason: String
    @OptionGroup var folder: AgreementFolderOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() throws {
        let fingerprint = cert.lowercased().replacingOccurrences(of: ":", with: "")
        guard fingerprint.count == 64, fingerprint.allSatisfy(\.isHexDigit) else {
            throw CommandFailure.input("--cert must be a SHA-256 fingerprint: 64 hex digits")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CommandFailure.input("--reason must say why") }
        let agencies = try AgencyCommand.registered(folder, certs: trailOptions.certsDirectory)
        guard let registered = agencies.first(where: { $0.agency.id == agencyID }) else {
            throw CommandFailure.input("no agency \(agencyID) in the registry")
        }
        guard registered.fingerprint == fingerprint else {
            throw CommandFailure.input("\(fingerprint) is not the fingerprint of \(agencyID)'s registered certificate (see `sluice agency list`)")
        }
        let trail = try trailOptions.openTrail()
        let actor = AuditTrailOptions.localActor
        let now = Date()
        let revoked = try trail.commit { transaction in
            let first = try RevocationStore(transaction.db).revoke(
                CertificateRevocation(
                    fingerprint: fingerprint, agencyID: agencyID, reason: reason, revokedAt: AuditTime.format(now), revokedBy: actor.id))
            try transaction.append(
                AuditEvent(
                    actor: actor, action: .agencyRevoked, outcome: first ? .success : .rejected,
                    reason: first ? reason : "already revoked", details: ["agency": .names([agencyID]), "certificate_sha256": .digest(fingerprint)]))
            return first
        }.value
        print(revoked ? "revoked \(agencyID)'s certificate \(fingerprint); the gateway refuses it from the next request" : "that certificate was already revoked")
    }
}
