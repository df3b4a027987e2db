import Hummingbird
import NIOCore
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceStore
import X509

/// The operations endpoints: liveness and the gateway's signing certificates for every
/// registered agency, and the metrics for admins and auditors.
struct OperationsRoutes {
    let state: GatewayState

    var routes: [Route] {
        [
            .get("/healthz", .anyAgency) { _, context in try await health(context) },
            .get("/metrics", .roles([.admin, .auditor])) { _, context in try await metrics(context) },
            .get("/v1/signing-certificates", .anyAgency) { _, _ in try signingCertificates() },
        ]
    }

    /// Liveness, for any registered identity, and whether the storage takes writes (503
    /// with the reason when not); the audit trail's size (which counts every agency's
    /// traffic) only for admins and auditors.
    private func health(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        var health = APIDocument.Health(status: "ok", audit: nil)
        if let outage = state.storage.current {
            health.status = "unavailable"
            health.storage = .init(
                condition: outage.condition.rawValue, since: AuditTime.format(outage.since), detail: outage.condition.explanation)
        }
        if caller.has(.admin) || caller.has(.auditor) {
            let state = self.state
            let (size, checkpoint) = try await state.blocking {
                try state.store.read { store in (try store.audit.size(), try store.audit.latestCheckpoint()) }
            }
            health.audit = .init(entries: Int(size), latestCheckpointSize: checkpoint.map { Int($0.size) })
        }
        return try Response.json(health, status: health.storage == nil ? .ok : .serviceUnavailable)
    }

    /// The Prometheus metrics: volumes by agreement, so for admins and auditors only, and
    /// each read is audited. While the storage cannot take writes the read's entry is
    /// held and appended when it can: an operator needs the metrics most then.
    private func metrics(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let read = AuditEvent(
            actor: caller.actor, action: .metricsRead, outcome: .success, requestID: context.requestID, remoteAddress: context.remoteAddress)
        if !state.storage.hold(read) {
            do {
                try await state.record(read)
            } catch StoreError.unavailable(let condition, _) {
                state.storage.report(condition)
                guard state.storage.hold(read) else { throw GatewayProblem.storage(condition) }
            }
        }
        let state = self.state
        let condition = state.storage.current?.condition
        let text = try await state.blocking { state.metrics.exposition(store: state.store, storage: condition, now: state.clock()) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }

    /// The certificates envelopes and receipts are signed with, in both profiles: public
    /// material, like the TLS certificate every handshake shows, so the read is not audited.
    private func signingCertificates() throws -> Response {
        func pem(_ chain: [Certificate]) throws -> [String] { try chain.map { try $0.serializeAsPEM().pemString + "\n" } }
        return try Response.json(
            APIDocument.SigningCertificates(
                jose: try pem(state.keys.sealer.chain), gm: state.keys.gm.map { [$0.certificate.pem] } ?? [],
                retiredJOSE: try state.keys.retiredChains.map(pem)),
            status: .ok)
    }
}
