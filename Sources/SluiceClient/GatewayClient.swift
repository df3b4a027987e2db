import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import SluiceAPI
import SluiceCore

/// A partner agency's side of the gateway API: HTTPS with the agency's client
/// certificate, the gateway checked against the given CA.
public final class GatewayClient: Sendable {
    /// The files that make up an agency's TLS identity.
    public struct Identity: Sendable, Hashable {
        public var certificate: String
        public var key: String
        /// CA certificate(s) the gateway's certificate must chain to.
        public var trust: String

        public init(certificate: String, key: String, trust: String) {
            self.certificate = certificate
            self.key = key
            self.trust = trust
        }
    }

    public let baseURL: String
    let client: HTTPClient

    public init(baseURL: String, identity: Identity) throws(GatewayClientError) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem))
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(identity.trust))
        } catch {
            throw GatewayClientError(
                status: nil, problemType: nil,
                detail: "cannot load the client certificate, key or CA (\(identity.certificate), \(identity.key), \(identity.trust)): \(error)")
        }
        tls.minimumTLSVersion = .tlsv12
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        // Idle connections are let go before the gateway's keep-alive deadline (60 s by
        // default) closes them, so a request never goes out on one the gateway is closing.
        configuration.connectionPool.idleTimeout = .seconds(30)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// What the gateway answered to a submission.
    public struct Submission: Sendable {
        public var status: Int
        public var packageID: String
        /// The signed receipt (compact JWS).
        public var receipt: String
        /// True when the gateway returned an earlier receipt for the same key and body.
        public var repeated: Bool { status == 200 }
    }

    /// Submits a file of records under an agreement, streaming it from disk;
    /// `progress` hears of every chunk sent.
    public func submit(
        agreement: String, file: String, format: RecordFormat, idempotencyKey: String? = nil,
        progress: @escaping @Sendable (_ sent: Int64, _ total: Int64) -> Void = { _, _ in }
    ) async throws -> Submission {
        try await submit(
            to: "/v1/agreements/\(Self.segment(agreement))/packages", file: file, format: format, idempotencyKey: idempotencyKey,
            progress: progress)
    }

    /// Answers a consumer's request with a file of records, as ``submit(agreement:file:format:idempotencyKey:progress:)``.
    public func answer(
        request: String, file: String, format: RecordFormat, idempotencyKey: String? = nil,
        progress: @escaping @Sendable (_ sent: Int64, _ total: Int64) -> Void = { _, _ in }
    ) async throws -> Submission {
        try await submit(
            to: "/v1/requests/\(Self.segment(request))/packages", file: file, format: format, idempotencyKey: idempotencyKey, progress: progress)
    }

    private func submit(
        to path: String, file: String, format: RecordFormat, idempotencyKey: String?,
        progress: @escaping @Sendable (_ sent: Int64, _ total: Int64) -> Void
    ) async throws -> Submission {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw GatewayClientError(status: nil, problemType: nil, detail: "cannot read \(file)")
        }
        let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
        let chunks = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            var sent: Int64 = 0
            while true {
                let data = handle.readData(ofLength: 256 << 10)
                if data.isEmpty { break }
                sent += Int64(data.count)
                progress(sent, total)
                continuation.yield(ByteBuffer(bytes: data))
            }
            try? handle.close()
            continuation.finish()
        }
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: format.mediaType)
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        request.body = .stream(chunks, length: .known(total))
        return try await submission(execute(request))
    }

    /// Submits records held in memory.
    public func submit(agreement: String, body: Data, format: RecordFormat, idempotencyKey: String? = nil) async throws -> Submission {
        var request = HTTPClientRequest(url: baseURL + "/v1/agreements/\(Self.segment(agreement))/packages")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: format.mediaType)
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await submission(execute(request))
    }

    private func submission(_ answer: (Int, Data)) throws -> Submission {
        let (status, body) = answer
        guard let receipt = APIDocument.decoded(APIDocument.Receipt.self, from: body) else {
            throw GatewayClientError(status: status, problemType: nil, detail: "the gateway's answer is not a receipt")
        }
        return Submission(status: status, packageID: receipt.packageID, receipt: receipt.receipt)
    }

    public func inbox(cursor: String? = nil, limit: Int? = nil) async throws -> APIDocument.InboxPage {
        var query: [String] = []
        if let cursor { query.append("cursor=\(Self.segment(cursor))") }
        if let limit { query.append("limit=\(limit)") }
        let request = HTTPClientRequest(url: baseURL + "/v1/inbox" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        let (_, body) = try await execute(request)
        guard let page = APIDocument.decoded(APIDocument.InboxPage.self, from: body) else {
            throw GatewayClientError(status: 200, problemType: nil, detail: "the gateway's inbox answer is not readable")
        }
        return page
    }

    /// The gateway's signing certificates, current and retired, in both profiles.
    public func signingCertificates() async throws -> APIDocument.SigningCertificates {
        let (status, body) = try await execute(HTTPClientRequest(url: baseURL + "/v1/signing-certificates"))
        guard let document = APIDocument.decoded(APIDocument.SigningCertificates.self, from: body) else {
            throw GatewayClientError(status: status, problemType: nil, detail: "the gateway's answer is not a list of signing certificates")
        }
        return document
    }

    /// The sealed envelope of a package (compact JWE).
    public func fetch(packageID: String) async throws -> String {
        let (_, body) = try await execute(HTTPClientRequest(url: baseURL + "/v1/packages/\(Self.segment(packageID))"))
        return String(decoding: body, as: UTF8.self)
    }

    /// Acknowledges a package; false when it had been acknowledged before.
    public func acknowledge(packageID: String) async throws -> Bool {
        var request = HTTPClientRequest(url: baseURL + "/v1/packages/\(Self.segment(packageID))/ack")
        request.method = .POST
        let (status, body) = try await execute(request)
        guard let acknowledgement = APIDocument.decoded(APIDocument.Acknowledgement.self, from: body) else {
            throw GatewayClientError(status: status, problemType: nil, detail: "the gateway's answer is not an acknowledgement")
        }
        return acknowledgement.firstTime
    }

    /// Runs a request; a non-2xx answer becomes an error carrying the problem's type and detail.
    func execute(_ request: HTTPClientRequest) async throws -> (Int, Data) {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .minutes(10))
        } catch {
            throw GatewayClientError(status: nil, problemType: nil, detail: "cannot reach the gateway at \(baseURL): \(error)")
        }
        let collected = try await response.body.collect(upTo: 512 << 20)
        let body = Data(collected.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw GatewayClientError(status: status, problem: body, retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0) })
        }
        return (status, body)
    }

    public static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&=#"))) ?? text
    }
}

