import Foundation
import SluiceAudit
import SluiceStore

/// The figures of the overview, read in one read transaction: the period's entries added
/// up (``AuditSummary``), and what stands now — packages not yet acknowledged or past
/// their retention, requests past their deadline.
struct ConsoleOverview: Sendable {
    var period: ConsolePeriod
    var summary: AuditSummary
    var unacknowledged: [String: Int]
    var pastRetention: [String: Int]
    var requestsOverdue: Int
    /// How many entries the period's summary read.
    var entriesRead: Int { summary.entries }

    static func read(_ store: StoreReader, period: ConsolePeriod, now: Date) throws -> ConsoleOverview {
        var summary = AuditSummary()
        try store.audit.forEachEntry(matching: AuditFilter(since: period.since, until: period.until)) { entry in
            summary.add(json: entry.json)
        }
        let time = AuditTime.format(now)
        let outstanding = try store.packages.outstanding(at: time)
        return ConsoleOverview(
            period: period, summary: summary, unacknowledged: outstanding.unacknowledged, pastRetention: outstanding.pastRetention,
            requestsOverdue: try store.dataRequests.overdueCount(at: time))
    }
}
