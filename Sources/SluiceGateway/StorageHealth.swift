import Foundation
import SluiceAudit
import SluiceStore
import Synchronization

/// What the gateway knows of its storage now: either nothing wrong, or an outage (the
/// condition keeping it from writing, since when, how many requests it refused). Writes
/// that fail report here at once; ``StorageWatch`` reports what it finds and ends the
/// outage when the storage takes writes again.
///
/// During an outage nothing can be appended to the audit trail. The few reads that are
/// still served (the metrics) hold their entries here, to be appended when it ends,
/// with one entry recording the outage itself.
final class StorageHealth: Sendable {
    struct Outage: Sendable {
        var condition: StorageCondition
        var since: Date
        var refused = 0
        /// Entries to append when the storage is back, at most ``heldLimit``.
        var held: [AuditEvent] = []
        /// Entries that did not fit in ``held``: counted in the outage's own entry.
        var unrecorded = 0
    }

    static let heldLimit = 1000

    private let outage = Mutex<Outage?>(nil)

    /// The outage under way, if any.
    var current: Outage? { outage.withLock { $0 } }

    /// A write failed, or a check found the storage unable to take writes. The condition
    /// shown is the latest one seen; the outage's start stays the first.
    func report(_ condition: StorageCondition, at time: Date = Date()) {
        outage.withLock { outage in
            if outage == nil { outage = Outage(condition: condition, since: time) } else { outage!.condition = condition }
        }
    }

    /// A request refused because of the outage; false when there is none.
    func refuse() -> StorageCondition? {
        outage.withLock { outage in
            guard outage != nil else { return nil }
            outage!.refused += 1
            return outage!.condition
        }
    }

    /// Keeps `event` for the trail until the outage ends; false when there is no outage
    /// (the caller then records it as usual).
    func hold(_ event: AuditEvent) -> Bool {
        outage.withLock { outage in
            guard outage != nil else { return false }
            if outage!.held.count < Self.heldLimit { outage!.held.append(event) } else { outage!.unrecorded += 1 }
            return true
        }
    }

    /// Ends the outage: what it was, for the trail, or nil when there was none.
    func end() -> Outage? {
        outage.withLock { outage in
            defer { outage = nil }
            return outage
        }
    }

    /// Puts an outage back after its end could not be recorded (the storage failed again).
    func resume(_ ended: Outage) {
        outage.withLock { outage in
            guard var current = outage else {
                outage = ended
                return
            }
            current.since = min(current.since, ended.since)
            current.refused += ended.refused
            current.unrecorded += ended.unrecorded
            let room = max(0, Self.heldLimit - current.held.count)
            current.unrecorded += max(0, ended.held.count - room)
            current.held = Array(ended.held.prefix(room)) + current.held
            outage = current
        }
    }
}

extension StorageHealth.Outage {
    /// The entry recording the outage, written when it ends.
    func event(actor: AuditActor, endedAt time: Date) -> AuditEvent {
        AuditEvent(
            actor: actor, action: .storageOutage, outcome: .failed, reason: condition.rawValue,
            details: [
                "seconds": .count(max(0, Int(time.timeIntervalSince(since).rounded()))), "refused": .count(refused),
                "unrecorded": .count(unrecorded),
            ])
    }
}
