import Foundation

/// When the gateway signs a new checkpoint: after `everyEntries` new entries or
/// `interval` after the last one, whichever comes first, and only if the log grew.
public struct CheckpointPolicy: Sendable, Hashable {
    public var everyEntries: UInt64
    public var interval: TimeInterval

    public init(everyEntries: UInt64 = 1000, interval: TimeInterval = 60) {
        self.everyEntries = max(1, everyEntries)
        self.interval = interval
    }

    /// Whether a checkpoint is due, given the latest one (nil when none exists yet).
    public func isDue(latest: (size: UInt64, time: Date)?, size: UInt64, now: Date) -> Bool {
        guard let latest else { return size > 0 }
        guard size > latest.size else { return false }
        return size - latest.size >= everyEntries || now.timeIntervalSince(latest.time) >= interval
    }
}
