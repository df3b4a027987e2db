import Foundation
import Hummingbird
import NIOCore
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceStore

/// The security officers' API: entries, the latest checkpoint, proofs and the export.
/// Only auditor certificates may call it, and every read is itself an audit entry,
/// committed before anything is served.
struct AuditRoutes {
    let state: GatewayState

    var routes: [Route] {
        let auditor = Route.Access.roles([.auditor])
        return [
            .get("/v1/audit/entries", auditor) { request, context in try await entries(request, context) },
            .get("/v1/audit/checkpoint", auditor) { request, context in try await checkpoint(request, context) },
            .get("/v1/audit/proof/inclusion", auditor) { request, context in try await inclusion(request, context) },
            .get("/v1/audit/proof/consistency", auditor) { request, context in try await consistency(request, context) },
            .get("/v1/audit/export", auditor) { request, context in try await export(request, context) },
            .get("/v1/audit/verification", auditor) { request, context in try await verification(request, context) },
            .post("/v1/audit/verification", auditor) { request, context in try await verify(request, context) },
        ]
    }

    /// Where the gateway's full verification stands: not an entry read, so not audited
    /// (the console asks every half second while one runs).
    func verification(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        _ = try context.authenticatedCaller()
        return try Response.json(state.verificationRun.current, status: .ok)
    }

