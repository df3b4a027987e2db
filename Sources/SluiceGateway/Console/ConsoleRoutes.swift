import Foundation
import Hummingbird
import NIOCore
import SluiceAudit
import SluiceStore

/// The security officers' console under `/console/`: pages rendered here from the same
/// store reads as the audit API, for auditor certificates only (the role check is the
/// API's, so any other role gets 403, audited). Read-only; every page that reads entries
/// is recorded as an `audit.entries_read` entry before it is served, as API reads are.
/// Proofs are not rendered here: the page's script asks the documented audit API for
/// them and checks them in the browser.
struct ConsoleRoutes {
    let state: GatewayState

    var routes: [Route] {
        let auditor = Route.Access.roles([.auditor])
        return [
            .get("/console", auditor) { request, context in try await overview(request, context) },
            .get("/console/entries", auditor) { request, context in try await entries(request, context) },
            .get("/console/entries/:sequence", auditor) { request, context in try await entry(request, context) },
            .get("/console/requests", auditor) { request, context in try await requests(request, context) },
            .get("/console/integrity", auditor) { request, context in try await integrity(request, context) },
            .get("/console/assets/:asset", auditor) { request, context in try asset(request, context) },
        ]
    }

    private func page(
        _ section: ConsolePage.Section, _ request: Request, _ context: GatewayRequestContext, heading: String, body: HTML,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let language = ConsoleLanguage(query: request.uri.queryParameters.get("lang"))
        let path = request.uri.path.hasPrefix("/console") ? request.uri.path : "/console/"
        // Only the parameters the console reads are carried into its links.
        let known = Set(EntriesPage.filterNames + ["from", "to", "before", "overdue", "after"])
        let query = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }.filter { known.contains($0.name) }
        return ConsolePage(
            section: section, language: language, current: ConsoleLink(path, query), officer: try context.authenticatedCaller().agency.id,
            heading: heading, body: body
        ).response(status: status)
    }

    /// The entry a page view is recorded by, written after its read and before anything is served.
    private func recorded(_ context: GatewayRequestContext, page: String, details: [String: AuditDetail] = [:]) throws -> AuditEvent {
        let caller = try context.authenticatedCaller()
        return AuditEvent(
            actor: caller.actor, action: .auditEntriesRead, outcome: .success, requestID: context.requestID,
            remoteAddress: context.remoteAddress, details: details.merging(["console": .names([page])]) { _, console in console })
    }

    func overview(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let language = ConsoleLanguage(query: query.get("lang"))
        let state = self.state
        let now = state.clock()
        let period = try ConsolePeriod(from: query.get("from"), to: query.get("to"), now: now)
        let event = try recorded(context, page: "overview", details: ["filters": .names(["time"])])
        let overview = try await state.blocking {
            let overview = try state.store.read { store in try ConsoleOverview.read(store, period: period, now: now) }
            var read = event
            read.details["entries"] = .count(overview.entriesRead)
            _ = try state.trail.record(read)
            return overview
        }
        let view = OverviewPage(overview: overview, language: language)
        return try page(.overview, request, context, heading: view.heading, body: view.body)
    }

    func entries(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let language = ConsoleLanguage(query: query.get("lang"))
        // An empty form field is no filter.
        let given = EntriesPage.filterNames.compactMap { name -> (name: String, value: String)? in
            guard let value = query.get(name), !value.isEmpty else { return nil }
            return (name, value)
        }
        let asked: AuditFilterQuery
        let before: UInt64?
        do {
            asked = try AuditFilterQuery { name in given.first { $0.name == name }?.value }
            before = try AuditRoutes.number(query.get("before"), name: "before")
        } catch let problem as GatewayProblem {
            // The form again, with what to correct; nothing was read.
            let named = problem.fields.isEmpty ? "" : " (" + problem.fields.joined(separator: ", ") + ")"
            let said = language.words.badFilter + named + ": " + problem.detail
            let view = EntriesPage(given: given, entries: [], nextBefore: nil, isFirstPage: true, language: language, problem: said)
            return try page(.entries, request, context, heading: view.heading, body: view.body, status: .badRequest)
        }
        var filter = asked.filter
        filter.beforeSequence = before
        filter.limit = EntriesPage.pageSize + 1
        filter.newestFirst = true
        let event = try recorded(context, page: "entries", details: ["filters": .names(asked.used), "limit": .count(EntriesPage.pageSize)])
        let state = self.state
        let reading = filter
        var found = try await state.blocking {
            let found = try state.store.read { store in try store.audit.entries(reading) }
            _ = try state.trail.record(event)
            return found
        }
        let more = found.count > EntriesPage.pageSize ? found.removeLast().sequence + 1 : nil
        let view = EntriesPage(given: given, entries: found, nextBefore: more, isFirstPage: before == nil, language: language)
        return try page(.entries, request, context, heading: view.heading, body: view.body)
    }

    func entry(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let language = ConsoleLanguage(query: request.uri.queryParameters.get("lang"))
        guard let sequence = try AuditRoutes.number(context.coreContext.parameters.get("sequence"), name: "the entry number") else {
            throw GatewayProblem(.notFound, "no such entry")
        }
        let event = try recorded(context, page: "entry", details: ["index": .count(Int(clamping: sequence))])
        let state = self.state
        let found = try await state.blocking { () -> StoredAuditEntry? in
            let found = try state.store.read { store in try store.audit.entry(at: sequence) }
            _ = try state.trail.record(event)
            return found
        }
        guard let found else { throw GatewayProblem(.notFound, "the audit trail has no entry \(sequence)") }
        let view = EntryPage(entry: found, publishedKeys: publishedKeys(), language: language)
        return try page(.entries, request, context, heading: view.heading, body: view.body)
    }

    /// Open requests by deadline, or those past it: recorded as the API's listing is.
    func requests(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let query = request.uri.queryParameters
        let language = ConsoleLanguage(query: query.get("lang"))
        let overdue = try QueryArgument.flag(query.get("overdue"), name: "overdue")
        let after = try AuditRoutes.number(query.get("after"), name: "after").map { Int64($0) }
        let state = self.state
        let now = AuditTime.format(state.clock())
        let listed = try await state.blocking {
            try state.trail.commit { transaction in
                let listed = try transaction.dataRequests.page(
                    of: .everyone, openOnly: true, overdueAt: overdue ? now : nil, after: after, limit: EntriesPage.pageSize)
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: .dataRequestsListed, outcome: .success, requestID: context.requestID,
                        remoteAddress: context.remoteAddress,
                        details: ["listed": .count(listed.requests.count), "overdue_only": .flag(overdue), "console": .names(["requests"])]))
                return listed
            }.value
        }
        let view = RequestsPage(
            requests: listed.requests, overdueOnly: overdue, next: listed.next, isFirstPage: after == nil, now: now, language: language)
        return try page(.requests, request, context, heading: view.heading, body: view.body)
    }

    func integrity(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let language = ConsoleLanguage(query: request.uri.queryParameters.get("lang"))
        let event = try recorded(context, page: "integrity", details: ["filters": .names(["action"]), "limit": .count(1)])
        let state = self.state
        let (checkpoint, last) = try await state.blocking { () -> (StoredCheckpoint?, StoredAuditEntry?) in
            let read = try state.store.read { store in
                (
                    try store.audit.latestCheckpoint(),
                    try store.audit.entries(AuditFilter(action: .auditVerified, limit: 1, newestFirst: true)).first
                )
            }
            _ = try state.trail.record(event)
            return read
        }
        let view = IntegrityPage(
            checkpoint: checkpoint, verifierKeys: publishedKeys(), lastVerification: last, run: state.verificationRun.current,
            language: language)
        return try page(.integrity, request, context, heading: view.heading, body: view.body)
    }

    func asset(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
        guard let name = context.coreContext.parameters.get("asset"), let asset = ConsoleAssets.named(name) else {
            throw GatewayProblem(.notFound, "the console has no such asset")
        }
        var headers = ConsolePage.securityHeaders
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.text)))
    }

    /// The checkpoint verifier keys the gateway publishes, current first.
    private func publishedKeys() -> [String] {
        let file = CheckpointKeyFile(dataDirectory: state.configuration.dataDirectory, certsDirectory: state.configuration.certsDirectory)
        var keys = [state.trail.signer.verifier.description]
        for key in (try? CheckpointKeyFile.readVerifiers(at: file.verifierPath)) ?? [] where !keys.contains(key.description) {
            keys.append(key.description)
        }
        return keys
    }
}
