import Foundation
import SluiceAudit
import Synchronization

/// Failed authentications, counted as they happen and written to the audit trail in a
/// bounded form: one entry per source address and reason per interval, with the count,
/// and at most ``maximumSources`` of those an interval, the rest folded into one entry.
///
/// Anyone who can reach the port can fail a handshake, and any holder of a certificate
/// from the CA can present one that is not registered; an entry per attempt would let them
/// grow the permanent record as fast as they can connect. This way the trail grows by at
/// most `maximumSources + 1` entries an interval, whatever they do, and `/metrics` still
/// counts every attempt at once.
final class AuthenticationFailureLedger: Sendable {
    /// Why an authentication failed, in the trail's fixed vocabulary.
    enum Reason: String, Sendable, CaseIterable {
        case noCertificate = "no-certificate"
        case untrustedCertificate = "untrusted-certificate"
        case protocolVersion = "protocol-version"
        case notTLS = "not-tls"
        case handshakeTimeout = "handshake-timeout"
        case handshakeFailed = "handshake-failed"
        case notForClients = "not-a-client-certificate"
        case unregistered = "unregistered-certificate"
        case revoked = "revoked-certificate"
        /// A client asked to renegotiate an established TLS 1.2 session: refused, and the
        /// connection ends.
        case renegotiation = "renegotiation-refused"
    }

    private struct Source: Hashable {
        var address: String?
        var reason: Reason
        var fingerprint: String?
    }

    private struct Pending {
        var sources: [Source: Int] = [:]
        var folded: [Reason: Int] = [:]
        var since: Date?
    }

    let maximumSources: Int
    private let metrics: GatewayMetrics
    private let pending = Mutex(Pending())

    init(maximumSources: Int, metrics: GatewayMetrics) {
        self.maximumSources = maximumSources
        self.metrics = metrics
    }

    /// Counts one failure now; it reaches the trail at the next ``drain(actor:now:)``.
    func note(_ reason: Reason, address: String?, fingerprint: String? = nil, now: Date = Date()) {
        metrics.authenticationFailure(reason: reason.rawValue)
        let source = Source(address: address, reason: reason, fingerprint: fingerprint)
        pending.withLock { pending in
            if pending.since == nil { pending.since = now }
            if pending.sources[source] != nil || pending.sources.count < maximumSources {
                pending.sources[source, default: 0] += 1
            } else {
                pending.folded[reason, default: 0] += 1
            }
        }
    }

    /// The entries for everything noted since the last drain, and a fresh start.
    func drain(now: Date = Date()) -> [AuditEvent] {
        let taken = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        guard let since = taken.since else { return [] }
        // The entry's own time ends the window; its length says where it began.
        let window: [String: AuditDetail] = ["window_seconds": .count(Int(max(0, now.timeIntervalSince(since)).rounded(.up)))]
        var events = taken.sources.sorted { ($0.key.address ?? "", $0.key.reason.rawValue) < ($1.key.address ?? "", $1.key.reason.rawValue) }
            .map { source, count in
                AuditEvent(
                    actor: AuditActor(kind: .agency, id: "unknown", certificateFingerprint: source.fingerprint), action: .authenticationFailed,
                    outcome: .denied, reason: source.reason.rawValue, remoteAddress: source.address,
                    details: window.merging(["attempts": .count(count)]) { old, _ in old })
            }
        if !taken.folded.isEmpty {
            var details = window
            details["attempts"] = .count(taken.folded.values.reduce(0, +))
            details["reasons"] = .names(taken.folded.keys.map(\.rawValue).sorted())
            details["folded_sources"] = .flag(true)
            events.append(
                AuditEvent(
                    actor: AuditActor(kind: .agency, id: "unknown"), action: .authenticationFailed, outcome: .denied,
                    reason: "more-sources-than-recorded", details: details))
        }
        return events
    }
}
