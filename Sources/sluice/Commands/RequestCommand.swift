import ArgumentParser
import Foundation
import SluiceAPI
import SluiceClient
import SluiceCore

/// `sluice request …`: a consumer asks a provider for data about named subjects; the
/// provider lists, reads, answers or declines.
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Ask for data under an agreement's requests terms, and list, read, answer or decline requests.",
        subcommands: [
            RequestCreateCommand.self, RequestListCommand.self, RequestShowCommand.self, RequestAnswerCommand.self, RequestDeclineCommand.self,
        ])
}

/// Runs one call with the partner's client, shut down either way; gateway errors exit 1.
func withGateway<T>(_ partner: PartnerOptions, _ body: (GatewayClient) async throws -> T) async throws -> T {
    let client = try partner.client()
    do {
        let value = try await body(client)
        await client.shutdown()
        return value
    } catch {
        await client.shutdown()
        throw CommandFailure.gateway(error)
    }
}

struct RequestCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Ask the provider of an agreement about the subjects in a file; saves the signed request receipt.")

    @OptionGroup var partner: PartnerOptions
    @Option(help: "Agreement id.") var agreement: String
    @Option(name: .customLong("case"), help: "The case number.") var caseNumber: String?
    @Option(help: "One of the agreement's purposes.") var purpose: String
    @Option(help: "The requesting officer's name or staff number.") var officer: String
    @Option(help: "The subjects: a JSON array of objects keyed by the agreement's subject fields.") var subjects: String
    @Option(name: .customLong("idempotency-key"), help: "Repeat a request safely: the same key and subjects return the same request.")
    var idempotencyKey: String?
    @Option(help: "Where to save the receipt (default: REQUEST-ID.request.jws).") var receipt: String?

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: subjects),
            let list = try? JSONDecoder().decode([[String: String]].self, from: data)
        else {
            throw CommandFailure.input("\(subjects) must be a JSON array of objects whose values are strings, e.g. [{\"id_number\": \"…\"}]")
        }
        let body = try APIDocument.encoded(
            APIDocument.DataRequestCreation(caseNumber: caseNumber, purpose: purpose, officer: officer, subjects: list))
        let answer = try await withGateway(partner) { client in
            try client.decode(
                APIDocument.DataRequestReceipt.self,
                try await client.post("/v1/agreements/\(GatewayClient.segment(agreement))/requests", body: body, idempotencyKey: idempotencyKey))
        }
        let path = receipt ?? answer.requestID + ".request.jws"
        try OutputFile.write((answer.receipt + "\n").utf8, to: path)
        print(
            "asked: request \(answer.requestID) about \(counted(list.count, "subject")), to be answered by \(answer.deadline); receipt saved to \(path)"
        )
    }
}

struct RequestListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List requests: those your agency was asked (open ones, oldest deadline first), or asked, or all (admins, officers).")

    @OptionGroup var partner: PartnerOptions
    @Flag(help: "The requests your agency made, instead of those it was asked.") var asked = false
    @Flag(help: "Answered and declined ones too.") var all = false
    @Flag(help: "Only open requests past their deadline.") var overdue = false
    @Option(help: "At most this many.") var limit = 100
    @Option(help: "Continue after this cursor (from the previous page).") var cursor: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        var query = ["limit": String(limit)]
        if asked { query["as"] = "consumer" }
        if all { query["state"] = "all" }
        if overdue { query["overdue"] = "true" }
        if let cursor { query["cursor"] = cursor }
        let page = try await withGateway(partner) { client in
            try client.decode(APIDocument.DataRequestPage.self, try await client.get("/v1/requests", query: query))
        }
        if json {
            try JSONOutput.print(page)
            return
        }
        var table = TextTable("REQUEST", "AGREEMENT", "FROM", "TO", "CASE", "SUBJECTS", "DEADLINE", "STATE")
        for request in page.requests {
            table.append(
                request.requestID, request.agreementID, request.consumer, request.provider, request.caseNumber ?? "-", String(request.subjects),
                request.deadline, request.state + (request.overdue ? " (overdue)" : "") + (request.declineReason.map { ": \($0)" } ?? ""))
        }
        print(table.render(), terminator: "")
        if let next = page.nextCursor { print("more: --cursor \(next)") }
    }
}