    /// Starts a full verification unless one is running: 202 with its status either way.
    /// The body must be JSON (`{}`): a page on another site cannot send that without the
    /// browser asking first, so an officer's browser cannot be made to start one.
    func verify(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/json" else {
            throw GatewayProblem(.unsupportedMediaType, "send Content-Type: application/json with the body {}")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: 1024) } catch {
            throw GatewayProblem(.bodyTooLarge, "the body must be the JSON object {}")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], object.isEmpty else {
            throw GatewayProblem(.badRequest, "the body must be the empty JSON object, {}")
        }
        let event = AuditEvent(
            actor: caller.actor, action: .auditVerified, outcome: .success, requestID: context.requestID, remoteAddress: context.remoteAddress)
        let (status, _) = state.verificationRun.start(state: state, requestedBy: event)
        return try Response.json(status, status: .accepted)
    }

    func entries(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let query = request.uri.queryParameters
        let limit = try QueryArgument.pageLimit(query.get("limit"))
        let newestFirst: Bool
        switch query.get("order") {
        case nil, "oldest": newestFirst = false
        case "newest": newestFirst = true
        default: throw GatewayProblem(.badRequest, "order must be oldest or newest")
        }
        let cursor = try Self.number(query.get("cursor"), name: "cursor")
        let asked = try AuditFilterQuery { query.get($0) }
        var asking = asked.filter
        // Oldest first, a cursor is the first entry of the next page; newest first, the
        // page ends below it.
        if newestFirst { asking.beforeSequence = cursor } else { asking.fromSequence = cursor }
        asking.limit = limit + 1
        asking.newestFirst = newestFirst
        let (filter, used) = (asking, asked.used)
        let event = AuditEvent(
            actor: caller.actor, action: .auditEntriesRead, outcome: .success, requestID: context.requestID, remoteAddress: context.remoteAddress,
            details: ["filters": .names(used), "limit": .count(limit)])
        let state = self.state
        // Read in a read transaction, then recorded; the query never holds the write lock
        // that submissions wait on, and nothing is served before its entry commits.
        var found = try await state.blocking {
            let found = try state.store.read { store in try store.audit.entries(filter) }
            _ = try state.trail.record(event)
            return found
        }
        let more = found.count > limit ? found.removeLast().sequence : nil
        let next = more.map { newestFirst ? $0 + 1 : $0 }
        var body = Array(#"{"entries":["#.utf8)
        for (position, entry) in found.enumerated() {
            if position > 0 { body.append(UInt8(ascii: ",")) }
            body += entry.json.utf8
        }
        body += #"],"next_cursor":"#.utf8
        body += (next.map { "\"\($0)\"" } ?? "null").utf8
        body += "}\n".utf8
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func checkpoint(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let sign = try QueryArgument.flag(request.uri.queryParameters.get("sign"), name: "sign")
        let state = self.state
        let latest = try await state.blocking { () -> StoredCheckpoint? in
            try state.trail.record(
                AuditEvent(
                    actor: caller.actor, action: .auditCheckpointRead, outcome: .success, requestID: context.requestID,
                    remoteAddress: context.remoteAddress, details: ["sign": .flag(sign)]))
            if sign { try state.trail.checkpoint() }
            return try state.store.read { store in try store.audit.latestCheckpoint() }
        }
        guard let latest else { throw GatewayProblem(.notFound, "no checkpoint has been signed yet; ask with sign=true") }
        return try Response.json(APIDocument.AuditCheckpoint(treeSize: latest.size, signedAt: latest.signedAt, note: latest.note), status: .ok)
    }

    func inclusion(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        guard let index = try Self.number(request.uri.queryParameters.get("index"), name: "index") else {
            throw GatewayProblem(.badRequest, "give index, the entry to prove")
        }
        return try await proof(caller, context, index: index, from: nil)
    }

    func consistency(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        guard let from = try Self.number(request.uri.queryParameters.get("from"), name: "from") else {
            throw GatewayProblem(.badRequest, "give from, the size of the older checkpoint")
        }
        return try await proof(caller, context, index: nil, from: from)
    }

    private func proof(_ caller: Caller, _ context: GatewayRequestContext, index: UInt64?, from: UInt64?) async throws -> Response {
        let state = self.state
        let details: [String: AuditDetail] = index.map { ["index": .count(Int(clamping: $0))] } ?? ["from_size": .count(Int(clamping: from ?? 0))]
        let proof = try await state.blocking { () throws -> APIDocument.AuditProof in
            try state.trail.record(
                AuditEvent(
                    actor: caller.actor, action: .auditProofServed, outcome: .success, requestID: context.requestID,
                    remoteAddress: context.remoteAddress, details: details))
            do { return try APIDocument.AuditProof.make(trail: state.trail, index: index, consistencyFrom: from) } catch let refusal
                as APIDocument.AuditProof.Refusal
            {
                throw GatewayProblem(.badRequest, refusal.description)
            }
        }
        return try Response.json(proof, status: .ok)
    }

    /// The entries matching the timeline's filters as JSON Lines, streamed a page at a time
    /// up to the log's size when the export began, so a long export neither holds a
    /// transaction open nor grows forever.
    func export(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let query = request.uri.queryParameters
        let from = try Self.number(query.get("from_index"), name: "from_index") ?? 0
        let asked = try AuditFilterQuery { query.get($0) }
        let state = self.state
        let end = try await state.blocking { () -> UInt64 in
            let end = try state.store.read { store in try store.audit.size() }
            _ = try state.trail.record(
                AuditEvent(
                    actor: caller.actor, action: .auditExported, outcome: .success, requestID: context.requestID,
                    remoteAddress: context.remoteAddress,
                    details: [
                        "from_index": .count(Int(clamping: from)), "since": .flag(asked.filter.since != nil), "filters": .names(asked.used),
                    ]))
            return end
        }
        let start = from
        let body = ResponseBody { writer in
            var next = start
            while next < end {
                var asking = asked.filter
                asking.fromSequence = next
                asking.limit = Int(min(5000, end - next))
                let filter = asking
                let page = try await state.blocking { try state.store.read { store in try store.audit.entries(filter) } }
                guard let last = page.last else { break }
                var buffer = ByteBuffer()
                for entry in page where entry.sequence < end {
                    buffer.writeString(entry.json)
                    buffer.writeInteger(UInt8(0x0A))
                }
                try await writer.write(buffer)
                next = last.sequence + 1
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    static func number(_ text: String?, name: String) throws -> UInt64? {
        guard let text else { return nil }
        guard let number = UInt64(text), number <= UInt64(Int64.max) else {
            throw GatewayProblem(.badRequest, "\(name) must be a whole number from 0")
        }
        return number
    }
}
