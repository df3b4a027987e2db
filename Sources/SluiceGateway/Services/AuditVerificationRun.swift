import Dispatch
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceStore
import Synchronization

/// The gateway's full verification of its audit trail, asked for by a security officer
/// (`POST /v1/audit/verification`, the console's button): one at a time, on a thread of
/// its own so it never holds one the requests need, its progress readable while it runs,
/// and its result recorded in the trail as `audit.verified` under the officer who asked.
final class AuditVerificationRun: Sendable {
    private let status = Mutex(APIDocument.AuditVerificationStatus(state: "idle", entriesChecked: 0, entriesTotal: 0))
    private let queue = DispatchQueue(label: "sluice.audit-verification", qos: .utility)

    var current: APIDocument.AuditVerificationStatus { status.withLock { $0 } }

    /// Starts a run unless one is running; returns the status and whether this call started it.
    func start(state: GatewayState, requestedBy event: AuditEvent) -> (APIDocument.AuditVerificationStatus, started: Bool) {
        let begun = status.withLock { current -> (APIDocument.AuditVerificationStatus, Bool) in
            guard current.state != "running" else { return (current, false) }
            current = APIDocument.AuditVerificationStatus(
                state: "running", entriesChecked: 0, entriesTotal: 0, startedAt: AuditTime.format(state.clock()))
            return (current, true)
        }
        guard begun.1 else { return begun }
        queue.async { self.run(state: state, requestedBy: event) }
        return begun
    }

    private func run(state: GatewayState, requestedBy request: AuditEvent) {
        let published = CheckpointKeyFile(dataDirectory: state.configuration.dataDirectory, certsDirectory: state.configuration.certsDirectory)
            .verifierPath
        var verifiers = [state.trail.signer.verifier]
        for key in (try? CheckpointKeyFile.readVerifiers(at: published)) ?? [] where !verifiers.contains(key) { verifiers.append(key) }
        var verifier = AuditVerifier(store: state.store, verifiers: verifiers)
        verifier.cosigner = state.trail.cosigner
        var event = request
        event.action = .auditVerified
        do {
            let result = try verifier.verify { done, total in
                self.status.withLock { current in
                    current.entriesChecked = done
                    current.entriesTotal = total
                }
            }
            event.outcome = result.passed ? .success : .failed
            event.reason = result.findings.first.map { "\(result.findings.count) findings; first: \($0.kind.rawValue)" }
            event.details = ["entries": .count(Int(clamping: result.size)), "kept_checkpoint": .flag(false)]
            status.withLock { current in
                current.state = result.passed ? "passed" : "failed"
                current.entriesChecked = result.size
                current.entriesTotal = result.size
                current.checkpointsChecked = result.checkpointsChecked
                current.findings = result.findings.count
                current.firstFinding = result.findings.first?.description
            }
        } catch {
            // Not a finding about the trail: the run stopped (the gateway stopping, the store
            // unreadable). Recorded as a failed run, saying so.
            event.outcome = .failed
            event.reason = "interrupted: the audit trail could not be read to its end"
            self.status.withLock { current in
                current.state = "failed"
                current.findings = 0
                current.firstFinding = "the run was interrupted: the audit trail could not be read to its end"
            }
        }
        // Recorded after the run, so the entry's own sequence is past the entries it covers.
        let recorded = (try? state.trail.record(event)) != nil
        status.withLock { current in
            current.finishedAt = AuditTime.format(state.clock())
            if !recorded { current.firstFinding = (current.firstFinding.map { $0 + "; " } ?? "") + "the result could not be recorded in the trail" }
        }
    }
}
