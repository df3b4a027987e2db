import Foundation
import SluiceAudit
import SluiceStore

/// The figures of the overview, read in one read transaction: the period's entries added
/// up (``AuditSummary``), and what stands now — packages not yet fetched, not yet
/// acknowledged or past their retention, requests past their deadline.
struct ConsoleOverview: Sendable {
    var period: ConsolePeriod
    var summary: AuditSummary
    var outstanding: OutstandingPackages
    var requestsOverdue: Int
    /// Whether the period held more entries than one overview reads, so its figures are
    /// those of its first ``largestRead`` entries only.
    var cutShort = false
    /// How many entries the period's summary read.
    var entriesRead: Int { summary.entries }

    /// The most entries one overview reads (about seven seconds): a longer period's page
    /// says its figures stop there, rather than hold a thread and a read for minutes.
    static let largestRead = 5_000_000

    static func read(_ store: any StoreReader, period: ConsolePeriod, now: Date, largestRead: Int = largestRead) throws -> ConsoleOverview {
        var summary = AuditSummary()
        var filter = AuditFilter(since: period.since, until: period.until)
        filter.limit = largestRead + 1
        var cutShort = false
        try store.audit.forEachEntry(matching: filter) { entry in
            if summary.entries == largestRead {
                cutShort = true
            } else {
                summary.add(json: entry.json)
            }
        }
        let time = AuditTime.format(now)
        return ConsoleOverview(
            period: period, summary: summary, outstanding: try store.packages.outstanding(at: time),
            requestsOverdue: try store.dataRequests.overdueCount(at: time), cutShort: cutShort)
    }
}
