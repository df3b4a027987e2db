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
        ]
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
        func choice<T: RawRepresentable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String {
            guard let text = query.get(name) else { return nil }
            guard let value = T(rawValue: text) else { throw GatewayProblem(.badRequest, "\(name) \"\(text)\" is not one the audit trail uses") }
            return value
        }
        func time(_ name: String) throws -> Date? {
            guard let text = query.get(name) else { return nil }
            guard let date = AuditTime.parse(text) else { throw GatewayProblem(.badRequest, "\(name) must be an RFC 3339 time or a YYYY-MM-DD date") }
            return date
        }
        let cursor = try Self.number(query.get("cursor"), name: "cursor")
        if let caseNumber = query.get("case_number"), caseNumber.isEmpty || caseNumber.unicodeScalars.count > RequestText.longestCaseNumber {
            throw GatewayProblem(.badRequest, "case_number must be 1 to \(RequestText.longestCaseNumber) characters")
        }
        let filter = AuditFilter(
            actor: query.get("actor"), action: try choice("action", AuditAction.self), agreement: query.get("agreement"),
            package: query.get("package"), outcome: try choice("outcome", AuditOutcome.self), since: try time("since"), until: try time("until"),
            fromSequence: cursor, limit: limit + 1, newestFirst: newestFirst, caseNumber: query.get("case_number"))
        var used: [String] = []
        for name in ["actor", "action", "agreement", "package", "outcome", "case_number"] where query.get(name) != nil { used.append(name) }
        if query.get("since") != nil || query.get("until") != nil { used.append("time") }
        let event = AuditEvent(
            actor: caller.actor, action: .auditEntriesRead, outcome: .success, requestID: context.requestID, remoteAddress: context.remoteAddress,
            details: ["filters": .names(used), "limit": .count(limit)])
        let state = self.state
        // Read in a read transaction, then recorded; the query never holds the write lock
        // that submissions wait on, and nothing is served before its entry commits.
        var found = try await state.blocking {
            let found = try state.database.read { store in try store.audit.entries(filter) }
            _ = try state.trail.record(event)
            return found
        }
        // Pages follow the log forwards; newest first is for the latest entries only.
        let more = found.count > limit ? found.removeLast().sequence : nil
        let next = newestFirst ? nil : more
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
            return try state.database.read { store in try store.audit.latestCheckpoint() }
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

    /// The entries as JSON Lines, streamed a page at a time up to the log's size when the
    /// export began, so a long export neither holds a transaction open nor grows forever.
    func export(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let query = request.uri.queryParameters
        let from = try Self.number(query.get("from_index"), name: "from_index") ?? 0
        let since = try query.get("since").map { text -> Date in
            guard let date = AuditTime.parse(text) else { throw GatewayProblem(.badRequest, "since must be an RFC 3339 time or a YYYY-MM-DD date") }
            return date
        }
        let state = self.state
        let (start, end) = try await state.blocking { () -> (UInt64, UInt64) in
            let range = try state.database.read { store -> (UInt64, UInt64) in
                let log = store.audit
                var start = from
                if let since { start = max(start, try log.entries(AuditFilter(since: since, limit: 1)).first?.sequence ?? UInt64.max) }
                return (start, try log.size())
            }
            _ = try state.trail.record(
                AuditEvent(
                    actor: caller.actor, action: .auditExported, outcome: .success, requestID: context.requestID,
                    remoteAddress: context.remoteAddress, details: ["from_index": .count(Int(clamping: from)), "since": .flag(since != nil)]))
            return range
        }
        let body = ResponseBody { writer in
            var next = start
            while next < end {
                let filter = AuditFilter(fromSequence: next, limit: Int(min(5000, end - next)))
                let page = try await state.blocking { try state.database.read { store in try store.audit.entries(filter) } }
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
