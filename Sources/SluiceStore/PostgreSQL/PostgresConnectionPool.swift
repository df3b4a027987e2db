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
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
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
