import AsyncHTTPClient
import Foundation
import NIOCore

/// The admin API's documents, for `sluice agreement …`, `sluice agency …` and `sluice keys …`
/// run from an admin's desk, and the requests that fetch them.
extension GatewayClient {
    public struct RegistryAgreement: Sendable, Codable {
        public var id: String
        public var version: Int
        public var status: String
        public var title: String
        public var provider: String
        public var consumer: String
        public var valid_from: String
        public var valid_until: String
    }

    public struct Application: Sendable, Codable {
        public var agreement_id: String
        public var version: Int
        public var previous_version: Int?
        public var status: String
        public var unchanged: Bool
        public var stored: Bool
        public var diff: String
        public var file_status_ignored: String?
    }

    public struct History: Sendable, Codable {
        public struct Version: Sendable, Codable {
            public var version: Int
            public var applied_at: String
            public var applied_by: String
            public var applied_by_certificate: String?
            public var document_sha256: String
        }
        public struct State: Sendable, Codable {
            public var status: String
            public var reason: String?
            public var changed_at: String
            public var changed_by: String
            public var changed_by_certificate: String?
        }
        public var agreement_id: String
        public var versions: [Version]
        public var states: [State]
    }

    public struct VersionDocument: Sendable, Codable {
        public var agreement_id: String
        public var version: Int
        public var document: String
    }

    public struct StateChange: Sendable, Codable {
        public var agreement_id: String
        public var status: String
        public var reason: String
        public var changed_at: String
        public var changed_by: String
        public var changed_by_certificate: String?
    }

    public struct RegisteredAgency: Sendable, Codable {
        public struct Certificate: Sendable, Codable {
            public var sha256: String
            public var added_at: String
            public var revoked_at: String?
        }
        public var id: String
        public var name: String
        public var roles: [String]
        public var added_at: String
        public var added_by: String
        public var certificates: [Certificate]
    }

    public struct AgencyAddition: Sendable, Codable {
        public var agency_id: String
        public var sha256: String
        public var agency_created: Bool
        public var certificate_added: Bool
        /// Waits for a second admin's approval.
        public var pending_approval: Bool?
    }

    // MARK: Plumbing

    public func get(_ path: String, query: [String: String] = [:]) async throws -> Data {
        try await execute(HTTPClientRequest(url: url(path, query))).1
    }

    public func post(_ path: String, query: [String: String] = [:], body: Data, type: String = "application/json") async throws -> Data {
        var request = HTTPClientRequest(url: url(path, query))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: type)
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await execute(request).1
    }

    func url(_ path: String, _ query: [String: String]) -> String {
        guard !query.isEmpty else { return baseURL + path }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))
        return baseURL + path + "?"
            + query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)" }
            .joined(separator: "&")
    }

    public func decode<T: Decodable>(_ type: T.Type, _ body: Data) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: body) } catch {
            throw GatewayClientError(status: 200, problemType: nil, detail: "the gateway's answer is not readable (\(T.self))")
        }
    }
}
