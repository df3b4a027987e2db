import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// HTTP/1.1 over TLS, like HummingbirdTLS's channel, plus a handler that reports each
/// failed TLS handshake (no certificate, one from another CA, an expired one) so the
/// gateway can audit it as an authentication failure: those never reach HTTP.
struct AuditedTLSChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel
    let context: NIOSSLContext
    let onHandshakeFailure: @Sendable (_ reason: String, _ remoteAddress: String?) -> Void

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            try channel.pipeline.syncOperations.addHandler(HandshakeFailureRecorder(report: onHandshakeFailure))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    static func builder(
        tlsConfiguration: TLSConfiguration, onHandshakeFailure: @escaping @Sendable (String, String?) -> Void
    ) throws -> HTTPServerBuilder {
        let context = try NIOSSLContext(configuration: tlsConfiguration)
        return HTTPServerBuilder { responder in
            AuditedTLSChannel(base: HTTP1Channel(responder: responder), context: context, onHandshakeFailure: onHandshakeFailure)
        }
    }
}

/// Sits after the TLS handler; TLS errors raised during the handshake pass through it.
final class HandshakeFailureRecorder: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny
    let report: @Sendable (String, String?) -> Void

    init(report: @escaping @Sendable (String, String?) -> Void) {
        self.report = report
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            // Past the handshake nothing more to watch; later errors are HTTP's.
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let remote = context.channel.remoteAddress?.ipAddress
        switch error {
        case NIOSSLError.handshakeFailed(let inner): report("TLS handshake failed: \(inner)", remote)
        case let error as NIOSSLError: report("TLS failed: \(error)", remote)
        case let error as BoringSSLError: report("TLS failed: \(error)", remote)
        default: break
        }
        context.fireErrorCaught(error)
    }
}
