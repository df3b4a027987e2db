import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import SluiceAudit
import SluiceStore

/// The running gateway: HTTPS with required client certificates in front of the routes,
/// background checkpointing and purging, and an orderly stop on SIGTERM/SIGINT that
/// finishes requests in flight and signs a final checkpoint.
public struct Gateway: Sendable {
    public let state: GatewayState
    let logger: Logger

    public init(state: GatewayState, logger: Logger) {
        self.state = state
        self.logger = logger
    }

    /// The server's TLS: TLS 1.2 and 1.3 only, a client certificate required and
    /// verified against the configured client CA.
    public static func tlsConfiguration(_ configuration: GatewayConfiguration) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(configuration.resolvedTLSCertificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: configuration.resolvedTLSKey, format: .pem)
            let anchors = try NIOSSLCertificate.fromPEMFile(configuration.resolvedClientCA)
            var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: chain, privateKey: .privateKey(key), trustRoots: .certificates(anchors))
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = .noHostnameVerification
            return tls
        } catch {
            throw GatewayStartupError(
                "cannot load the TLS certificate, key or client CA (\(configuration.resolvedTLSCertificate), \(configuration.resolvedTLSKey), \(configuration.resolvedClientCA)): \(error)"
            )
        }
    }

    public func application(onListening: @escaping @Sendable (String) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = GatewayRouter(state: state).build()
        let configuration = state.configuration
        return Application(
            router: router,
            server: try AuditedTLSChannel.builder(
                tlsConfiguration: Self.tlsConfiguration(configuration), connections: configuration.connections,
                ledger: state.authenticationFailures, metrics: state.metrics),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sluice"),
            services: [
                CheckpointTimer(state: state, logger: logger), PackagePurge(state: state, logger: logger),
                AuthenticationFailureRecorder(state: state, logger: logger), StorageWatch(state: state, logger: logger),
                BackupSchedule(state: state, logger: logger),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                await onListening("https://\(host):\(port)")
            },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, recording the start and stop in the audit trail.
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let app = try application(onListening: onListening)
        var started: [String: AuditDetail] = ["agreements": .count(state.registry.latest.agreements.count)]
        // A deliberate setting that weakens separation of duties is on the record.
        if state.configuration.allowCombinedRoles { started["combined_roles_allowed"] = .flag(true) }
        // So is a store an operator started on although it was behind its kept checkpoint.
        switch state.acceptedRollback {
        case .behind(let kept, let store)?:
            started["rollback_accepted"] = .names(["behind"])
            started["kept_size"] = .count(Int(kept))
            started["store_size"] = .count(Int(store))
        case .diverged(let kept)?:
            started["rollback_accepted"] = .names(["diverged"])
            started["kept_size"] = .count(Int(kept))
        case .unverified?:
            started["rollback_accepted"] = .names(["unverified"])
        case nil: break
        }
        try await state.record(AuditEvent(actor: state.gatewayActor, action: .gatewayStarted, outcome: .success, details: started))
        try await CheckpointTimer.anchorLatest(state, logger: logger, after: 0)
        for warning in state.startupWarnings { logger.warning("\(warning)") }
        do {
            try await app.runService()
        } catch {
            try? await stop(reason: "stopped by an error")
            throw error
        }
        try await stop(reason: nil)
    }

    private func stop(reason: String?) async throws {
        let state = self.state
        _ = try await state.blocking {
            _ = try state.trail.commit { transaction in
                try transaction.append(contentsOf: state.authenticationFailures.drain())
                try transaction.append(
                    AuditEvent(actor: state.gatewayActor, action: .gatewayStopped, outcome: reason == nil ? .success : .failed, reason: reason))
                _ = try transaction.signCheckpoint()
            }
        }
        try await CheckpointTimer.anchorLatest(state, logger: logger, after: 0)
        logger.info("stopped; final checkpoint signed")
    }
}
