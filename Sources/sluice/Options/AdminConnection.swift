import Foundation
import SluiceAPI
import SluiceAudit
import SluiceClient
import SluiceCore
import SluiceGateway
import SluiceStore

/// Where an admin command does its work: through the gateway's API with the person's
/// certificate, or on the local data directory as the gateway host's admin. Both ways
/// yield the same JSON documents (the API's), so the output is the same either way.
enum AdminConnection {
    case remote(GatewayClient)
    case local(AuditTrail)

    /// Runs `body` with the connection the options ask for, closing it however `body` ends.
    static func with<T>(
        _ access: GatewayAccess, _ trail: AuditTrailOptions, _ body: (AdminConnection) async throws -> T
    ) async throws -> T {
        let connection: AdminConnection
        if let client = try access.client(dataDirectory: { try trail.data.resolved() }) {
            connection = .remote(client)
        } else {
            connection = .local(try trail.openTrail())
        }
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The document from the API, or the same document built locally.
    func document(
        remote: (GatewayClient) async throws -> Data, local: (AuditTrail) throws -> any Encodable
    ) async throws -> Data {
        switch self {
        case .remote(let client):
            do { return try await remote(client) } catch let error as GatewayClientError { throw error.commandFailure }
        case .local(let trail):
            do { return Data(try APIDocument.answer(try local(trail))) } catch let error as AdministrationError {
                throw Self.failure(error)
            }
        }
    }

    /// The document decoded into the API's types, for printing.
    func decoded<T: Decodable>(
        _ type: T.Type, remote: (GatewayClient) async throws -> Data, local: (AuditTrail) throws -> any Encodable
    ) async throws -> T {
        let data = try await document(remote: remote, local: local)
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw CommandFailure.checkFailed("the answer is not readable as \(T.self)")
        }
    }

    private func close() async {
        if case .remote(let client) = self { await client.shutdown() }
    }

    static func failure(_ error: AdministrationError) -> CommandFailure {
        switch error {
        case .invalidAgreement, .invalidInput: return CommandFailure.input(error.description)
        default: return CommandFailure.checkFailed(error.description)
        }
    }
}
