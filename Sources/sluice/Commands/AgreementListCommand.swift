import ArgumentParser
import SluiceAPI
import SluiceClient
import SluiceCore
import SluiceStore

/// `sluice agreement list`: one line per valid agreement in the folder, or, with
/// `--applied`, per agreement in the gateway's registry with the version in force.
struct AgreementListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agreements in the agreements folder, or (--applied) in the gateway's registry."
    )

    @OptionGroup var folder: AgreementFolderOptions

    @Flag(help: "List what the gateway has applied: each agreement's current version and status (locally, or with --gateway through the API).")
    var applied = false

    @Flag(help: "Print the agreements as JSON.")
    var json = false

    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        if applied || access.access.isRemote() { return try await listApplied() }
        let catalog = folder.load()
        let agreements = catalog.agreements.map(\.agreement).sorted { $0.id < $1.id }
        if json {
            try JSONOutput.print(agreements)
        } else if agreements.isEmpty {
            print("No valid agreements in \(folder.directory).")
        } else {
            var table = TextTable("ID", "TITLE", "PROVIDER → CONSUMER", "STATUS", "VALID", "FIELDS")
            for agreement in agreements {
                table.append(
                    agreement.id, agreement.title, "\(agreement.provider) → \(agreement.consumer)",
                    agreement.status.rawValue, "\(agreement.validFrom) – \(agreement.validUntil)",
                    String(agreement.fields.count))
            }
            print(table.render())
        }
        if !catalog.diagnostics.isEmpty {
            let files = Set(catalog.diagnostics.map(\.location.file)).count
            StandardError.print(
                "sluice: \(files) file\(files == 1 ? " has" : "s have") problems and \(files == 1 ? "is" : "are") not listed; "
                    + "run `sluice agreement validate \(folder.directory)`")
        }
    }

    private func listApplied() async throws {
        struct Page: Codable { var agreements: [APIDocument.RegistryAgreement] }
        let page = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                Page.self, remote: { try await $0.get("/v1/admin/agreements") },
                local: { trail in APIDocument.RegistryAgreementList(try trail.store.read { store in try store.registry() }) })
        }
        if json { return try JSONOutput.print(page) }
        guard !page.agreements.isEmpty else {
            return print("The gateway's registry holds no agreement yet (apply one with `sluice agreement apply FILE`).")
        }
        var table = TextTable("ID", "VERSION", "STATUS", "TITLE", "PROVIDER → CONSUMER", "VALID")
        for agreement in page.agreements {
            table.append(
                agreement.id, String(agreement.version), agreement.status, agreement.title, "\(agreement.provider) → \(agreement.consumer)",
                "\(agreement.validFrom) – \(agreement.validUntil)")
        }
        print(table.render())
    }
}
