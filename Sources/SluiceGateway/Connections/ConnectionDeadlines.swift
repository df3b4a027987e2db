import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import NIOTLS

/// The clock of one connection: how long each phase may take before the gateway closes
/// it. A stranger who opens a socket and says nothing, or a client that sends its request
/// a byte at a time, would otherwise hold a descriptor (and, mid-body, memory) for as
/// long as it liked.
///
/// Sits right after the TLS handler, where it sees the handshake complete and every
/// decrypted byte arrive; ``RequestPhaseObserver``, after the HTTP decoder, tells it where
/// requests and responses begin and end.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Limits: Sendable {
        var handshake: TimeAmount
        var idle: TimeAmount
        var head: TimeAmount
        var body: TimeAmount
        var bodyIdle: TimeAmount

        init(_ connections: GatewayConfiguration.Connections) {
            handshake = .seconds(Int64(connections.handshakeSeconds))
            idle = .seconds(Int64(connections.idleSeconds))
            head = .seconds(Int64(connections.requestHeadSeconds))
            body = .seconds(Int64(connections.bodySeconds))
            bodyIdle = .seconds(Int64(connections.bodyIdleSeconds))
        }
    }

    /// Where the connection is, and until when it may stay there.
    enum Phase: String {
        case handshake, idle, head, body, handling
    }

    private let limits: Limits
    /// Told which phase ran out before the connection is closed.
    private let onTimeout: (Phase, _ bytesReceived: Bool) -> Void
    /// Told of a connection that closed before its handshake without sending a byte: a
    /// port probe, or a load balancer's TCP check.
    private let onProbe: () -> Void
    private(set) var phase: Phase = .handshake
    private var deadline: NIODeadline
    private var lastRead = NIODeadline.now()
    private var bytesReceived = false
    private var timedOut = false
    private var timer: Scheduled<Void>?

    init(limits: Limits, onTimeout: @escaping (Phase, Bool) -> Void, onProbe: @escaping () -> Void) {
        self.limits = limits
        self.onTimeout = onTimeout
        self.onProbe = onProbe
        deadline = .now() + limits.handshake
    }

    func handlerAdded(context: ChannelHandlerContext) {
        enter(.handshake, for: limits.handshake, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if phase == .handshake, !bytesReceived, !timedOut { onProbe() }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, phase == .handshake {
            enter(.idle, for: limits.idle, context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Raw bytes before the handshake completes count too: they are what shows that a
    /// closed connection was a failed handshake and not a port probe.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = .now()
        if phase == .idle { enter(.head, for: limits.head, context: context) }
        context.fireChannelRead(data)
    }

    /// Called before the TLS handler decrypts anything: whether the peer sent a byte.
    func noteRawBytes() { bytesReceived = true }

    var hasReceivedBytes: Bool { bytesReceived }

    func requestHeadReceived(context: ChannelHandlerContext) {
        lastRead = .now()
        enter(.body, for: limits.body, context: context)
    }

    func requestEnded(context: ChannelHandlerContext) {
        enter(.handling, for: nil, context: context)
    }

    func responseEnded(context: ChannelHandlerContext) {
        if phase == .handling { enter(.idle, for: limits.idle, context: context) }
    }

    private func enter(_ next: Phase, for limit: TimeAmount?, context: ChannelHandlerContext) {
        phase = next
        timer?.cancel()
        timer = nil
        guard let limit else { return }
        deadline = .now() + limit
        schedule(at: nextCheck(), context: context)
    }

    /// The body phase also ends when the client pauses longer than `bodyIdle`.
    private func nextCheck() -> NIODeadline {
        phase == .body ? min(deadline, lastRead + limits.bodyIdle) : deadline
    }

    private func schedule(at time: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: time) {
            let (handler, context) = loopBound.value
            handler.check(context: context)
        }
    }

    private func check(context: ChannelHandlerContext) {
        timer = nil
        guard phase != .handling else { return }
        let now = NIODeadline.now()
        let next = nextCheck()
        guard now >= next else {
            schedule(at: next, context: context)
            return
        }
        timedOut = true
        onTimeout(phase, bytesReceived)
        context.close(promise: nil)
    }
}

/// Counts the raw bytes a peer sends before TLS: placed ahead of the TLS handler so a
/// port probe (connect, then close) can be told from a failed handshake.
final class RawByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let deadlines: ConnectionDeadlines

    init(deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadlines.noteRawBytes()
        context.fireChannelRead(data)
    }
}

/// After the HTTP decoder: tells the connection's ``ConnectionDeadlines`` where each
/// request's head and end arrive and where its response ends.
final class RequestPhaseObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: ConnectionDeadlines?
    private var deadlinesContext: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        deadlines = try? pipeline.handler(type: ConnectionDeadlines.self)
        deadlinesContext = try? pipeline.context(handlerType: ConnectionDeadlines.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let deadlines, let deadlinesContext {
            switch unwrapInboundIn(data) {
            case .head: deadlines.requestHeadReceived(context: deadlinesContext)
            case .body: break
            case .end: deadlines.requestEnded(context: deadlinesContext)
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), let deadlines, let deadlinesContext { deadlines.responseEnded(context: deadlinesContext) }
        context.write(data, promise: promise)
    }
}
