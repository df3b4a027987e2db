import Foundation
import Logging
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// Writes the failed authentications counted in each interval to the trail, in the
/// bounded form ``AuthenticationFailureLedger`` keeps them.
struct AuthenticationFailureRecorder: Service {
    let state: GatewayState
    let logger: Logger

    func run() async throws {
        let interval = Double(state.configuration.authenticationFailures.intervalSeconds)
        while await CheckpointTimer.pause(seconds: interval) {
            let events = state.authenticationFailures.drain()
            guard !events.isEmpty else { continue }
            let trail = state.trail
            do { _ = try await state.blocking { try trail.commit { transaction in try transaction.append(contentsOf: events) } } } catch {
                logger.error("recording failed authentications failed", metadata: ["error": "\(type(of: error))"])
            }
        }
    }
}
