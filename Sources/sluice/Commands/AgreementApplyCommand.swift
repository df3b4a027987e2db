import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceClient
import SluiceCore
import SluiceStore

/// `sluice agreement apply`: store an agreement file as the agreement's next version,
/// after showing the diff against the current one.
struct AgreementApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Store an agreement file as a new immutable version, after showing the diff.",
        discussion: """
            The gateway uses the new version for every submission that starts after it is stored. \
            Applying a file whose terms equal the current version changes nothing. After the first \
            version, the file's status is not applied: use suspend, activate and revoke.
            """)

    @Argument(help: "The agreement's YAML file.") var file: String
    @Flag(help: "Apply without asking for confirmation (for scripts).") var yes = false
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure.input("cannot read \(file)") }
        guard let document = String(data: data, encoding: .utf8) else { throw CommandFailure.input("\(file) is not UTF-8 text") }
        try await AdminConnection.with(access.access, trailOptions) { connection in try await run(connection, data: data, document: document) }
    }

    private func run(_ connection: AdminConnection, data: Data, document: String) async throws {
        func apply(dryRun: Bool, expected: Int?) async throws -> APIDocument.AgreementApplication {
            try await connection.decoded(
                APIDocument.AgreementApplication.self,
                remote: {
                    try await $0.post("/v1/admin/agreements", query: Self.query(file, dryRun, expected), body: data, type: "application/yaml")
                },
                local: { trail in
                    APIDocument.AgreementApplication(
                        try AgreementLifecycle(trail: trail, by: Attribution(actor: AuditTrailOptions.localActor))
                            .apply(document: document, file: file, expectedVersion: expected, dryRun: dryRun))
                })
        }
        let preview = try await apply(dryRun: true, expected: nil)
        if preview.unchanged {
            if json {
                try JSONOutput.print(preview)
            } else {
                print("\(preview.agreementID): unchanged, the gateway already has these terms as version \(preview.version); nothing applied")
            }
            return
        }
        if !json {
            print(preview.diff, terminator: "")
            if let ignored = preview.fileStatusIgnored {
                print("note: the file says status: \(ignored); \(preview.agreementID) stays \(preview.status) (use suspend, activate or revoke)")
            }
        }
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CommandFailure.input("not applied: confirm at a terminal, or pass --yes")
            }
            StandardError.print("Apply this as version \(preview.version) of \(preview.agreementID)? [y/N] ", terminator: "")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                StandardError.print("not applied")
                return
            }
        }
        let applied = try await apply(dryRun: false, expected: preview.previousVersion ?? 0)
        if json {
            try JSONOutput.print(applied)
        } else {
            print("applied \(applied.agreementID) version \(applied.version) (\(applied.status))")
        }
    }

    static func query(_ file: String, _ dryRun: Bool, _ expected: Int?) -> [String: String] {
        var query = ["file": (file as NSString).lastPathComponent, "dry_run": dryRun ? "true" : "false"]
        if let expected { query["expected_version"] = String(expected) }
        return query
    }
}
