import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One load-generating client: a keep-alive mutual-TLS HTTP/1.1 connection that sends the
/// same prepared request again and again, one at a time, and hands back each answer's
/// status and body. The load generator shares the machine's cores with the gateway it
/// measures; a general-purpose HTTP client (connection pool, redirects, request state
/// machines) took a quarter of a core at 800 requests a second, taken from the gateway.
final class LoadConnection: Sendable {
    /// What the client presents and trusts, read once for all connections.
    struct Identity: Sendable {
        let context: NIOSSLContext

        init(certificate: String, key: String, trust: String) throws {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trust))
            context = try NIOSSLContext(configuration: tls)
        }
    }

    /// A request ready to send: its head and body are built once.
    struct Request: Sendable {
        let head: HTTPRequestHead
        let body: ByteBuffer

        init(post path: String, host: String, contentType: String, body: Data) {
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: host)
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(body.count))
            head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)
            self.body = ByteBuffer(bytes: body)
        }
    }

    struct Answer: Sendable {
        let status: Int
        let body: ByteBuffer
    }

    private let channel: any Channel
    private let collector: AnswerCollector

    private init(channel: any Channel, collector: AnswerCollector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(host: String, port: Int, identity: Identity) async throws -> LoadConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: identity.context, serverHostname: nil)
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(AnswerCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.pipeline.handler(type: AnswerCollector.self).get()
        return LoadConnection(channel: channel, collector: collector)
    }

    /// Sends the request and waits for its whole answer.
    func send(_ request: Request) async throws -> Answer {
        let collector = self.collector
        let channel = self.channel
        return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Answer> in
            let promise = channel.eventLoop.makePromise(of: Answer.self)
            collector.expect(promise)
            channel.write(HTTPClientRequestPart.head(request.head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(request.body)), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return promise.futureResult
        }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Collects one answer at a time on the connection's event loop.
private final class AnswerCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private var pending: EventLoopPromise<LoadConnection.Answer>?
    private var status = 0
    private var body = ByteBuffer()

    /// Each answer's head sets the status, and its end hands over and resets the body.
    func expect(_ promise: EventLoopPromise<LoadConnection.Answer>) {
        pending = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(var part): body.writeBuffer(&part)
        case .end:
            let answer = LoadConnection.Answer(status: status, body: body)
            body = ByteBuffer()
            pending.take()?.succeed(answer)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending.take()?.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending.take()?.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
