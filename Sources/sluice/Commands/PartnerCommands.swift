import ArgumentParser
import Foundation
import SluiceAPI
import SluiceClient
import SluiceCore

/// `sluice submit`: send a file of records to the gateway under an agreement.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a file of records under an agreement; saves the signed receipt.",
        discussion: "Exit 0 when accepted, 1 when the gateway refused it (the reason is printed) or cannot be reached, 2 on bad input here.")

    @OptionGroup var partner: PartnerOptions
    @Option(help: "Agreement id.") var agreement: String
    @Option(help: "The records: CSV, NDJSON or a JSON array.") var file: String
    @Option(help: "csv, ndjson or json (default: from the file name).") var format: RecordFormat?
    @Option(name: .customLong("idempotency-key"), help: "Repeat a submission safely: the same key and file return the same receipt.")
    var idempotencyKey: String?
    @Option(help: "Where to save the receipt (default: FILE.receipt.jws).") var receipt: String?

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw CommandFailure.input("cannot read \(file)") }
        let format = try format ?? MaskingRun.format(ofFile: file)
        let path = receipt ?? file + ".receipt.jws"
        try OutputFile.checkWritable(path)
        let client = try partner.client()
        let progress = ProgressLine(label: "sending")
        do {
            let result = try await client.submit(
                agreement: agreement, file: file, format: format, idempotencyKey: idempotencyKey,
                progress: { sent, total in progress.update(done: UInt64(sent), total: UInt64(total)) })
            progress.finish()
            await client.shutdown()
            do {
                try OutputFile.write((result.receipt + "\n").utf8, to: path)
            } catch let failure as CommandFailure {
                // Accepted all the same: say so, and whether the receipt can be had again.
                let again =
                    idempotencyKey == nil
                    ? "without an --idempotency-key, submitting again would make a second package"
                    : "submit again with the same --idempotency-key to get the receipt"
                throw CommandFailure.input("accepted as package \(result.packageID), but \(failure.message); \(again)")
            }
            print("\(result.repeated ? "already accepted" : "accepted"): package \(result.packageID); receipt saved to \(path)")
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            progress.finish()
            await client.shutdown()
            throw CommandFailure.gateway(error)
        }
    }
}

/// `sluice inbox`: the packages waiting for the calling agency.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inbox", abstract: "List the packages waiting for your agency.")

    @OptionGroup var partner: PartnerOptions
    @Option(help: "Continue after this cursor (from the previous page).") var cursor: String?
    @Option(help: "At most this many packages.") var limit = 100
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let client = try partner.client()
        let page: APIDocument.InboxPage
        do {
            page = try await client.inbox(cursor: cursor, limit: limit)
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw CommandFailure.gateway(error)
        }
        if json {
            // The page as the gateway sent it (`openapi.yaml`, InboxPage).
            try JSONOutput.print(page)
            return
        }
        var table = TextTable("PACKAGE", "AGREEMENT", "FROM", "RECORDS", "RECEIVED", "EXPIRES", "ANSWERS")
        for item in page.packages {
            table.append(
                item.packageID, item.agreementID, item.provider, String(item.records), item.createdAt, item.expiresAt, item.answersRequest ?? "-")
        }
        if !page.packages.isEmpty { print(table.render()) }
        var summary = counted(page.packages.count, "package") + " waiting"
        if let next = page.nextCursor { summary += "; more with --cursor \(next)" }
        StandardError.print(summary)
    }
}

/// `sluice fetch`: download a package's sealed envelope.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Download a package's sealed envelope (open it with `sluice open`).")

    @OptionGroup var partner: PartnerOptions
    @Argument(help: "Package id.") var packageID: String
    @Option(name: .shortAndLong, help: "Where to save it (default: PACKAGE_ID.jwe).") var output: String?

    func run() async throws {
        let path = output ?? packageID + ".jwe"
        try OutputFile.checkWritable(path)
        let client = try partner.client()
        do {
            let envelope = try await client.fetch(packageID: packageID)
            await client.shutdown()
            try OutputFile.write((envelope + "\n").utf8, to: path, ownerOnly: true)
            print("saved package \(packageID) to \(path)")
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            await client.shutdown()
            throw CommandFailure.gateway(error)
        }
    }
}

/// `sluice ack`: tell the gateway a package arrived.
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge that a package arrived.")

    @OptionGroup var partner: PartnerOptions
    @Argument(help: "Package id.") var packageID: String

    func run() async throws {
        let client = try partner.client()
        do {
            let first = try await client.acknowledge(packageID: packageID)
            await client.shutdown()
            print(first ? "acknowledged package \(packageID)" : "package \(packageID) was already acknowledged")
        } catch {
            await client.shutdown()
            throw CommandFailure.gateway(error)
        }
    }
}
