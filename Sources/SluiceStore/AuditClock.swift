import Foundation

/// The time an appended entry is stamped with. Entries are ordered by sequence, and their
/// times must not run backwards either: a clock that stepped back would otherwise date new
/// entries before old ones, and a clock set back on purpose would revive an expired
/// agreement. A small step back (an NTP correction) is absorbed: the entry takes the
/// latest entry's time. A larger one stops every write (fail closed, the gateway answers
/// 503 `storage-unavailable` with the condition `clock-behind`) until the clock catches up
/// or an operator records the correction (`sluice audit accept-clock`), whose entry is the
/// one allowed to step back.
public enum AuditClock {
    /// The largest step back absorbed without stopping.
    public static let tolerance: TimeInterval = 300

    /// The time to stamp with at `now`, after the latest entry's `latest`.
    public static func entryTime(now: Date, latest: Date?, acceptingCorrection: Bool = false) throws(StoreError) -> Date {
        guard let latest, latest > now, !acceptingCorrection else { return now }
        let behind = latest.timeIntervalSince(now)
        guard behind <= tolerance else {
            throw .unavailable(
                .clockBehind,
                reason:
                    "the clock is \(Int(behind.rounded())) s behind the audit trail's latest entry; fix the clock, or record the correction with `sluice audit accept-clock`"
            )
        }
        return latest
    }
}
