import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceClient
import SluiceCore
import SluiceStore

/// What suspend, activate and revoke share: an agreement id, a reason for the trail,
/// and one state change through the API or on the local registry.
struct AgreementStateOptions: ParsableArguments {
    @Argument(help: "Agreement id.") var agreementID: String
    @Option(help: "Why, for the audit trail (required).") var reason: String
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func change(to status: AgreementStatus, verb: String) async throws {
        let change = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                APIDocument.StateChange.self,
                remote: { client in
                    try await client.post(
                        "/v1/admin/agreements/\(GatewayClient.segment(agreementID))/\(verb)",
                        body: try APIDocument.encoded(APIDocument.Reason(reason: reason)))
                },
                local: { trail in
                    APIDocument.StateChange(
                        try AgreementLifecycle(trail: trail, by: Attribution(actor: AuditTrailOptions.localActor)).change(
                            agreementID, to: status, reason: reason))
                })
        }
        if json {
            try JSONOutput.print(change)
        } else {
            print("\(change.agreementID) is now \(change.status) (by \(change.changedBy) at \(change.changedAt))")
        }
    }
}

/// `sluice agreement suspend`.
struct AgreementSuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Stop an active agreement from carrying packages until it is activated again.")
    @OptionGroup var options: AgreementStateOptions
    func run() async throws { try await options.change(to: .suspended, verb: "suspend") }
}

/// `sluice agreement activate`.
struct AgreementActivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate", abstract: "Let a draft or suspended agreement carry packages (within its validity window).")
    @OptionGroup var options: AgreementStateOptions
    func run() async throws { try await options.change(to: .active, verb: "activate") }
}

/// `sluice agreement revoke`.
struct AgreementRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "End an agreement for good: it refuses packages forever and takes no new version.")
    @OptionGroup var options: AgreementStateOptions
    func run() async throws { try await options.change(to: .revoked, verb: "revoke") }
}

/// `sluice agreement history`: every version and every state change of an agreement.
struct AgreementHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List an agreement's versions and state changes.")

    @Argument(help: "Agreement id.") var agreementID: String
    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        let id = agreementID
        let history = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                APIDocument.AgreementHistory.self,
                remote: { try await $0.get("/v1/admin/agreements/\(GatewayClient.segment(id))/history") },
                local: { trail in
                    try trail.store.read { store in
                        let store = store.agreements
                        let versions = try store.versions(of: id)
                        guard !versions.isEmpty else { throw AdministrationError.unknownAgreement(id) }
                        return APIDocument.AgreementHistory(id, versions: versions, changes: try store.stateChanges(of: id))
                    }
                })
        }
        if json { return try JSONOutput.print(history) }
        var versions = TextTable("VERSION", "APPLIED AT", "APPLIED BY", "SHA-256")
        for version in history.versions {
            versions.append(
                String(version.version), version.appliedAt, Self.person(version.appliedBy, version.appliedByCertificate),
                String(version.documentSHA256.prefix(16)) + "…")
        }
        print(versions.render())
        print("")
        var states = TextTable("STATUS", "CHANGED AT", "CHANGED BY", "REASON")
        for state in history.states {
            states.append(state.status, state.changedAt, Self.person(state.changedBy, state.changedByCertificate), state.reason ?? "-")
        }
        print(states.render())
    }

    /// Who, with the start of the certificate's fingerprint when it came through the API.
    static func person(_ id: String, _ certificate: String?) -> String {
        certificate.map { "\(id) (sha256:\($0.prefix(12))…)" } ?? id
    }
}

/// `sluice agreement diff`: what changed between two stored versions.
struct AgreementDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Show the difference between two stored versions of an agreement.")

    @Argument(help: "Agreement id.") var agreementID: String
    @Argument(help: "The older version.") var from: Int
    @Argument(help: "The newer version.") var to: Int
    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        let id = agreementID
        let documents = try await AdminConnection.with(access.access, trailOptions) { connection in
            var documents: [APIDocument.AgreementVersion] = []
            for number in [from, to] {
                documents.append(
                    try await connection.decoded(
                        APIDocument.AgreementVersion.self,
                        remote: { try await $0.get("/v1/admin/agreements/\(GatewayClient.segment(id))/versions/\(number)") },
                        local: { trail in
                            guard let version = try trail.store.read({ store in try store.agreements.version(number, of: id) }) else {
                                throw AdministrationError.invalidInput(
                                    "agreement \(id) has no version \(number) (see `sluice agreement history \(id)`)")
                            }
                            return APIDocument.AgreementVersion(version)
                        }))
            }
            return documents
        }
        let diff = LineDiff(from: documents[0].document, to: documents[1].document)
            .unified(oldName: "\(id) version \(from)", newName: "\(id) version \(to)")
        print(diff.isEmpty ? "versions \(from) and \(to) of \(id) have the same text" : diff, terminator: diff.isEmpty ? "\n" : "")
    }
}
