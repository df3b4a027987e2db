import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking

/// `sluice mask`: shows an admin, before an agreement is applied, exactly what the
/// consumer would receive from a sample file. No network, nothing stored.
struct MaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mask",
        abstract: "Preview an agreement's filtering and masking on a sample file.",
        discussion: """
            Writes the masked records (NDJSON unless --output-format says otherwise) to \
            --output or standard output, and a summary to standard error. Exit 2 when the \
            input cannot be read, a record fails validation, or an unlisted field is \
            rejected; with --output nothing is written then.
            """
    )

    @Option(help: "An agreement file, or the id of an agreement in --dir.")
    var agreement: String

    @Option(help: "The sample file.")
    var input: String

    @Option(help: "Input format: csv, ndjson or json (default: from the file extension).")
    var format: RecordFormat?

    @Option(name: .customLong("output-format"), help: "Output format: ndjson (default), json or csv.")
    var outputFormat: RecordFormat = .ndjson

    @Option(help: "Where to write the masked records (default: standard output).")
    var output: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var folder: AgreementFolderOptions
    @OptionGroup var data: DataDirectoryOptions

    func run() throws {
        let agreement = try resolveAgreement()
        let inputFormat = try format ?? Self.format(ofFile: input)
        let (pseudonymizer, keyNote) = try pseudonymizer(for: agreement)
        if let keyNote { StandardError.print("sluice: " + keyNote) }

        let sink = try RecordSink(path: output)
        var masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: .today())
        var encoder = RecordEncoder(
            format: outputFormat, columns: agreement.fields.filter { $0.mask != .suppress }.map(\.name))
        var decoder = inputFormat.decoder()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        encoder.begin(into: &buffer)
        do {
            try ChunkedFile.read(input) { chunk in
                for record in try decoder.feed(chunk) {
                    if let masked = masker.mask(record) { encoder.append(masked, into: &buffer) }
                }
                if buffer.count >= 1 << 20 { try sink.write(&buffer) }
            }
            for record in try decoder.finish() {
                if let masked = masker.mask(record) { encoder.append(masked, into: &buffer) }
            }
        } catch let error as RecordFormatError {
            sink.discard()
            throw CommandFailure.input("\(input): \(error.description)")
        }
        encoder.end(into: &buffer)
        try sink.write(&buffer)

        let summary = masker.summary
        if json {
            try JSONOutput.print(MaskingReport(summary), to: .standardError)
        } else {
            StandardError.print(MaskingReport.text(summary, agreement: agreement))
        }
        guard summary.isClean else {
            sink.discard()
            throw CommandFailure(message: "", exitCode: 2)
        }
        try sink.commit()
    }

    private func resolveAgreement() throws -> Agreement {
        if FileManager.default.fileExists(atPath: agreement) {
            let catalog = AgreementCatalog.load(paths: [agreement], registryPath: folder.registry)
            guard catalog.diagnostics.isEmpty, let found = catalog.agreements.first else {
                for problem in catalog.diagnostics { StandardError.print(problem.description) }
                throw CommandFailure.input("\(agreement) is not a valid agreement")
            }
            return found.agreement
        }
        let catalog = folder.load()
        guard let found = catalog.agreement(agreement) else {
            var message = "\(agreement) is neither a file nor the id of a valid agreement in \(folder.directory)"
            if let hint = NearestName.suggestion(for: agreement, among: catalog.agreements.map(\.agreement.id)) {
                message += "; did you mean \"\(hint)\"?"
            }
            throw CommandFailure.input(message)
        }
        return found.agreement
    }

    /// The gateway's own pseudonym key when this machine holds one, so the preview shows
    /// the pseudonyms the consumer would get; a throw-away key otherwise.
    private func pseudonymizer(for agreement: Agreement) throws -> (AgreementPseudonymizer, String?) {
        let path = PseudonymSecret.path(inDataDirectory: try data.resolved())
        do {
            let secret = try PseudonymSecret.read(from: path)
            return (AgreementPseudonymizer(secret: secret, agreementID: agreement.id), nil)
        } catch .missing {
            return (
                AgreementPseudonymizer(secret: .random(), agreementID: agreement.id),
                "no pseudonym secret at \(path) (run `sluice init`); hash masks use a throw-away key for this preview"
            )
        } catch {
            throw CommandFailure.input(error.description)
        }
    }

    static func format(ofFile path: String) throws -> RecordFormat {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "ndjson", "jsonl": return .ndjson
        case "json": return .json
        default: throw CommandFailure.input("cannot tell the format of \(path) from its name; pass --format csv|ndjson|json")
        }
    }
}

extension RecordFormat: ExpressibleByArgument {}

/// Crypto and masking do not import each other; the tool joins them.
extension AgreementPseudonymizer: Pseudonymizer {}

extension CalendarDate {
    /// Today in the machine's time zone.
    static func today() -> CalendarDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
