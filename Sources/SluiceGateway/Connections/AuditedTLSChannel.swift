import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// HTTP/1.1 over TLS, like HummingbirdTLS's channel, with what a gateway facing strangers
/// needs around it: a cap on open connections (past it a new one is closed at once), a
/// deadline for every phase of a connection (``ConnectionDeadlines``), and every failed
/// handshake reported in the fixed vocabulary of ``AuthenticationFailureLedger``.
struct AuditedTLSChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel
    let context: NIOSSLContext
    let limits: ConnectionDeadlines.Limits
    let openConnections: OpenConnections
    let ledger: AuthenticationFailureLedger
    let metrics: GatewayMetrics

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard openConnections.open() else {
            metrics.connectionRefused()
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        let (openConnections, metrics, ledger) = (self.openConnections, self.metrics, self.ledger)
        metrics.connections(open: openConnections.count)
        channel.closeFuture.whenComplete { _ in
            openConnections.close()
            metrics.connections(open: openConnections.count)
        }
        let remote = channel.remoteAddress?.ipAddress
        return channel.eventLoop.makeCompletedFuture {
            let deadlines = ConnectionDeadlines(
                limits: limits,
                onTimeout: { phase, bytesReceived in
                    metrics.connectionTimeout(phase: phase.rawValue)
                    if phase == .handshake, bytesReceived { ledger.note(.handshakeTimeout, address: remote) }
                },
                // Counted, not audited: nobody said anything.
                onProbe: { metrics.authenticationFailure(reason: "closed-before-handshake") })
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(RawByteWatcher(deadlines: deadlines))
            try operations.addHandler(NIOSSLServerHandler(context: context))
            try operations.addHandler(deadlines)
            try operations.addHandler(HandshakeFailureRecorder(deadlines: deadlines, ledger: ledger, metrics: metrics, remote: remote))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    static func builder(
        tlsConfiguration: TLSConfiguration, connections: GatewayConfiguration.Connections, ledger: AuthenticationFailureLedger,
        metrics: GatewayMetrics
    ) throws -> HTTPServerBuilder {
        let context = try NIOSSLContext(configuration: tlsConfiguration)
        let open = OpenConnections(limit: connections.maxOpen)
        return HTTPServerBuilder { responder in
            AuditedTLSChannel(
                base: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [RequestPhaseObserver()])),
                context: context, limits: ConnectionDeadlines.Limits(connections), openConnections: open, ledger: ledger, metrics: metrics)
        }
    }
}

/// How many connections are open, and whether another may be.
final class OpenConnections: Sendable {
    let limit: Int
    private let openCount = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection in, unless `limit` are open already.
    func open() -> Bool {
        var current = openCount.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = openCount.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func close() { openCount.subtract(1, ordering: .acquiringAndReleasing) }

    var count: Int { openCount.load(ordering: .relaxed) }
}

/// Sits after the TLS handler; TLS errors raised during the handshake pass through it and
/// are reported by kind, never by their text. After the handshake it stays only to report
/// a client's attempt to renegotiate (the server never agrees; the connection ends).
final class HandshakeFailureRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let deadlines: ConnectionDeadlines
    private let ledger: AuthenticationFailureLedger
    private let metrics: GatewayMetrics
    private let remote: String?
    private var reported = false

    init(deadlines: ConnectionDeadlines, ledger: AuthenticationFailureLedger, metrics: GatewayMetrics, remote: String?) {
        self.deadlines = deadlines
        self.ledger = ledger
        self.metrics = metrics
        self.remote = remote
    }

    private var established = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { established = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if established {
            // Only a renegotiation is reported past the handshake; other errors are HTTP's.
            if !reported, Self.isRenegotiation(error) {
                reported = true
                ledger.note(.renegotiation, address: remote)
            }
        } else if !reported, deadlines.hasReceivedBytes, let reason = Self.reason(error) {
            // A probe that sent nothing is counted by ConnectionDeadlines when it closes.
            reported = true
            ledger.note(reason, address: remote)
        }
        context.fireErrorCaught(error)
    }

    static func isRenegotiation(_ error: any Error) -> Bool {
        switch error {
        case let error as NIOSSLError: return String(describing: error).contains("RENEGOTIATION")
        case let error as BoringSSLError: return String(describing: error).contains("RENEGOTIATION")
        default: return false
        }
    }

    /// The failure's kind, judged from the error but never copied from its text; nil when
    /// the error is not a TLS failure.
    static func reason(_ error: any Error) -> AuthenticationFailureLedger.Reason? {
        let text: String
        switch error {
        case NIOSSLError.uncleanShutdown: return .handshakeFailed
        case let error as NIOSSLError: text = String(describing: error)
        case let error as BoringSSLError: text = String(describing: error)
        default: return nil
        }
        if text.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") { return .noCertificate }
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return .untrustedCertificate }
        if text.contains("UNSUPPORTED_PROTOCOL") || text.contains("WRONG_VERSION") || text.contains("PROTOCOL_VERSION") {
            return .protocolVersion
        }
        if text.contains("HTTP_REQUEST") || text.contains("WRONG_VERSION_NUMBER") { return .notTLS }
        return .handshakeFailed
    }
}
