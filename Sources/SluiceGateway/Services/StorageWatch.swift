import Foundation
import Logging
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Looks at the storage under the database every few seconds: the database file still
/// at its path, its file system writable and with the configured headroom free, the
/// clock not behind the trail's latest entry (``AuditClock``) and not stepped forward
/// since the last look (``ClockJump``). What it
/// finds goes to ``StorageHealth``; when the storage can take writes again, the outage
/// ends with an entry of its own in the trail (and the entries held during it).
struct StorageWatch: Service {
    let state: GatewayState
    let logger: Logger

    func run() async throws {
        var clock = ClockJump(wall: Date(), boot: ClockJump.bootTime())
        var trailSizeAtJump: UInt64?
        while await CheckpointTimer.pause(seconds: Double(state.configuration.store.checkSeconds)) {
            await look(&clock, trailSizeAtJump: &trailSizeAtJump)
        }
    }

    /// One look: report what keeps the storage from writing, or end the outage.
    func look(_ clock: inout ClockJump, trailSizeAtJump: inout UInt64?) async {
        let state = self.state
        let minimum = state.configuration.store.minimumFreeBytes
        let found: StorageCondition?
        // A clock stepped forward stops writes until a correction entry, recorded after the
        // step was found (`sluice audit accept-clock --forward`), confirms the new time.
        let jump = clock.observe(wall: Date(), boot: ClockJump.bootTime())
        let sizeAtJump = trailSizeAtJump
        do {
            let (condition, size, confirmed) = try await state.blocking { () -> (StorageCondition?, UInt64?, Bool) in
                if let condition = state.store.storageCondition(minimumFreeBytes: minimum) { return (condition, nil, false) }
                if jump != nil {
                    return try state.trail.store.read { store in
                        // The trail's size when the step was found: corrections after it confirm it.
                        guard let sizeAtJump else { return (.clockAhead, try store.audit.size(), false) }
                        let corrections = try store.audit.entries(AuditFilter(action: .clockCorrected, fromSequence: sizeAtJump, limit: 1))
                        return corrections.isEmpty ? (.clockAhead, sizeAtJump, false) : (nil, nil, true)
                    }
                }
                // A clock set back further than the trail absorbs stops writes too; it ends
                // when the clock catches up or the correction is recorded.
                let latest = try? state.trail.latestEntryTime()
                let behind = latest.flatMap { $0 }.map { $0.timeIntervalSinceNow > AuditClock.tolerance } == true
                return (behind ? .clockBehind : nil, nil, false)
            }
            if let jump, trailSizeAtJump == nil, let size {
                trailSizeAtJump = size
                logger.error("the clock jumped forward while the gateway ran", metadata: ["seconds": "\(Int(jump.rounded()))"])
            }
            if confirmed {
                clock.confirm(wall: Date(), boot: ClockJump.bootTime())
                trailSizeAtJump = nil
            }
            found = condition
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
