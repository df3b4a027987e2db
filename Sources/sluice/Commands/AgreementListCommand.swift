import ArgumentParser
import SluiceCore

/// `sluice agreement list`: one line per valid agreement in the folder.
struct AgreementListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agreements in the agreements folder."
    )

    @OptionGroup var folder: AgreementFolderOptions

    @Flag(help: "Print the agreements as JSON.")
    var json = false

    func run() throws {
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
}