struct RequestShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One request; save the subjects sealed to a provider (or a decline note) to open with `sluice open`.")

    @OptionGroup var partner: PartnerOptions
    @Argument(help: "The request id.") var id: String
    @Option(name: .customLong("save-sealed"), help: "Write the subjects (provider) or the decline note (consumer), sealed, to this file.")
    var saveSealed: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let detail = try await withGateway(partner) { client in
            try client.decode(APIDocument.DataRequestDetail.self, try await client.get("/v1/requests/\(GatewayClient.segment(id))"))
        }
        if let saveSealed {
            guard let sealed = detail.sealedSubjects ?? detail.sealedNote else {
                throw CommandFailure.input("request \(id) holds nothing sealed to your agency")
            }
            try OutputFile.write((sealed + "\n").utf8, to: saveSealed)
        }
        if json {
            try JSONOutput.print(detail)
            return
        }
        let request = detail.request
        print("request   \(request.requestID) under \(request.agreementID), from \(request.consumer) to \(request.provider)")
        print("case      \(request.caseNumber ?? "-"), purpose \(request.purpose), officer \(request.officer)")
        print("subjects  \(request.subjects) (sealed to the provider)")
        print("made      \(request.createdAt); answer by \(request.deadline)")
        print(
            "state     \(request.state)" + (request.overdue ? " (overdue)" : "") + (request.declineReason.map { ", reason \($0)" } ?? ""))
        print("packages  " + (request.packages.isEmpty ? "-" : request.packages.joined(separator: ", ")))
        if let saveSealed { print("sealed    saved to \(saveSealed): sluice open \(saveSealed) …") }
    }
}

struct RequestAnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "Answer a request with a file of records (the whole pipeline, held to the request's scope).")

    @OptionGroup var partner: PartnerOptions
    @Argument(help: "The request id.") var id: String
    @Option(help: "The records: CSV, NDJSON or a JSON array.") var input: String
    @Option(help: "csv, ndjson or json (default: from the file name).") var format: RecordFormat?
    @Option(name: .customLong("idempotency-key"), help: "Repeat an answer safely.") var idempotencyKey: String?
    @Option(help: "Where to save the receipt (default: FILE.receipt.jws).") var receipt: String?

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: input) else { throw CommandFailure.input("cannot read \(input)") }
        let format = try format ?? MaskingRun.format(ofFile: input)
        let path = receipt ?? input + ".receipt.jws"
        try OutputFile.checkWritable(path)
        let result = try await withGateway(partner) { client in
            try await client.answer(request: id, file: input, format: format, idempotencyKey: idempotencyKey)
        }
        try OutputFile.write((result.receipt + "\n").utf8, to: path)
        print("\(result.repeated ? "already accepted" : "answered"): request \(id) with package \(result.packageID); receipt saved to \(path)")
    }
}

struct RequestDeclineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline", abstract: "Decline an open request, with a reason code and an optional note sealed to the consumer.")

    @OptionGroup var partner: PartnerOptions
    @Argument(help: "The request id.") var id: String
    @Option(
        help: ArgumentHelp(
            "Why: " + APIDocument.DataRequestDecline.Reason.allCases.map(\.rawValue).joined(separator: ", ") + "."))
    var reason: String
    @Option(help: "A note for the consumer (sealed to it; never recorded).") var note: String?

    func run() async throws {
        guard APIDocument.DataRequestDecline.Reason(rawValue: reason) != nil else {
            throw CommandFailure.input(
                "--reason must be one of " + APIDocument.DataRequestDecline.Reason.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let body = try APIDocument.encoded(APIDocument.DataRequestDecline(reason: reason, note: note))
        let summary = try await withGateway(partner) { client in
            try client.decode(
                APIDocument.DataRequestSummary.self, try await client.post("/v1/requests/\(GatewayClient.segment(id))/decline", body: body))
        }
        print("declined: request \(summary.requestID) (\(summary.declineReason ?? reason))")
    }
}
