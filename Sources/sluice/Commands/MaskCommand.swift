import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceGateway
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
        let agreement = try MaskingRun.agreement(self.agreement, folder: folder)
        let inputFormat = try format ?? MaskingRun.format(ofFile: input)
        let (pseudonymizer, keyNote) = try MaskingRun.pseudonymizer(for: agreement, dataDirectory: try data.resolved())
        if let keyNote { StandardError.print("sluice: " + keyNote) }

        let sink = try RecordSink(path: output)
        var encoder = RecordEncoder(
            format: outputFormat, columns: agreement.fields.filter { $0.mask != .suppress }.map(\.name))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        encoder.begin(into: &buffer)
        let summary: MaskingSummary
        do {
            summary = try MaskingRun(agreement: agreement, pseudonymizer: pseudonymizer).run(
                input: input, format: inputFormat, emit: { encoder.append($0, into: &buffer) },
                flush: { if buffer.count >= 1 << 20 { try sink.write(&buffer) } })
        } catch {
            sink.discard()
            throw error
        }
        encoder.end(into: &buffer)
        try sink.write(&buffer)

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
}

extension RecordFormat: ExpressibleByArgument {}
