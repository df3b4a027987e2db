import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Scheduled backups (`backup.directory`, `interval_seconds`, `keep` in `sluice.yaml`):
/// made by ``BackupWriter`` on a thread of their own, so requests never wait for one;
/// written owner-only into the folder, the oldest beyond `keep` removed, each an audit
/// entry; their age in `/metrics` (`sluice_backup_age_seconds`), failures counted.
struct BackupSchedule: Service {
    let state: GatewayState
    let logger: Logger

    static let filePrefix = "sluice-backup-"

    func run() async throws {
        guard let folder = state.configuration.backup.directory else {
            // A service that returns ends the whole gateway: without a schedule, wait for the end.
            try? await gracefulShutdown()
            return
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The age counts from the newest backup already there, across restarts.
        if let newest = Self.backups(in: folder).last { state.metrics.backupMade(at: newest.modified) }
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        defer { thread.shutdownGracefully { _ in } }
        var next = Self.backups(in: folder).last.map { $0.modified.addingTimeInterval(Double(state.configuration.backup.intervalSeconds)) } ?? Date()
        while await CheckpointTimer.pause(seconds: max(1, min(60, next.timeIntervalSinceNow))) {
            guard Date() >= next else { continue }
            next = Date().addingTimeInterval(Double(state.configuration.backup.intervalSeconds))
            await makeOne(into: folder, on: thread)
        }
    }

    private func makeOne(into folder: String, on thread: NIOThreadPool) async {
        let state = self.state
        let configuration = state.configuration
        do {
            let made = try await thread.runIfActive { () -> (BackupWriter.Made, String) in
                let made = try BackupWriter(configuration: configuration, includeKeys: configuration.backup.includeKeys, configurationFile: nil)
                    .write(database: state.database)
                let stamp = AuditTime.format(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ".", with: "")
                let path = folder + "/" + Self.filePrefix + stamp + ".jwe"
                try DurableFile.replace(path, withLine: made.compact, mode: 0o600)
                for old in Self.backups(in: folder).dropLast(max(1, configuration.backup.keep)) {
                    try? FileManager.default.removeItem(atPath: old.path)
                }
                return (made, path)
            }
            state.metrics.backupMade(at: Date())
            try await state.record(
                AuditEvent(
                    actor: state.gatewayActor, action: .backupCreated, outcome: .success,
                    details: [
                        "tree_size": .count(Int(made.0.manifest.treeSize)), "bytes": .count(made.0.compact.utf8.count + 1),
                        "files": .count(made.0.manifest.files.count), "includes_keys": .flag(configuration.backup.includeKeys),
                        "scheduled": .flag(true),
                    ]))
            logger.info("backup made", metadata: ["path": "\(made.1)", "entries": "\(made.0.manifest.treeSize)"])
        } catch {
            state.metrics.backupFailed()
            logger.error("scheduled backup failed", metadata: ["error": "\(error)"])
        }
    }

    /// The backups in `folder`, oldest first.
    static func backups(in folder: String) -> [(path: String, modified: Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(filePrefix) && $0.hasSuffix(".jwe") }.sorted().map { name in
            let path = folder + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            return (path, modified)
        }
    }
}
