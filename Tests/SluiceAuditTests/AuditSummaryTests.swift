import Foundation
import SluiceAudit
import Testing

@Suite("Audit summary") struct AuditSummaryTests {
    static func entry(
        _ action: AuditAction, _ outcome: AuditOutcome, time: String = "2026-12-01T10:00:00.000Z", agreement: String? = "a-1",
        reason: String? = nil, details: [String: AuditDetail] = [:]
    ) -> String {
        let entry = AuditEntry(
            sequence: 0, time: time, actor: AuditActor(kind: .agency, id: "x"), action: action, agreementID: agreement, agreementVersion: 1,
            outcome: outcome, reason: reason, details: details)
        return String(decoding: entry.canonicalJSON, as: UTF8.self)
    }

    @Test func addsDeliveriesRefusalsAndSecurityEventsByDayAndAgreement() {
        var summary = AuditSummary()
        summary.add(json: Self.entry(.submitAccepted, .success, details: ["records": .count(4)]))
        summary.add(json: Self.entry(.submitAccepted, .success, time: "2026-12-02T00:00:00.000Z", agreement: "a-2", details: ["records": .count(1)]))
        // A repeated Idempotency-Key is the same package: not counted twice.
        summary.add(json: Self.entry(.submitAccepted, .success, details: ["repeated": .flag(true)]))
        summary.add(json: Self.entry(.submitRejected, .rejected, reason: "invalid-records", details: ["records": .count(9)]))
        summary.add(json: Self.entry(.submitRejected, .rejected, reason: "invalid-records"))
        summary.add(json: Self.entry(.accessDenied, .denied, agreement: nil, reason: "needs the auditor role"))
        summary.add(json: Self.entry(.authenticationFailed, .denied, agreement: nil, details: ["attempts": .count(5), "window_seconds": .count(60)]))
        summary.add(json: Self.entry(.backupCreated, .failed, agreement: nil))
        summary.add(json: Self.entry(.inboxListed, .success))
        summary.add(json: "{not an entry")
        // A reason with characters JSON escapes is counted under its text.
        summary.add(json: Self.entry(.submitRejected, .denied, time: "2026-12-02T01:00:00.000Z", reason: "quote \" and \\"))

        #expect(summary.entries == 11 && summary.unreadable == 1)
        #expect(summary.byAgreement == ["a-1": .init(packages: 1, records: 4), "a-2": .init(packages: 1, records: 1)])
        #expect(summary.byDay == ["2026-12-01": .init(packages: 1, records: 4), "2026-12-02": .init(packages: 1, records: 1)])
        #expect(summary.delivered == .init(packages: 2, records: 5))
        #expect(
            summary.byAgreementDay == ["a-1": ["2026-12-01": .init(packages: 1, records: 4)], "a-2": ["2026-12-02": .init(packages: 1, records: 1)]])
        #expect(summary.refusals[.init(action: "submit.rejected", outcome: "rejected", reason: "invalid-records")] == 2)
        #expect(summary.refusals[.init(action: "access.denied", outcome: "denied", reason: "needs the auditor role")] == 1)
        #expect(summary.refusals[.init(action: "submit.rejected", outcome: "denied", reason: "quote \" and \\")] == 1)
        #expect(summary.refusalCount == 4)
        #expect(summary.accessDeniedByDay == ["2026-12-01": 1] && summary.authenticationFailuresByDay == ["2026-12-01": 5])
        #expect(summary.failures == 1)
    }
}
