import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Connections to the store's database for threads that block: the gateway's store calls
/// run on its blocking pool, so each waits on its query here instead of awaiting it. A
/// connection that broke is dropped and the next caller opens a new one; callers beyond
/// `limit` wait for one to come back.
final class PostgresConnectionPool: @unchecked Sendable {
    private let location: PostgresLocation
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let limit: Int
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    private var closed = false

    /// The longest wait for a new connection, TCP and the server's startup together.
    static let patience = TimeAmount.seconds(10)

    init(location: PostgresLocation, limit: Int = 8) {
        self.location = location
        self.limit = limit
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "sluice.store.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        close()
    }

    /// Runs `body` with a connection of its own; a connection left broken is not reused.
    func withConnection<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try take()
        let session = PostgresSession(connection: connection, logger: logger)
        do {
            let result = try body(session)
            give(back: connection)
            return result
        } catch {
            give(back: connection)
            throw error
        }
    }

    /// Closes every connection; later calls fail.
    func close() {
        condition.lock()
        guard !closed else {
            condition.unlock()
            return
        }
        closed = true
        let connections = idle
        idle = []
        condition.unlock()
        for connection in connections { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    private func take() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw StoreError.unavailable(.unreachable, reason: "the store was closed")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                if connection.isClosed {
                    forget()
                    condition.lock()
                    continue
                }
                return connection
            }
            if open < limit { break }
            condition.wait()
        }
        open += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            let configuration = try location.configuration()
            let loop = group.next()
            // A server that takes the TCP connection but never answers the startup (a hung
            // host, a wrong port behind a proxy) must not hold the caller: give up after
            // `patience`, and close the connection should it come up after all.
            let connecting = PostgresConnection.connect(on: loop, configuration: configuration, id: id, logger: logger)
            let answered = loop.makePromise(of: PostgresConnection.self)
            connecting.cascade(to: answered)
            let location = self.location
            let deadline = loop.scheduleTask(in: Self.patience) {
                answered.fail(
                    StoreError.unavailable(.unreachable, reason: "\(location) did not answer within \(Self.patience.nanoseconds / 1_000_000_000) s"))
                connecting.whenSuccess { connection in let _: EventLoopFuture<Void> = connection.close() }
            }
            defer { deadline.cancel() }
            return try answered.futureResult.wait()
        } catch {
            forget()
            throw PostgresSession.translate(error, connecting: location)
        }
    }

    private func give(back connection: PostgresConnection) {
        guard !connection.isClosed else {
            forget()
            return
        }
        condition.lock()
        if closed {
            condition.unlock()
            let _: EventLoopFuture<Void> = connection.close()
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    private func forget() {
        condition.lock()
        open -= 1
        condition.signal()
        condition.unlock()
    }
}
