import ArgumentParser
import Foundation
import SluiceClient

/// Backups of a store with many packages, through the real binary: a gateway is filled
/// over mutual TLS, then its submission throughput is measured with and without
/// `sluice backup create` running beside it, one backup is timed and sized, verified and
/// restored into a new folder.
struct BackupBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Backup and restore of a filled store, and submission throughput while a backup runs.")

    @Option(help: "The sluice executable (default: beside this one).") var sluice: String?
    @Option(help: "Packages to fill the store with.") var packages = 100_000
    @Option(help: "Records per package.") var records = 10
    @Option(help: "Concurrent clients.") var clients = 16
    @Option(help: "Seconds of measured submissions, with and without a backup running.") var seconds = 20.0
    @Flag(help: "A few seconds' run that only checks the benchmark still works.") var quick = false

    func run() async throws {
        let executable = sluice ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice").path
        let folder = NSTemporaryDirectory() + "sluice-bench-backup-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: "Agreements", toPath: folder + "/Agreements")
        let agreement = folder + "/Agreements/psb-household-check.yaml"
        try String(contentsOfFile: agreement, encoding: .utf8).replacingOccurrences(of: "rate_per_minute: 120", with: "rate_per_minute: 10000000")
            .write(toFile: agreement, atomically: true, encoding: .utf8)
        try "connections: { uploads_per_agency: 1024 }\n".write(toFile: folder + "/sluice.yaml", atomically: true, encoding: .utf8)
        _ = try LocalGatewayProcess.run(executable, ["init"], in: folder)
        let server = try LocalGatewayProcess(executable: executable, folder: folder, extraArguments: ["--log-level", "warning"])
        defer { _ = server.stop() }
        let address = URLComponents(string: server.url)!
        let identity = try LoadConnection.Identity(
            certificate: folder + "/Certs/agencies/district-psb.pem", key: folder + "/.sluice/keys/agencies/district-psb.key.pem",
            trust: folder + "/Certs/dev-ca.pem")
        let request = LoadConnection.Request(
            post: "/v1/agreements/psb-household-check/packages", host: "\(address.host!):\(address.port!)", contentType: "application/x-ndjson",
            body: GatewayBenchmark.package(records: records))
        var connections: [LoadConnection] = []
        for _ in 0..<clients { connections.append(try await LoadConnection.connect(host: address.host!, port: address.port!, identity: identity)) }

        let target = quick ? 200 : packages
        var filled = 0
        let fillStart = Date()
        while filled < target {
            filled += await GatewayBenchmark.load(connections: connections, request: request, seconds: 2).latencies.count
        }
        print(String(format: "filled: %d packages of %d records in %.0f s", filled, records, Date().timeIntervalSince(fillStart)))

        let measured = quick ? 2.0 : seconds
        let without = await GatewayBenchmark.load(connections: connections, request: request, seconds: measured)
        // The same load with backups made one after another beside it.
        let backups = Task.detached { () -> [Double] in
            var times: [Double] = []
            let end = Date().addingTimeInterval(measured)
            var number = 0
            while Date() < end {
                let started = Date()
                let made = try LocalGatewayProcess.run(executable, ["backup", "create", "--output", "during-\(number).sluice-backup"], in: folder)
                guard made.status == 0 else { throw ValidationError("backup failed: \(made.output)") }
                try? FileManager.default.removeItem(atPath: folder + "/during-\(number).sluice-backup")
                times.append(Date().timeIntervalSince(started))
                number += 1
            }
            return times
        }
        let with = await GatewayBenchmark.load(connections: connections, request: request, seconds: measured)
        let during = try await backups.value
        for connection in connections { await connection.close() }
        func rate(_ result: (latencies: [GatewayBenchmark.Latency], errors: Int, elapsed: Double)) -> Double {
            Double(result.latencies.count) / result.elapsed
        }
        func p99(_ result: (latencies: [GatewayBenchmark.Latency], errors: Int, elapsed: Double)) -> Double {
            let sorted = result.latencies.map(\.seconds).sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] * 1000
        }
        print(
            String(
                format:
                    "submissions, %d clients: %.0f packages/s (p99 %.0f ms) without a backup; %.0f packages/s (p99 %.0f ms) while %d backups ran (errors %d)",
                clients, rate(without), p99(without), rate(with), p99(with), during.count, with.errors))

        // The store as the backup below finds it: the fill and both measured loads.
        let stored = filled + without.latencies.count + with.latencies.count
        let database = folder + "/.sluice/sluice.sqlite"
        let storeBytes =
            ((try? FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? 0)
            + ((try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0)
        // The largest resident set of the commands run so far (children waited for), in MiB:
        // read after each step, so each step's peak shows when it is the new largest.
        func largestChild() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        }
        let beforeSteps = largestChild()
        let created = Date()
        let made = try LocalGatewayProcess.run(executable, ["backup", "create", "--output", "b.sluice-backup"], in: folder)
        guard made.status == 0 else { throw ValidationError("backup failed: \(made.output)") }
        let createSeconds = Date().timeIntervalSince(created)
        let afterCreate = largestChild()
        let backupBytes = (try? FileManager.default.attributesOfItem(atPath: folder + "/b.sluice-backup")[.size] as? Int) ?? 0
        let verifyStart = Date()
        let verified = try LocalGatewayProcess.run(executable, ["backup", "verify", "b.sluice-backup"], in: folder)
        guard verified.status == 0 else { throw ValidationError("verify failed: \(verified.output)") }
        let verifySeconds = Date().timeIntervalSince(verifyStart)
        let afterVerify = largestChild()
        let restoreStart = Date()
        let restored = try LocalGatewayProcess.run(executable, ["backup", "restore", "b.sluice-backup", "--data-dir", "restored"], in: folder)
        guard restored.status == 0 else { throw ValidationError("restore failed: \(restored.output)") }
        let restoreSeconds = Date().timeIntervalSince(restoreStart)
        let afterRestore = largestChild()
        print(
            String(
                format:
                    "store of %d packages %.1f MiB; backup %.1f MiB, made in %.1f s (while serving), verified in %.1f s, restored in %.1f s",
                stored, Double(storeBytes) / 1_048_576, Double(backupBytes) / 1_048_576, createSeconds, verifySeconds, restoreSeconds))
        print(
            String(
                format:
                    "largest resident set of the commands so far: %.0f MiB before the backup, %.0f after create, %.0f after verify, %.0f after restore (SQLite's mapped pages of the store count)",
                beforeSteps, afterCreate, afterVerify, afterRestore))
    }
}
