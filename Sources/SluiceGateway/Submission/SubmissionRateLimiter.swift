import Foundation
import Synchronization

/// A token bucket: `capacity` requests at once, refilled at `capacity` per minute. Pure
/// arithmetic on the times it is given.
struct TokenBucket: Sendable {
    private(set) var capacity: Double
    private(set) var tokens: Double
    private var updated: Date

    init(perMinute: Int, now: Date) {
        capacity = Double(max(1, perMinute))
        tokens = capacity
        updated = now
    }

    /// A new rate from the next request on: the bucket holds no more than the new
    /// capacity, and refills at the new rate.
    mutating func limit(perMinute: Int) {
        capacity = Double(max(1, perMinute))
        tokens = min(tokens, capacity)
    }

    /// Takes a token; nil when granted, else the seconds until one will be there.
    mutating func take(now: Date) -> TimeInterval? {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(capacity, tokens + elapsed * capacity / 60)
        updated = now
        guard tokens >= 1 else { return (1 - tokens) * 60 / capacity }
        tokens -= 1
        return nil
    }
}

/// Each agency's submission rate under each agreement, as the agreement's
/// `rate_per_minute` allows.
final class SubmissionRateLimiter: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// nil when the request may go ahead, else whole seconds to wait (for Retry-After).
    func admit(agency: String, agreement: String, perMinute: Int, now: Date = Date()) -> Int? {
        buckets.withLock { buckets in
            let key = agency + "\u{0}" + agreement
            var bucket = buckets[key] ?? TokenBucket(perMinute: perMinute, now: now)
            // The agreement's rate as it stands now: a change applies from the next request.
            if bucket.capacity != Double(max(1, perMinute)) { bucket.limit(perMinute: perMinute) }
            let wait = bucket.take(now: now)
            buckets[key] = bucket
            return wait.map { max(1, Int($0.rounded(.up))) }
        }
    }
}
