import Foundation
import SluiceAudit
import Synchronization
import Testing

@testable import SluiceStore

/// Entry times never run backwards: a small step back is absorbed, a large one stops
/// writes until the clock catches up or the correction is recorded.
@Suite struct AuditClockTests {
    static let latest = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theRule() throws {
        #expect(try AuditClock.entryTime(now: Self.latest.addingTimeInterval(5), latest: Self.latest) == Self.latest.addingTimeInterval(5))
        #expect(try AuditClock.entryTime(now: Self.latest, latest: nil) == Self.latest)
        #expect(try AuditClock.entryTime(now: Self.latest.addingTimeInterval(-60), latest: Self.latest) == Self.latest, "absorbed")
        #expect(throws: StoreError.self) { try AuditClock.entryTime(now: Self.latest.addingTimeInterval(-301), latest: Self.latest) }
        #expect(
            try AuditClock.entryTime(now: Self.latest.addingTimeInterval(-3600), latest: Self.latest, acceptingCorrection: true)
                == Self.latest.addingTimeInterval(-3600))
    }

    @Test func aTrailWhoseClockStepsBackStopsUntilTheCorrectionIsRecorded() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let now = Mutex(Self.latest)
        let trail = AuditTrail(store: fixture.database, signer: fixture.signer, clock: { now.withLock { $0 } })
        try trail.record(StoreFixture.event(0))

        now.withLock { $0 = Self.latest.addingTimeInterval(-60) }
        let absorbed = try trail.record(StoreFixture.event(1))
        #expect(absorbed.time == AuditTime.format(Self.latest))

        now.withLock { $0 = Self.latest.addingTimeInterval(-3600) }
        do {
            try trail.record(StoreFixture.event(2))
            Issue.record("an entry dated an hour before the latest was written")
        } catch StoreError.unavailable(let condition, _) {
            #expect(condition == .clockBehind)
        }
        #expect(try fixture.database.read { store in try store.audit.size() } == 2, "nothing of the refused write")

        let correction = try trail.recordClockCorrection(
            AuditEvent(actor: AuditActor(kind: .localAdmin, id: "host"), action: .clockCorrected, outcome: .success, reason: "NTP fixed"))
        #expect(correction.time == AuditTime.format(Self.latest.addingTimeInterval(-3600)))
        now.withLock { $0 = Self.latest.addingTimeInterval(-3599) }
        let after = try trail.record(StoreFixture.event(3))
        #expect(after.time == AuditTime.format(Self.latest.addingTimeInterval(-3599)))
        #expect(try trail.latestEntryTime() == Self.latest.addingTimeInterval(-3599))
        #expect(try fixture.verify().passed)
    }
}
