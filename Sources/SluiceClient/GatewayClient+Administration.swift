import AsyncHTTPClient
import Foundation
import NIOCore

/// The requests of the admin and audit APIs, for `sluice agreement …`, `sluice agency …`,
/// `sluice keys …` and `sluice audit …` run from a person's desk; the documents they answer
/// with are ``APIDocument``'s.
extension GatewayClient {
    public func get(_ path: String, query: [String: String] = [:]) async throws -> Data {
        try await execute(HTTPClientRequest(url: url(path, query))).1
    }

    public func post(
        _ path: String, query: [String: String] = [:], body: Data, type: String = "application/json", idempotencyKey: String? = nil
    ) async throws -> Data {
        var request = HTTPClientRequest(url: url(path, query))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: type)
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
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
