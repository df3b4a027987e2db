import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceAPI

/// The audit API, for `sluice audit …` run from a security officer's desk. Entries come
/// back as the exact bytes the Merkle tree hashes.
extension GatewayClient {
    /// One page of entries: each entry's sequence and canonical JSON.
    public struct AuditPage: Sendable {
        public var entries: [(sequence: UInt64, json: String)]
        public var nextCursor: UInt64?
    }

    /// Filters as the API names them: actor, action, agreement, package, outcome, since,
    /// until, cursor, limit, order (oldest or newest).
    public func auditEntries(_ query: [String: String]) async throws -> AuditPage {
        let body = try await get("/v1/audit/entries", query: query)
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw GatewayClientError(status: 200, problemType: nil, detail: "the gateway's entries answer is not readable")
        }
        let texts = Self.arrayElements(named: "entries", in: Array(body))
        var entries: [(UInt64, String)] = []
        for text in texts {
            guard let sequence = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["sequence"] as? NSNumber else {
                throw GatewayClientError(status: 200, problemType: nil, detail: "an entry in the gateway's answer has no sequence")
            }
            entries.append((sequence.uint64Value, text))
        }
        return AuditPage(entries: entries, nextCursor: (object["next_cursor"] as? String).flatMap { UInt64($0) })
    }

    public func auditCheckpoint(sign: Bool) async throws -> APIDocument.AuditCheckpoint {
        try decode(APIDocument.AuditCheckpoint.self, try await get("/v1/audit/checkpoint", query: sign ? ["sign": "true"] : [:]))
    }

    /// The proof JSON exactly as served (the same document `sluice audit prove` prints).
    public func auditProof(index: UInt64?, consistencyFrom: UInt64?) async throws -> Data {
        if let index { return try await get("/v1/audit/proof/inclusion", query: ["index": String(index)]) }
        return try await get("/v1/audit/proof/consistency", query: ["from": String(consistencyFrom ?? 0)])
    }

    /// Streams the export; `line` gets each entry's bytes without the newline.
    public func auditExport(fromIndex: UInt64, since: String?, line: (ArraySlice<UInt8>) throws -> Void) async throws {
        var query = ["from_index": String(fromIndex)]
        if let since { query["since"] = since }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(url: url("/v1/audit/export", query)), timeout: .hours(4))
        } catch {
            throw GatewayClientError(status: nil, problemType: nil, detail: "cannot reach the gateway at \(baseURL): \(error)")
        }
        let status = Int(response.status.code)
        guard status == 200 else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw GatewayClientError(status: status, problem: Data(body.readableBytesView), retryAfter: nil)
        }
        var pending: [UInt8] = []
        for try await chunk in response.body {
            pending += chunk.readableBytesView
            var start = pending.startIndex
            while let end = pending[start...].firstIndex(of: 0x0A) {
                try line(pending[start..<end])
                start = end + 1
            }
            pending.removeSubrange(..<start)
        }
        guard pending.isEmpty else {
            throw GatewayClientError(status: 200, problemType: nil, detail: "the export ended in the middle of an entry")
        }
    }

    /// The raw text of each element of the top-level array member `name`, found by
    /// tracking strings and nesting, so entries keep their exact bytes.
    static func arrayElements(named name: String, in bytes: [UInt8]) -> [String] {
        let key = Array("\"\(name)\":[".utf8)
        guard let open = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return [] }
        var elements: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start = open + key.count
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
            } else {
                switch byte {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D: depth -= 1
                case 0x5D:
                    if depth == 0 {
                        if index > start { elements.append(String(decoding: bytes[start..<index], as: UTF8.self)) }
                        return elements
                    }
                    depth -= 1
                case 0x2C where depth == 0:
                    elements.append(String(decoding: bytes[start..<index], as: UTF8.self))
                    start = index + 1
                default: break
                }
            }
            index += 1
        }
        return elements
    }
}
