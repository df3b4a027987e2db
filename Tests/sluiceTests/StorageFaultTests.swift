import Foundation
import Testing

/// The storage under a running gateway fails: its disk fills up, its database is removed,
/// it is read-only. The gateway refuses with a problem of its own before reading a body,
/// says so in `/healthz` and `/metrics`, writes nothing partial, and resumes by itself
/// when it can (the outage then recorded in the trail).
@Suite(
    "Storage faults under a running gateway", .serialized,
    .enabled(if: PrivateDataDirectory.available, "needs a mount namespace with a tmpfs (root, or unprivileged user namespaces)"))
struct StorageFaultTests {
    static let configuration = """
        store: { min_free_bytes: 4 MiB, check_seconds: 1 }
        connections: { body_seconds: 5 }

        """

    static func health(_ gateway: GatewayProcess) throws -> (status: Int, document: [String: Any]) {
        let answer = try gateway.curl(as: "security-officer", [gateway.url + "/healthz"])
        return (answer.status, (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any] ?? [:])
    }

    /// Polls `/healthz` until its status is `status`, for up to 15 seconds.
    static func awaitHealth(_ gateway: GatewayProcess, status: Int) throws -> [String: Any] {
        for _ in 0..<60 {
            let (seen, document) = try health(gateway)
            if seen == status { return document }
            Thread.sleep(forTimeInterval: 0.25)
        }
        Issue.record("healthz never answered \(status)")
        return [:]
    }

    static func inbox(_ gateway: GatewayProcess) throws -> [String] {
        let answer = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox"])
        let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return (object?["packages"] as? [[String: Any]] ?? []).compactMap { $0["package_id"] as? String }
    }

