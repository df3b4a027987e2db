import Foundation

/// A store that keeps the agencies' submission rates itself, for every gateway that shares
/// it (``PostgresStore``): a token bucket per agency and agreement, so several gateways
/// allow an agency no more than one would. A store of one gateway leaves rates to that
/// gateway's memory.
public protocol SharedRateLimits: Sendable {
    /// Takes a token from `bucket`, refilled at `perMinute` and holding as many: nil when
    /// granted, else the seconds until a token will be there.
    func takeToken(bucket: String, perMinute: Int) throws -> TimeInterval?
}
