import ArgumentParser
import SluiceCore

/// `sluice agreement show ID`: the whole agreement, its whitelist as a table.
struct AgreementShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one agreement: parties, purpose, legal basis, limits and field rules."
    )

    @Argument(help: "The agreement's id.")
    var id: String

    @OptionGroup var folder: AgreementFolderOptions

    @Flag(help: "Print the agreement as JSON.")
    var json = false

    func run() throws {
        let catalog = folder.load()
        guard let located = catalog.agreement(id) else {
            var message = "no valid agreement with id \"\(id)\" in \(folder.directory)"
            if let hint = NearestName.suggestion(for: id, among: catalog.agreements.map(\.agreement.id)) {
                message += "; did you mean \"\(hint)\"?"
            } else if !catalog.diagnostics.isEmpty {
                message += " (some files have problems: run `sluice agreement validate \(folder.directory)`)"
            }
            throw CommandFailure.input(message)
        }
        let agreement = located.agreement
        if json {
            try JSONOutput.print(agreement)
            return
        }
        let registry = catalog.registry
        func party(_ id: String) -> String {
            registry?.agency(id).map { "\(id) (\($0.name))" } ?? id
        }
        var summary = TextTable("", "")
        summary.headers = ["id", agreement.id]
        summary.append("title", agreement.title)
        summary.append("file", located.file)
        summary.append("provider", party(agreement.provider))
        summary.append("consumer", party(agreement.consumer))
        summary.append("purpose", agreement.purpose)
        summary.append("legal basis", agreement.legalBasis)
        summary.append("valid", "\(agreement.validFrom) – \(agreement.validUntil)")
        summary.append("status", agreement.status.rawValue)
        summary.append("unlisted fields", agreement.onUnlistedField.rawValue)
        summary.append("crypto profile", agreement.cryptoProfile.rawValue)
        summary.append(
            "limits",
            "\(agreement.limits.maxRecords) records, \(agreement.limits.maxPackageBytes) bytes, "
                + "\(agreement.limits.ratePerMinute) per minute")
        summary.append("retention", "\(agreement.retentionDays) days")
        print(summary.render())
        print("")
        var fields = TextTable("FIELD", "TYPE", "REQUIRED", "MASK", "SCAN")
        for field in agreement.fields {
            fields.append(
                field.name.description, field.type.rawValue, field.required ? "yes" : "no", field.mask.summary,
                field.scan ? "yes" : "")
        }
        print(fields.render())
    }
}