    static func packageID(_ answer: (status: Int, body: String)) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any])?["package_id"] as? String
    }

    @Test func aFullDiskIsRefusedWithItsOwnProblemAndTheGatewayResumesWhenSpaceReturns() throws {
        let gateway = try GatewayProcess(configuration: Self.configuration, launcher: PrivateDataDirectory.launcher(megabytes: 48))
        let first = try TrustBoundaryTests.submit(gateway)
        #expect(first.status == 201, "\(first.body)")
        #expect(try Self.health(gateway).status == 200)

        // Below the headroom: noticed by the watch, before any write fails.
        let filled = try PrivateDataDirectory.run(
            "fallocate -l $(( $(df --output=avail -B1 .sluice | tail -1) - 2 * 1048576 )) .sluice/filler", in: gateway)
        #expect(filled.status == 0, "\(filled.stderr)")
        let unhealthy = try Self.awaitHealth(gateway, status: 503)
        #expect(unhealthy["status"] as? String == "unavailable" && unhealthy["storage"] as? String == "full", "\(unhealthy)")
        #expect((unhealthy["detail"] as? String)?.contains("full") == true)

        let refused = try TrustBoundaryTests.submit(gateway)
        #expect(refused.status == 507, "\(refused.body)")
        #expect(refused.body.contains("urn:sluice:problem:storage-full"))
        #expect(try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox"]).status == 507)

        // Every byte gone: whichever notices first (the watch or SQLite's own write), the
        // answer is the same and nothing is kept.
        _ = try PrivateDataDirectory.run("dd if=/dev/zero of=.sluice/filler-rest bs=64k 2>/dev/null; sync", in: gateway)
        let refusedAgain = try TrustBoundaryTests.submit(gateway, headers: ["Idempotency-Key: during-outage"])
        #expect(refusedAgain.status == 507, "\(refusedAgain.body)")

        let metrics = try gateway.curl(as: "security-officer", [gateway.url + "/metrics"])
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("sluice_storage_unavailable{condition=\"full\"} 1"), "\(metrics.body.prefix(400))")
        #expect(metrics.body.contains("sluice_storage_refusals_total{condition=\"full\"}"))

        // Space returns: the gateway resumes by itself.
        #expect(try PrivateDataDirectory.run("rm -f .sluice/filler .sluice/filler-rest", in: gateway).status == 0)
        let healthy = try Self.awaitHealth(gateway, status: 200)
        #expect(healthy["storage"] as? String == "ok")
        let second = try TrustBoundaryTests.submit(gateway, headers: ["Idempotency-Key: during-outage"])
        #expect(second.status == 201, "the refused key was never stored: \(second.body)")

        // Nothing partial: the consumer sees exactly the two packages accepted.
        let listed = try Self.inbox(gateway)
        #expect(Set(listed) == Set([Self.packageID(first), Self.packageID(second)].compactMap { $0 }), "\(listed)")
        let verified = try PrivateDataDirectory.run("\"\(SluiceProcess.executable)\" audit verify", in: gateway)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let trail = try PrivateDataDirectory.run("\"\(SluiceProcess.executable)\" audit export --format jsonl", in: gateway).stdout
        let outages = TrustBoundaryTests.entries(trail, action: "gateway.storage_outage")
        #expect(outages.count == 1)
        let details = outages.first?["details"] as? [String: Any]
        #expect(outages.first?["reason"] as? String == "full")
        #expect((details?["refused"] as? Int ?? 0) >= 3, "\(details ?? [:])")
        // The metrics read during the outage was held and recorded after it.
        #expect(!TrustBoundaryTests.entries(trail, action: "metrics.read").isEmpty)
        #expect(TrustBoundaryTests.entries(trail, action: "submit.accepted").count == 2)
        #expect(gateway.stop() == 0)
    }

    /// The data directory removed under a running gateway: its database is still open,
    /// so SQLite would go on writing into a file nobody keeps. The gateway stops
    /// acknowledging at once and does not resume by itself.
    @Test func aRemovedDataDirectoryStopsEveryAcknowledgement() throws {
        let gateway = try GatewayProcess(configuration: Self.configuration, launcher: PrivateDataDirectory.launcher(megabytes: 48))
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        #expect(try PrivateDataDirectory.run("rm -rf .sluice/*", in: gateway).status == 0)
        let refused = try TrustBoundaryTests.submit(gateway)
        #expect(refused.status == 503, "\(refused.body)")
        #expect(refused.body.contains("urn:sluice:problem:storage-unavailable"))
        let unhealthy = try Self.awaitHealth(gateway, status: 503)
        #expect(unhealthy["storage"] as? String == "missing", "\(unhealthy)")
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try Self.health(gateway).status == 503, "still refused: nothing it writes would be kept")
        #expect(try TrustBoundaryTests.submit(gateway).status == 503)
        #expect(gateway.stop() != 0, "the final checkpoint cannot be written")
        #expect(gateway.log.contains("removed or replaced"), "\(gateway.log.suffix(800))")
    }

    /// A read-only data directory at the start: the gateway does not start, and says why
    /// (not "run sluice init").
    @Test func aReadOnlyDataDirectoryAtTheStartIsNamed() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: SluiceProcess.repositoryRoot + "/Agreements", toPath: folder + "/Agreements")
        #expect(try SluiceProcess.run(SluiceProcess.executable, ["init"], in: folder).status == 0)
        let launcher = PrivateDataDirectory.launcher(megabytes: 48, readOnly: true)
        let started = try SluiceProcess.run(
            launcher[0], Array(launcher.dropFirst()) + [SluiceProcess.executable, "serve", "--listen", "127.0.0.1:0"], in: folder)
        #expect(started.status != 0)
        #expect(started.stderr.contains("read-only") && started.stderr.contains("cannot write in .sluice"), "\(started.stderr)")
        #expect(!started.stderr.contains("sluice init"))
    }

    /// Whether this machine can make a file immutable under the temporary directory (root,
    /// on ext4, XFS or btrfs): the one way to make a database read-only under a process
    /// that has it open for writing.
    static let canMakeImmutable: Bool = {
        guard geteuid() == 0, let chattr = SluiceProcess.tool("chattr") else { return false }
        let probe = NSTemporaryDirectory() + "sluice-immutable-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: probe, contents: Data("x".utf8))
        defer {
            _ = try? SluiceProcess.run(chattr, ["-i", probe])
            try? FileManager.default.removeItem(atPath: probe)
        }
        return (try? SluiceProcess.run(chattr, ["+i", probe]).status) == 0
    }()

    /// The database and its log made read-only (immutable) under the running gateway:
    /// 503 with the condition, nothing written; writable again, it resumes by itself.
    @Test(.enabled(if: canMakeImmutable, "needs root and a file system with the immutable attribute"))
    func aDatabaseMadeReadOnlyWhileRunningIsRefusedAndResumed() throws {
        let gateway = try GatewayProcess(configuration: Self.configuration)
        let first = try TrustBoundaryTests.submit(gateway)
        #expect(first.status == 201)
        let chattr = SluiceProcess.tool("chattr") ?? "/usr/bin/chattr"
        let files = [".sluice/sluice.sqlite", ".sluice/sluice.sqlite-wal"].map { gateway.folder + "/" + $0 }
        defer { _ = try? SluiceProcess.run(chattr, ["-i"] + files) }
        #expect(try SluiceProcess.run(chattr, ["+i"] + files).status == 0)

        let refused = try TrustBoundaryTests.submit(gateway, headers: ["Idempotency-Key: while-read-only"])
        #expect(refused.status == 503 && refused.body.contains("urn:sluice:problem:storage-unavailable"), "\(refused.body)")
        // The failed write says "failing" (EPERM from the log); the watch's next look names it.
        var seen = try Self.awaitHealth(gateway, status: 503)
        for _ in 0..<20 where seen["storage"] as? String != "read-only" {
            Thread.sleep(forTimeInterval: 0.25)
            seen = try Self.health(gateway).document
        }
        #expect(seen["storage"] as? String == "read-only", "\(seen)")

        #expect(try SluiceProcess.run(chattr, ["-i"] + files).status == 0)
        _ = try Self.awaitHealth(gateway, status: 200)
        let second = try TrustBoundaryTests.submit(gateway, headers: ["Idempotency-Key: while-read-only"])
        #expect(second.status == 201, "the refused key was never stored: \(second.body)")
        #expect(Set(try Self.inbox(gateway)) == Set([Self.packageID(first), Self.packageID(second)].compactMap { $0 }))
        #expect(gateway.stop() == 0)
        #expect(try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify"], in: gateway.folder).status == 0)
        let outages = TrustBoundaryTests.entries(try gateway.exportedTrail(), action: "gateway.storage_outage")
        #expect(outages.contains { ["read-only", "failing"].contains($0["reason"] as? String ?? "") }, "\(outages)")
    }
}
