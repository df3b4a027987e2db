import Foundation
import Logging
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Removes sealed packages past their agreement's retention, and the sealed subjects of
/// requests made before it, each removal audited in the same transaction.
struct PackagePurge: Service {
    let state: GatewayState
    let logger: Logger

    func run() async throws {
        repeat {
            do { try await purgeOnce() } catch { logger.error("purge failed", metadata: ["error": "\(error)"]) }
        } while await CheckpointTimer.pause(seconds: state.configuration.purgeIntervalSeconds)
    }

    func purgeOnce(now: Date = Date()) async throws {
        let state = self.state
        let retention = state.registry.latest.agreements.values.map { ($0.agreement.id, $0.agreement.retentionDays) }
        _ = try await state.blocking {
            try state.trail.commit { transaction in
                let store = transaction.packages
                for package in try store.expired(before: AuditTime.format(now), limit: 1000) {
                    try store.delete(id: package.id)
                    try transaction.append(
                        AuditEvent(
                            actor: state.gatewayActor, action: .packagePurged, outcome: .success, agreementID: package.agreementID,
                            packageID: package.id, reason: "retention ended \(package.expiresAt)",
                            details: ["acknowledged": .flag(package.acknowledgedAt != nil)]))
                }
                for (agreement, days) in retention {
                    let cutoff = AuditTime.format(now.addingTimeInterval(-Double(days) * 86_400))
                    for id in try transaction.dataRequests.purgeSubjects(agreement: agreement, before: cutoff) {
                        try transaction.append(
                            AuditEvent(
                                actor: state.gatewayActor, action: .dataRequestPurged, outcome: .success, agreementID: agreement,
                                reason: "retention ended", details: ["data_request": .names([id])]))
                    }
                }
            }
        }
    }
}
