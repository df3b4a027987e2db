import Crypto
import NIOCore
import NIOPosix
import NIOSSL
import SluiceCrypto
import Synchronization
import Testing
import X509

@testable import SluiceGateway

/// The identity of a connection's client certificate, over real TLS on the loopback
/// interface: taken from the handshake once per connection, and forgotten when the
/// connection closes.
@Suite("Connection identity") struct ConnectionIdentityTests {
    /// A development-style PKI in memory: a CA, the server, and two client agencies.
    struct PKI {
        let ca: CertificateIssuer
        let server: (certificate: Certificate, key: P256.Signing.PrivateKey)
        let clients: [(certificate: Certificate, key: P256.Signing.PrivateKey)]

        init() throws {
            let ca = try CertificateIssuer.selfSigned(
                subject: try DistinguishedName { CommonName("connection test CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()),
                validFor: 1)
            self.ca = ca
            server = try Self.leaf(of: ca, "localhost", .tlsServer(dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]]))
            clients = [try Self.leaf(of: ca, "agency one", .tlsClient), try Self.leaf(of: ca, "agency two", .tlsClient)]
        }

        static func leaf(of ca: CertificateIssuer, _ name: String, _ profile: CertificateProfile) throws -> (
            certificate: Certificate, key: P256.Signing.PrivateKey
        ) {
            let key = P256.Signing.PrivateKey()
            let certificate = try ca.issue(
                subject: try DistinguishedName { CommonName(name) }, publicKey: Certificate.PublicKey(key.publicKey), profile: profile, validFor: 1)
            return (certificate, key)
        }

        static func nio(_ certificate: Certificate) throws -> NIOSSLCertificate {
            try NIOSSLCertificate(bytes: certificate.serializeAsPEM().derBytes, format: .der)
        }

        static func nio(_ key: P256.Signing.PrivateKey) throws -> NIOSSLPrivateKey {
            try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
        }

        /// As the gateway configures its listener: a client certificate required.
        func serverContext() throws -> NIOSSLContext {
            var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: [.certificate(try Self.nio(server.certificate))], privateKey: .privateKey(try Self.nio(server.key)),
                trustRoots: .certificates([try Self.nio(ca.certificate)]))
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = .noHostnameVerification
            return try NIOSSLContext(configuration: tls)
        }

        func clientContext(_ index: Int) throws -> NIOSSLContext {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateChain = [.certificate(try Self.nio(clients[index].certificate))]
            tls.privateKey = .privateKey(try Self.nio(clients[index].key))
            tls.trustRoots = .certificates([try Self.nio(ca.certificate)])
            return try NIOSSLContext(configuration: tls)
        }
    }

    /// Sends back what it reads: the client knows the handshake is done when it hears it.
    final class Echo: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
    }

    /// Completes `heard` at the first bytes read.
    final class FirstRead: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let heard: EventLoopPromise<Void>
        init(_ heard: EventLoopPromise<Void>) { self.heard = heard }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { heard.succeed() }
    }

    @Test func aConnectionsCertificateIsReadOnceAndForgottenWhenItCloses() async throws {
        let pki = try PKI()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await check(pki, group)
        } catch {
            try await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    private func check(_ pki: PKI, _ group: MultiThreadedEventLoopGroup) async throws {
        let serverContext = try pki.serverContext()
        let accepted = Mutex<[any Channel]>([])
        let listener = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                accepted.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(NIOSSLServerHandler(context: serverContext), Echo())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)

        func connect(as client: Int) async throws -> (client: any Channel, server: any Channel) {
            let context = try pki.clientContext(client)
            let heard = group.next().makePromise(of: Void.self)
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            try NIOSSLClientHandler(context: context, serverHostname: nil), FirstRead(heard))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "hello")).get()
            try await heard.futureResult.get()
            let server = try #require(accepted.withLock { $0.last })
            return (channel, server)
        }

        let cache = PresentedCertificateCache()
        let first = try await connect(as: 0)
        let identity = try #require(try await cache.identity(presentedOn: first.server))
        #expect(identity.fingerprint == (try CertificateFingerprint(pki.clients[0].certificate).description))
        #expect(identity.allowsClientAuthentication)
        let again = try #require(try await cache.identity(presentedOn: first.server))
        #expect(again.fingerprint == identity.fingerprint)
        #expect(cache.connectionCount == 1)

        let second = try await connect(as: 1)
        let other = try #require(try await cache.identity(presentedOn: second.server))
        #expect(other.fingerprint == (try CertificateFingerprint(pki.clients[1].certificate).description))
        #expect(cache.connectionCount == 2)
        // The first connection's answer is still its own.
        #expect(try await cache.identity(presentedOn: first.server)?.fingerprint == identity.fingerprint)

        try await first.client.close().get()
        try await first.server.closeFuture.get()
        #expect(cache.connectionCount == 1, "a closed connection's identity is dropped")
        #expect(try await cache.identity(presentedOn: second.server)?.fingerprint == other.fingerprint)
        try await second.client.close().get()
        try await second.server.closeFuture.get()
        #expect(cache.connectionCount == 0)
        try await listener.close()
    }
}
