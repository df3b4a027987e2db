import Foundation
import Logging
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Looks at the storage under the database every few seconds: the database file still
/// at its path, its file system writable and with the configured headroom free, and the
/// clock not behind the trail's latest entry (``AuditClock``). What it
/// finds goes to ``StorageHealth``; when the storage can take writes again, the outage
/// ends with an entry of its own in the trail (and the entries held during it).
struct StorageWatch: Service {
    let state: GatewayState
    let logger: Logger

    func run() async throws {
        while await CheckpointTimer.pause(seconds: Double(state.configuration.store.checkSeconds)) {
            await look()
        }
    }

    /// One look: report what keeps the storage from writing, or end the outage.
    func look() async {
        let state = self.state
        let minimum = state.configuration.store.minimumFreeBytes
        let found: StorageCondition?
        do {
            found = try await state.blocking {
                if let condition = state.database.storageCondition(minimumFreeBytes: minimum) { return condition }
                // A clock set back further than the trail absorbs stops writes too; it ends
                // when the clock catches up or the correction is recorded.
                let latest = try? state.trail.latestEntryTime()
                return latest.flatMap { $0 }.map { $0.timeIntervalSinceNow > AuditClock.tolerance } == true ? .clockBehind : nil
            }
        } catch {
            return  // no look at all (the pool is stopping) says nothing about the storage
        }
        if let condition = found {
            if state.storage.current == nil {
                logger.error("storage unavailable; refusing new work", metadata: ["condition": "\(condition.rawValue)"])
            }
            state.storage.report(condition)
            return
        }
        guard let ended = state.storage.end() else { return }
        do {
            let actor = state.gatewayActor
            _ = try await state.blocking {
                try state.trail.commit { transaction in
                    try transaction.append(contentsOf: ended.held + [ended.event(actor: actor, endedAt: Date())])
                }
            }
            logger.notice(
                "storage available again",
                metadata: ["condition": "\(ended.condition.rawValue)", "refused": "\(ended.refused)"])
        } catch {
            // Still not writable (a check can pass while a write does not): the outage goes on.
            if case StoreError.unavailable(let condition, _) = error {
                state.storage.report(condition)
            } else {
                logger.error("cannot record the end of a storage outage", metadata: ["error": "\(error)"])
            }
            state.storage.resume(ended)
        }
    }
}
