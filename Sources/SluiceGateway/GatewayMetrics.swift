import Foundation
import Prometheus
import SluiceStore

/// The gateway's Prometheus metrics. Labels are agreement ids, outcomes, route patterns
/// and status codes: bounded sets, never anything from a request body.
public final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init() {}

    /// A submission's end: `outcome` is accepted, rejected or denied.
    func submission(agreement: String, outcome: String, bytes: Int, records: Int, duration: Duration) {
        let labels = [("agreement", agreement), ("outcome", outcome)]
        registry.makeCounter(name: "sluice_submissions_total", labels: labels, help: "Package submissions by agreement and outcome.")
            .increment()
        registry.makeCounter(name: "sluice_submission_bytes_total", labels: labels, help: "Request body bytes received in submissions.")
            .increment(by: Int64(bytes))
        registry.makeCounter(name: "sluice_submission_records_total", labels: labels, help: "Records received in submissions.")
            .increment(by: Int64(records))
        registry.makeDurationHistogram(
            name: "sluice_submission_duration_seconds", labels: [("agreement", agreement), ("outcome", outcome)],
            buckets: Self.latencyBuckets, help: "Time from request to answer for submissions, including the durable commit."
        ).record(duration)
    }

    /// Any request's end, by route pattern (`/v1/packages/:package`) and status.
    func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "sluice_http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests by method, route pattern and status."
        ).increment()
        registry.makeDurationHistogram(
            name: "sluice_http_request_duration_seconds", labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets, help: "HTTP request latency by route pattern."
        ).record(duration)
    }

    /// The text exposition, with the audit trail's size and checkpoint age read now.
    func exposition(database: GatewayDatabase) -> [UInt8] {
        if let (size, latest) = try? database.read({ db in (try AuditLog(db).size(), try AuditLog(db).latestCheckpoint()) }) {
            registry.makeGauge(name: "sluice_audit_entries", help: "Entries in the audit trail.").set(Double(size))
            registry.makeGauge(name: "sluice_audit_checkpoint_size", help: "Entries covered by the latest signed checkpoint.")
                .set(Double(latest?.size ?? 0))
            let age = latest?.signedTime.map { Date().timeIntervalSince($0) } ?? -1
            registry.makeGauge(name: "sluice_audit_checkpoint_age_seconds", help: "Seconds since the latest checkpoint was signed (-1: none yet).")
                .set(age)
            registry.makeGauge(name: "sluice_audit_entries_uncheckpointed", help: "Entries not yet covered by a signed checkpoint.")
                .set(Double(size - min(size, latest?.size ?? 0)))
        }
        return registry.emitToBuffer()
    }
}
