import Foundation
import Logging
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Signs a checkpoint whenever the policy's interval has passed and the log grew.
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
        while await Self.pause(seconds: interval) {
            let trail = state.trail
            do { _ = try await state.blocking { try trail.checkpointIfDue() } } catch {
                logger.error("checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
