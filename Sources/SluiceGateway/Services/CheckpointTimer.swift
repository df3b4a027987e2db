import Foundation
import Logging
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Signs a checkpoint whenever the policy's interval has passed and the log grew, and
/// keeps the latest one outside the database too (``CheckpointAnchor``).
struct CheckpointTimer: Service {
    let state: GatewayState
    let logger: Logger

    /// Sleeps, waking early on graceful shutdown; false when the service should stop.
    static func pause(seconds: Double) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(seconds)) }
            return !Task.isShuttingDownGracefully
        } catch {
            return false
        }
    }

    func run() async throws {
        let interval = max(1, state.configuration.checkpointIntervalSeconds / 4)
        var anchored: UInt64 = 0
        while await Self.pause(seconds: interval) {
            let trail = state.trail
            do { _ = try await state.blocking { try trail.checkpointIfDue() } } catch {
                logger.error("checkpoint failed", metadata: ["error": "\(error)"])
            }
            anchored = (try? await Self.anchorLatest(state, logger: logger, after: anchored)) ?? anchored
        }
    }

    /// Writes the latest checkpoint to the anchor file when it covers more than `size`
    /// entries; the size anchored. A failure is logged: the store itself is unharmed.
    @discardableResult
    static func anchorLatest(_ state: GatewayState, logger: Logger, after size: UInt64) async throws -> UInt64 {
        let anchor = CheckpointAnchor(path: state.configuration.resolvedCheckpointAnchor)
        let database = state.store
        return try await state.blocking {
            guard let latest = try database.read({ store in try store.audit.latestCheckpoint() }), latest.size > size else { return size }
            do { try anchor.write(latest.note) } catch {
                logger.error("cannot keep the latest checkpoint outside the store", metadata: ["path": "\(anchor.path)", "error": "\(error)"])
                return size
            }
            return latest.size
        }
    }
}
