import Foundation
import SluiceStore

/// Notices the wall clock stepping forward while the gateway runs. A clock set ahead
/// would open an agreement before its `valid_from` and date entries in the future, so a
/// step further than ``AuditClock/tolerance`` stops writes (``StorageCondition/clockAhead``)
/// until an operator confirms the new time. The wall clock is compared with the time since
/// boot (`CLOCK_BOOTTIME`, which keeps counting while the host sleeps, so a resumed laptop
/// or VM is no jump). Small steps and slow drift are followed; a step back is left to
/// ``AuditClock``, and its baseline is kept so that setting the clock right again is no
/// jump either. Pure: the caller reads both clocks.
public struct ClockJump: Sendable {
    private var wall: Date
    private var boot: TimeInterval
    /// The step forward found and not yet confirmed, in seconds.
    public private(set) var ahead: TimeInterval?

    public init(wall: Date, boot: TimeInterval) {
        self.wall = wall
        self.boot = boot
    }

    /// Looks at both clocks now: the step forward being held, if any.
    public mutating func observe(wall now: Date, boot nowBoot: TimeInterval) -> TimeInterval? {
        if ahead != nil { return ahead }
        let drift = now.timeIntervalSince(wall) - (nowBoot - boot)
        if drift > AuditClock.tolerance {
            ahead = drift
        } else if drift >= -AuditClock.tolerance {
            (wall, boot) = (now, nowBoot)
        }
        return ahead
    }

    /// An operator confirmed the clock: it is followed from here.
    public mutating func confirm(wall now: Date, boot nowBoot: TimeInterval) {
        (wall, boot, ahead) = (now, nowBoot, nil)
    }

    /// Seconds since boot, sleep included.
    public static func bootTime() -> TimeInterval {
        var spec = timespec()
        clock_gettime(CLOCK_BOOTTIME, &spec)
        return TimeInterval(spec.tv_sec) + TimeInterval(spec.tv_nsec) / 1e9
    }
}
