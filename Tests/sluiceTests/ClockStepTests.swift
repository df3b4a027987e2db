import Foundation
import Testing

/// The clock stepping under a running gateway, as the trail sees it: another process on
/// the host writes entries with its clock an hour ahead (`faketime`), so the gateway's own
/// clock is an hour behind the trail. It refuses every write (503, condition
/// `clock-behind`, told by `/healthz`) rather than date entries before ones already
/// written, until the correction is recorded; a clock a minute behind is absorbed.
@Suite(
    "The clock stepping under a running gateway", .serialized,
    .enabled(if: SluiceProcess.tool("faketime") != nil, "needs faketime (Debian's faketime package)"))
struct ClockStepTests {
    static func faketime(_ offset: String, _ arguments: [String], in gateway: GatewayProcess) throws -> SluiceProcess.Result {
        try SluiceProcess.run(SluiceProcess.tool("faketime")!, ["-f", offset, SluiceProcess.executable] + arguments, in: gateway.folder)
    }

    @Test func entriesNeverRunBackwardsAndALargeStepStopsWritesUntilCorrected() throws {
        let gateway = try GatewayProcess(configuration: "store: { check_seconds: 1 }\n")
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)

        // A minute behind: absorbed, the entry takes the latest entry's time.
        #expect(try Self.faketime("-60s", ["audit", "checkpoint", "--sign"], in: gateway).status == 0)
        // An hour ahead: the trail's latest entry is now an hour past the gateway's clock.
        #expect(try Self.faketime("+1h", ["audit", "checkpoint", "--sign"], in: gateway).status == 0)

        let refused = try TrustBoundaryTests.submit(gateway)
        #expect(refused.status == 503 && refused.body.contains("urn:sluice:problem:storage-unavailable"), "\(refused.body)")
        let unhealthy = try StorageFaultTests.awaitHealth(gateway, status: 503)
        #expect(unhealthy["storage"] as? String == "clock-behind", "\(unhealthy)")

        let corrected = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "accept-clock", "--reason", "the host's clock ran an hour ahead; NTP restored"], in: gateway.folder)
        #expect(corrected.status == 0, "\(corrected.stderr)")
        _ = try StorageFaultTests.awaitHealth(gateway, status: 200)
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        #expect(gateway.stop() == 0)

        // Every entry's time is at least its predecessor's, but for the one correction.
        let trail = try gateway.exportedTrail().split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        var backwards: [String] = []
        for (previous, entry) in zip(trail, trail.dropFirst()) {
            if let before = previous["time"] as? String, let time = entry["time"] as? String, time < before {
                backwards.append(entry["action"] as? String ?? "?")
            }
        }
        #expect(backwards == ["gateway.clock_corrected"], "\(backwards)")
        let checkpointReads = trail.filter { $0["action"] as? String == "audit.checkpoint_read" }.compactMap { $0["time"] as? String }
        #expect(checkpointReads.count == 2)
        #expect(TrustBoundaryTests.entries(gateway.exportedTrailText, action: "gateway.storage_outage").first?["reason"] as? String == "clock-behind")
        #expect(try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify"], in: gateway.folder).status == 0)
    }

    /// The gateway itself run with its wall clock read from a file (libfaketime), its time
    /// since boot real: the clock is moved two hours forward under it. Writes stop (503,
    /// `clock-ahead`) before anything is dated by the new time, and resume once an operator
    /// confirms it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Self.library), "needs libfaketime"))
    func aStepForwardStopsWritesUntilConfirmed() throws {
        let offsetFile = try SluiceProcess.temporaryFolder() + "/offset"
        try "+0s\n".write(toFile: offsetFile, atomically: true, encoding: .utf8)
        let gateway = try GatewayProcess(
            configuration: "store: { check_seconds: 1 }\n",
            launcher: [
                // FAKETIME_SHARED names no shared clock: without it, libfaketime 0.9.10 sets
                // one up as it loads, and the program it loads into loses its arguments.
                "/usr/bin/env", "LD_PRELOAD=" + Self.library, "FAKETIME_TIMESTAMP_FILE=" + offsetFile, "FAKETIME_NO_CACHE=1",
                "FAKETIME_DONT_FAKE_MONOTONIC=1", "FAKETIME_SHARED=none none",
            ])
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        try "+2h\n".write(toFile: offsetFile, atomically: true, encoding: .utf8)
        let unhealthy = try StorageFaultTests.awaitHealth(gateway, status: 503)
        #expect(unhealthy["storage"] as? String == "clock-ahead", "\(unhealthy)")
        let refused = try TrustBoundaryTests.submit(gateway)
        #expect(refused.status == 503 && refused.body.contains("urn:sluice:problem:storage-unavailable"), "\(refused.body)")

        // Without --forward the command says what to do; with it, the gateway resumes.
        let unsaid = try SluiceProcess.run(SluiceProcess.executable, ["audit", "accept-clock", "--reason", "NTP fixed"], in: gateway.folder)
        #expect(unsaid.stdout.contains("--forward"), "\(unsaid.stdout)")
        let confirmed = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "accept-clock", "--forward", "--reason", "the host's clock was two hours slow; NTP restored"],
            in: gateway.folder)
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        _ = try StorageFaultTests.awaitHealth(gateway, status: 200)
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        #expect(gateway.stop() == 0)
        // The trail now runs two hours ahead of this host's clock: read it with the gateway's.
        let exported = try Self.faketime("+2h", ["audit", "export", "--format", "jsonl"], in: gateway).stdout
        #expect(TrustBoundaryTests.entries(exported, action: "gateway.storage_outage").first?["reason"] as? String == "clock-ahead")
        #expect(TrustBoundaryTests.entries(exported, action: "submit.accepted").count == 2)
        #expect(TrustBoundaryTests.entries(exported, action: "gateway.clock_corrected").count == 1)
        #expect(try Self.faketime("+2h", ["audit", "verify"], in: gateway).status == 0)
    }

    static let library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
}
