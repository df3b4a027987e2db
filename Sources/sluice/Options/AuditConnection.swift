import Foundation
import SluiceAudit
import SluiceClient
import SluiceStore

/// Where an audit command reads the trail: through the gateway's audit API with an
/// auditor's certificate (the gateway records each read), or on the local database as
/// the host admin (the command records its own reads as the local user).
enum AuditConnection {
    case remote(GatewayClient)
    case local(AuditTrailOptions)

    static func with<T>(_ access: GatewayAccess, _ trail: AuditTrailOptions, _ body: (AuditConnection) async throws -> T) async throws -> T {
        guard let client = try access.client(dataDirectory: { try trail.data.resolved() }) else { return try await body(.local(trail)) }
        do {
            let value = try await body(.remote(client))
            await client.shutdown()
            return value
        } catch let error as GatewayClientError {
            await client.shutdown()
            throw error.commandFailure
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// One page of entries matching `filter` (whose limit is the page size), and where
    /// the next page starts. `details` describe the read for the local record of it.
    func entries(_ filter: AuditFilter, recording details: [String: AuditDetail]?) async throws -> (entries: [StoredAuditEntry], next: UInt64?) {
        let limit = max(1, filter.limit ?? 100)
        switch self {
        case .local(let options):
            let trail = try options.openTrail()
            if let details { try options.recordRead(trail, .auditEntriesRead, details: details) }
            var wider = filter
            wider.limit = limit + 1
            var entries = try trail.store.read { store in try store.audit.entries(wider) }
            let next = entries.count > limit ? entries.removeLast().sequence : nil
            return (entries, filter.newestFirst ? nil : next)
        case .remote(let client):
            var query: [String: String] = ["limit": String(min(limit, 1000))]
            query["actor"] = filter.actor
            query["action"] = filter.action?.rawValue
            query["agreement"] = filter.agreement
            query["package"] = filter.package
            query["outcome"] = filter.outcome?.rawValue
            query["case_number"] = filter.caseNumber
            query["reason"] = filter.reason
            query["since"] = filter.since.map(AuditTime.format)
            query["until"] = filter.until.map(AuditTime.format)
            query["cursor"] = filter.fromSequence.map(String.init)
            if filter.newestFirst { query["order"] = "newest" }
            let page = try await client.auditEntries(query)
            return (page.entries.map { StoredAuditEntry(sequence: $0.sequence, json: $0.json) }, filter.newestFirst ? nil : page.nextCursor)
        }
    }
}
