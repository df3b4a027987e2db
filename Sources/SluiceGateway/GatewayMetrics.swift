import Foundation
import Prometheus
import SluiceAudit
import SluiceStore
import Synchronization

/// The gateway's Prometheus metrics. Labels are agreement ids, outcomes, route patterns
/// and status codes: bounded sets, never anything from a request body.
public final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// One submission label set's metrics, made once: making them by name and labels
    /// builds the name and looks it up under the registry's lock, for every request.
    private struct SubmissionMetrics {
        let count: Counter
        let bytes: Counter
        let records: Counter
        let duration: DurationHistogram
    }

    private struct RequestMetrics {
        let count: Counter
        let duration: DurationHistogram
    }

    private struct SubmissionLabels: Hashable {
        var agreement: String
        var outcome: String
    }

    private struct RequestLabels: Hashable {
        var method: String
        var route: String
        var status: String
    }

    private let submissionMetrics = Mutex<[SubmissionLabels: SubmissionMetrics]>([:])
    private let requestMetrics = Mutex<[RequestLabels: RequestMetrics]>([:])
    private let commitDuration: DurationHistogram
    private let commitSubmissions: ValueHistogram
    private let authenticationFailures = Mutex<[String: Counter]>([:])
    private let connectionTimeouts = Mutex<[String: Counter]>([:])
    private let storageRefusals = Mutex<[String: Counter]>([:])
    private let connectionsRefused: Counter
    private let connectionsOpen: Gauge
    private let lastBackup = Mutex<Date?>(nil)
    private let backupsFailed: Counter

    public init() {
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.name("commit_duration", unit: "seconds", help: "Time of each durable group commit of submissions, fsync included."),
            buckets: Self.latencyBuckets)
        commitSubmissions = registry.makeValueHistogram(
            descriptor: Self.name("commit_submissions", help: "Submissions handled per group commit (stored, repeated or refused)."),
            buckets: [1, 2, 4, 8, 16, 32, 64])
        connectionsRefused = registry.makeCounter(
            descriptor: Self.name("connections_refused", unit: "total", help: "Connections closed at once because max_open were open."))
        connectionsOpen = registry.makeGauge(descriptor: Self.name("connections_open", help: "Connections open now."))
        backupsFailed = registry.makeCounter(
            descriptor: Self.name("backups_failed", unit: "total", help: "Scheduled backups that could not be made."))
    }

    /// A backup was made (or found, at start) at `time`.
    func backupMade(at time: Date) { lastBackup.withLock { $0 = max($0 ?? time, time) } }

    func backupFailed() { backupsFailed.increment() }

    /// A failed authentication, by reason (a fixed vocabulary): every one is counted here,
    /// while the audit trail gets them in bounded form.
    func authenticationFailure(reason: String) {
        counter(in: authenticationFailures, key: reason) {
            registry.makeCounter(
                descriptor: Self.name("authentication_failures", unit: "total", help: "Failed TLS handshakes and refused certificates by reason."),
                labels: [("reason", reason)])
        }.increment()
    }

    /// A connection closed because a phase took too long: handshake, idle, head, body.
    func connectionTimeout(phase: String) {
        counter(in: connectionTimeouts, key: phase) {
            registry.makeCounter(
                descriptor: Self.name("connection_timeouts", unit: "total", help: "Connections closed for taking too long, by phase."),
                labels: [("phase", phase)])
        }.increment()
    }

    func connectionRefused() { connectionsRefused.increment() }

    /// A request refused because the storage could not take writes, by condition.
    func storageRefusal(condition: StorageCondition) {
        counter(in: storageRefusals, key: condition.rawValue) {
            registry.makeCounter(
                descriptor: Self.name("storage_refusals", unit: "total", help: "Requests refused while the storage could not take writes."),
                labels: [("condition", condition.rawValue)])
        }.increment()
    }

    func connections(open: Int) { connectionsOpen.set(Double(open)) }

    private func counter(in table: borrowing Mutex<[String: Counter]>, key: String, make: () -> Counter) -> Counter {
        table.withLock { known in
            if let made = known[key] { return made }
            let made = make()
            known[key] = made
            return made
        }
    }

    /// `sluice_<name>_<unit>`, the names the exposition has always had.
    static func name(_ metric: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "sluice", metricName: metric, unitName: unit, helpText: help)
    }

    /// A submission's end: `outcome` is accepted, rejected or denied.
    func submission(agreement: String, outcome: String, bytes: Int, records: Int, duration: Duration) {
        let key = SubmissionLabels(agreement: agreement, outcome: outcome)
        let metrics = submissionMetrics.withLock { known in
            if let made = known[key] { return made }
            let labels = [("agreement", agreement), ("outcome", outcome)]
            let made = SubmissionMetrics(
                count: registry.makeCounter(
                    descriptor: Self.name("submissions", unit: "total", help: "Package submissions by agreement and outcome."), labels: labels),
                bytes: registry.makeCounter(
                    descriptor: Self.name("submission_bytes", unit: "total", help: "Request body bytes received in submissions."), labels: labels),
                records: registry.makeCounter(
                    descriptor: Self.name("submission_records", unit: "total", help: "Records received in submissions."), labels: labels),
                duration: registry.makeDurationHistogram(
                    descriptor: Self.name(
                        "submission_duration", unit: "seconds", help: "Time from request to answer for submissions, including the durable commit."),
                    labels: labels, buckets: Self.latencyBuckets))
            known[key] = made
            return made
        }
        metrics.count.increment()
        metrics.bytes.increment(by: Int64(bytes))
        metrics.records.increment(by: Int64(records))
        metrics.duration.record(duration)
    }

    /// A group commit's end: how many submissions its transaction handled (stored,
    /// repeated or refused for a reused key) and how long it took, its fsync included. A
    /// database or disk stall shows here before anywhere else.
    func commit(submissions: Int, duration: Duration) {
        commitDuration.record(duration)
        commitSubmissions.record(Double(submissions))
    }

    /// Methods with their own label; any other a client sends is counted as `OTHER`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    /// Any request's end, by route pattern (`/v1/packages/:package`) and status.
    func request(method: String, route: String, status: Int, duration: Duration) {
        let method = Self.knownMethods.contains(method) ? method : "OTHER"
        let status = String(status)
        let key = RequestLabels(method: method, route: route, status: status)
        let metrics = requestMetrics.withLock { known in
            if let made = known[key] { return made }
            let made = RequestMetrics(
                count: registry.makeCounter(
                    descriptor: Self.name("http_requests", unit: "total", help: "HTTP requests by method, route pattern and status."),
                    labels: [("method", method), ("route", route), ("status", status)]),
                duration: registry.makeDurationHistogram(
                    descriptor: Self.name("http_request_duration", unit: "seconds", help: "HTTP request latency by route pattern."),
                    labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets))
            known[key] = made
            return made
        }
        metrics.count.increment()
        metrics.duration.record(duration)
    }

    /// The text exposition, with the storage's condition and the audit trail's size and
    /// checkpoint age read now.
    func exposition(store: any GatewayStore, storage: StorageCondition?, now: Date = Date()) -> [UInt8] {
        for condition in StorageCondition.allCases {
            registry.makeGauge(
                descriptor: Self.name("storage_unavailable", help: "1 while the storage cannot take writes, by condition."),
                labels: [("condition", condition.rawValue)]
            ).set(Double(condition == storage ? 1 : 0))
        }
        registry.makeGauge(
            descriptor: Self.name("backup_age", unit: "seconds", help: "Seconds since the latest scheduled backup (-1: none yet).")
        ).set(lastBackup.withLock { $0 }.map { Date().timeIntervalSince($0) } ?? -1)
        if let (size, latest) = try? store.read({ store in (try store.audit.size(), try store.audit.latestCheckpoint()) }) {
            registry.makeGauge(descriptor: Self.name("audit_entries", help: "Entries in the audit trail.")).set(Double(size))
            registry.makeGauge(descriptor: Self.name("audit_checkpoint_size", help: "Entries covered by the latest signed checkpoint."))
                .set(Double(latest?.size ?? 0))
            let age = latest?.signedTime.map { Date().timeIntervalSince($0) } ?? -1
            registry.makeGauge(
                descriptor: Self.name("audit_checkpoint_age", unit: "seconds", help: "Seconds since the latest checkpoint was signed (-1: none yet).")
            ).set(age)
            registry.makeGauge(descriptor: Self.name("audit_entries_uncheckpointed", help: "Entries not yet covered by a signed checkpoint."))
                .set(Double(size - min(size, latest?.size ?? 0)))
        }
        if let overdue = try? store.read({ store in try store.dataRequests.overdueCount(at: AuditTime.format(now)) }) {
            registry.makeGauge(descriptor: Self.name("requests_overdue", help: "Open requests past their answer deadline.")).set(Double(overdue))
        }
        return registry.emitToBuffer()
    }
}
