import Foundation
import SluiceAudit
import Testing

/// `verify` reads every entry's time: one dated before an entry written earlier is a
/// finding, unless it is the recorded clock correction, after which time goes on from it.
@Suite struct AuditTimeOrderTests {
    static func replay(_ timesAndActions: [(String, AuditAction)]) -> AuditReplay {
        let entries = timesAndActions.enumerated().map { index, item in
            AuditEntry(
                sequence: UInt64(index), time: item.0, actor: AuditActor(kind: .gateway, id: "gateway"), action: item.1, outcome: .success)
        }
        let text = entries.map { $0.canonicalJSON }.joined(separator: [0x0A])
        let leaves = entries.flatMap { $0.leafHash.bytes }
        let times = timesAndActions.map(\.0)
        var batch = AuditEntryBatch()
        Array(times.min()!.utf8).withUnsafeBytes { minTime in
            Array(times.max()!.utf8).withUnsafeBytes { maxTime in
                leaves.withUnsafeBytes { leafHashes in
                    Array(text).withUnsafeBytes { entriesText in
                        batch.appendBundle(
                            first: 0, count: Int64(entries.count), minTime: minTime, maxTime: maxTime, leafHashes: leafHashes,
                            entries: entriesText)
                    }
                }
            }
        }
        let replay = AuditReplay(signed: [], keptCheckpoint: nil, findingLimit: 50)
        replay.fold(batch)
        return replay
    }

    @Test func entriesDatedInOrderPass() {
        let replay = Self.replay([
            ("2026-12-05T08:00:00.000Z", .submitAccepted), ("2026-12-05T08:00:00.000Z", .packageFetched),
            ("2026-12-05T08:00:01.500Z", .inboxListed),
        ])
        #expect(replay.findings.isEmpty, "\(replay.findings.map(\.message))")
    }

    @Test func anEntryDatedBeforeAnEarlierOneIsFound() {
        let replay = Self.replay([
            ("2026-12-05T08:00:00.000Z", .submitAccepted), ("2026-12-05T09:00:00.000Z", .packageFetched),
            ("2026-12-05T08:30:00.000Z", .inboxListed),
        ])
        #expect(replay.findings.map(\.kind) == [.timeReversed])
        #expect(replay.findings.first?.entry == 2)
    }

    @Test func aRecordedCorrectionMayStepBackAndTimeGoesOnFromIt() {
        let replay = Self.replay([
            ("2026-12-05T09:00:00.000Z", .submitAccepted), ("2026-12-05T08:00:00.000Z", .clockCorrected),
            ("2026-12-05T08:00:05.000Z", .packageFetched), ("2026-12-05T08:00:04.000Z", .inboxListed),
        ])
        #expect(replay.findings.map(\.kind) == [.timeReversed])
        #expect(replay.findings.first?.entry == 3)
    }
}