/// Why a request to the gateway failed: the HTTP status and RFC 9457 problem when the
/// gateway answered, or what kept it from answering.
public struct GatewayClientError: Error, Sendable, CustomStringConvertible {
    public var status: Int?
    public var problemType: String?
    public var detail: String
    public var fields: [String] = []
    public var errors: [String] = []
    public var retryAfter: Int?

    public init(
        status: Int?, problemType: String?, detail: String, fields: [String] = [], errors: [String] = [], retryAfter: Int? = nil
    ) {
        self.status = status
        self.problemType = problemType
        self.detail = detail
        self.fields = fields
        self.errors = errors
        self.retryAfter = retryAfter
    }

    /// From an `application/problem+json` body (or whatever else came).
    init(status: Int, problem body: Data, retryAfter: Int?) {
        let problem = APIDocument.decoded(APIDocument.Problem.self, from: body)
        self.init(
            status: status, problemType: problem?.type, detail: problem?.detail ?? "HTTP \(status)", fields: problem?.fields ?? [],
            errors: (problem?.errors ?? []).map { error in "record \(error.record)\(error.field.map { ", field " + $0 } ?? ""): \(error.reason)" },
            retryAfter: retryAfter)
    }

    public var description: String {
        var text = status.map { "HTTP \($0): " } ?? ""
        text += detail
        if let problemType { text += " (\(problemType))" }
        for error in errors { text += "\n  " + error }
        if let retryAfter { text += "\n  retry after \(retryAfter) s" }
        return text
    }
}
