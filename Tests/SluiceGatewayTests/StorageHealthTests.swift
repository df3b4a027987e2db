import Foundation
import SluiceAudit
import SluiceStore
import Testing

@testable import SluiceGateway

/// The outage's bookkeeping: refusals counted, held entries bounded, an outage that could
/// not be recorded carried on whole.
@Suite struct StorageHealthTests {
    static let read = AuditEvent(actor: AuditActor(kind: .agency, id: "security-officer"), action: .metricsRead, outcome: .success)

    @Test func withoutAnOutageNothingIsRefusedOrHeld() {
        let health = StorageHealth()
        #expect(health.refuse() == nil)
        #expect(!health.hold(Self.read))
        #expect(health.end() == nil)
    }

    @Test func anOutageCountsItsRefusalsAndKeepsItsStart() throws {
        let health = StorageHealth()
        let start = Date(timeIntervalSince1970: 1_000_000)
        health.report(.full, at: start)
        health.report(.failing, at: start.addingTimeInterval(5))
        #expect(health.refuse() == .failing)
        #expect(health.refuse() == .failing)
        for _ in 0..<(StorageHealth.heldLimit + 7) { #expect(health.hold(Self.read)) }
        let ended = try #require(health.end())
        #expect(ended.since == start && ended.refused == 2 && ended.held.count == StorageHealth.heldLimit && ended.unrecorded == 7)
        #expect(health.current == nil)

        let entry = ended.event(actor: AuditActor(kind: .gateway, id: "g"), endedAt: start.addingTimeInterval(42))
        #expect(entry.action == .storageOutage && entry.reason == "failing")
        #expect(entry.details["seconds"] == .count(42) && entry.details["refused"] == .count(2) && entry.details["unrecorded"] == .count(7))
    }

    @Test func anOutageWhoseEndCouldNotBeRecordedGoesOn() throws {
        let health = StorageHealth()
        let start = Date(timeIntervalSince1970: 1_000_000)
        health.report(.full, at: start)
        _ = health.refuse()
        _ = health.hold(Self.read)
        let ended = try #require(health.end())
        health.report(.full, at: start.addingTimeInterval(10))
        _ = health.refuse()
        health.resume(ended)
        let current = try #require(health.current)
        #expect(current.since == start && current.refused == 2 && current.held.count == 1)
    }
}
