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
        // A backup cut short by a stop or a crash is never one to keep.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix(Self.filePrefix) && name.hasSuffix(BackupWriter.fileSuffix + ".partial") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
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
            let made = try await thread.runIfActive { () -> BackupWriter.Made in
                let stamp = AuditTime.format(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ".", with: "")
                let made = try BackupWriter(
                    configuration: configuration, includeKeys: configuration.backup.includeKeys, configurationFile: configuration.sourceFile
                ).write(to: folder + "/" + Self.filePrefix + stamp + BackupWriter.fileSuffix, store: state.store)
                for old in Self.backups(in: folder).dropLast(max(1, configuration.backup.keep)) {
                    try? FileManager.default.removeItem(atPath: old.path)
                }
                return made
            }
            state.metrics.backupMade(at: Date())
            try await state.record(
                AuditEvent(
                    actor: state.gatewayActor, action: .backupCreated, outcome: .success,
                    details: [
                        "tree_size": .count(Int(made.manifest.treeSize)), "bytes": .count(made.bytes),
                        "files": .count(made.manifest.files.count), "includes_keys": .flag(configuration.backup.includeKeys),
                        "scheduled": .flag(true),
                    ]))
            logger.info("backup made", metadata: ["path": "\(made.path)", "entries": "\(made.manifest.treeSize)"])
        } catch {
            state.metrics.backupFailed()
            logger.error("scheduled backup failed", metadata: ["error": "\(error)"])
        }
    }

    /// The backups in `folder`, oldest first.
    static func backups(in folder: String) -> [(path: String, modified: Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(filePrefix) && $0.hasSuffix(BackupWriter.fileSuffix) }.sorted().map { name in
            let path = folder + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            return (path, modified)
        }
    }
}
