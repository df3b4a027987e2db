import Foundation
import Hummingbird
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceStore

/// An RFC 9457 problem the gateway answers with. Each kind has a stable `type` URI that
/// clients may branch on; `detail` is for people. Problems name fields and record
/// numbers, never submitted values.
///
/// The answer goes to the caller only: `detail` may repeat what the caller sent (the
/// names of its fields, capped). The audit trail records the problem's `kind` and its
/// ``recorded`` details, which hold counts, digests and names the registry knows.
public struct GatewayProblem: Error, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case unknownCertificate = "unknown-certificate"
        case revokedCertificate = "revoked-certificate"
        case forbidden
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case agreementNotFound = "agreement-not-found"
        case packageNotFound = "package-not-found"
        /// No request with that id that the caller is party to.
        case requestNotFound = "request-not-found"
        /// The agreement lets its consumer ask nothing (no `requests:` section).
        case requestsNotAllowed = "requests-not-allowed"
        /// The agreement takes only answers to requests (`push: false`).
        case pushNotAllowed = "push-not-allowed"
        /// The request is declined or past answering.
        case requestClosed = "request-closed"
        /// The request's case, purpose, officer or subjects do not fit the agreement.
        case invalidRequest = "invalid-request"
        /// An answer holds records about someone nobody asked about.
        case outOfScope = "out-of-scope"
        case agreementDraft = "agreement-not-active"
        case agreementSuspended = "agreement-suspended"
        case agreementRevoked = "agreement-revoked"
        case agreementNotYetValid = "agreement-not-yet-valid"
        case agreementExpired = "agreement-expired"
        case unsupportedMediaType = "unsupported-media-type"
        case bodyTooLarge = "body-too-large"
        case malformedBody = "malformed-body"
        case limitExceeded = "limit-exceeded"
        case unlistedFields = "unlisted-fields"
        case invalidRecords = "invalid-records"
        case idempotencyKeyReused = "idempotency-key-reused"
        case rateLimited = "rate-limited"
        case badRequest = "bad-request"
        /// The caller's certificate lacks the role this endpoint needs.
        case roleRequired = "role-required"
        case agencyNotFound = "agency-not-found"
        /// An agreement file sent to the admin API does not validate.
        case invalidAgreement = "invalid-agreement"
        /// The change conflicts with the registry's state (a version applied meanwhile, a
        /// state that does not allow the transition, a registration that exists).
        case registryConflict = "registry-conflict"
        /// The registry does not accept this identity: a certificate the agency CA did not
        /// issue for clients, two duties for one identity, a further certificate without the
        /// agency's proof of possession.
        case enrolmentRefused = "enrolment-refused"
        /// The agreement asks for a crypto profile this gateway cannot seal with: refused,
        /// never sealed with another.
        case cryptoProfileUnavailable = "crypto-profile-unavailable"
        /// The agency already has as many uploads in progress as it may.
        case tooManyUploads = "too-many-uploads"
        /// The body ended before it was complete (a broken connection, a malformed chunk).
        case bodyIncomplete = "body-incomplete"
        /// A transfer or content coding the gateway does not apply.
        case unsupportedCoding = "unsupported-coding"
        case unavailable
        /// The gateway's storage has no room for more (or less than the headroom it keeps).
        case storageFull = "storage-full"
        /// The gateway's storage cannot take writes: read-only, removed, failing.
        case storageUnavailable = "storage-unavailable"
        case internalError = "internal-error"

        public var status: HTTPResponse.Status {
            switch self {
            case .unknownCertificate, .revokedCertificate, .forbidden, .roleRequired, .enrolmentRefused: return .forbidden
            case .notFound, .agreementNotFound, .packageNotFound, .agencyNotFound, .requestNotFound: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .agreementDraft, .agreementSuspended, .agreementRevoked, .agreementNotYetValid, .agreementExpired,
                .idempotencyKeyReused, .registryConflict, .requestsNotAllowed, .pushNotAllowed, .requestClosed:
                return .conflict
            case .unsupportedMediaType: return .unsupportedMediaType
            case .bodyTooLarge: return .contentTooLarge
            case .malformedBody, .limitExceeded, .unlistedFields, .invalidRecords, .invalidAgreement, .invalidRequest, .outOfScope:
                return .unprocessableContent
            case .rateLimited, .tooManyUploads: return .tooManyRequests
            case .badRequest, .bodyIncomplete: return .badRequest
            case .cryptoProfileUnavailable, .unsupportedCoding: return .notImplemented
            case .unavailable, .storageUnavailable: return .serviceUnavailable
            case .storageFull: return .init(code: 507, reasonPhrase: "Insufficient Storage")
            case .internalError: return .internalServerError
            }
        }

        public var title: String {
            switch self {
            case .unknownCertificate: return "Client certificate not registered"
            case .revokedCertificate: return "Client certificate revoked"
            case .forbidden: return "Not allowed for this agency"
            case .notFound: return "No such resource"
            case .methodNotAllowed: return "Method not allowed"
            case .agreementNotFound: return "No such agreement"
            case .packageNotFound: return "No such package"
            case .requestNotFound: return "No such request"
            case .requestsNotAllowed: return "The agreement allows no requests"
            case .pushNotAllowed: return "The agreement takes only answers to requests"
            case .requestClosed: return "The request is closed"
            case .invalidRequest: return "The request does not fit the agreement"
            case .outOfScope: return "Records about subjects not asked about"
            case .agreementDraft: return "Agreement not yet active"
            case .agreementSuspended: return "Agreement suspended"
            case .agreementRevoked: return "Agreement revoked"
            case .agreementNotYetValid: return "Agreement not yet in force"
            case .agreementExpired: return "Agreement expired"
            case .unsupportedMediaType: return "Unsupported content type"
            case .bodyTooLarge: return "Request body too large"
            case .malformedBody: return "Body is not well-formed records"
            case .limitExceeded: return "A limit on the records was exceeded"
            case .unlistedFields: return "Fields not in the agreement"
            case .invalidRecords: return "Records failed validation"
            case .idempotencyKeyReused: return "Idempotency key used for another body"
            case .rateLimited: return "Too many requests"
            case .badRequest: return "Bad request"
            case .roleRequired: return "The certificate lacks the role for this"
            case .agencyNotFound: return "No such agency"
            case .invalidAgreement: return "Agreement does not validate"
            case .registryConflict: return "Conflicts with the registry's state"
            case .enrolmentRefused: return "The registry does not accept this identity"
            case .cryptoProfileUnavailable: return "Crypto profile not available"
            case .tooManyUploads: return "Too many uploads in progress"
            case .bodyIncomplete: return "Body incomplete"
            case .unsupportedCoding: return "Coding not applied"
            case .unavailable: return "Gateway unavailable"
            case .storageFull: return "Gateway storage full"
            case .storageUnavailable: return "Gateway storage unavailable"
            case .internalError: return "Internal error"
            }
        }

        public var typeURI: String { "urn:sluice:problem:" + rawValue }
    }

    /// One offending place in the records: a record number and a field, never a value.
    public struct RecordError: Sendable, Hashable {
        public var record: Int
        public var field: String?
        public var reason: String
    }

    public var kind: Kind
    public var detail: String
    public var fields: [String] = []
    public var errors: [RecordError] = []
    public var retryAfterSeconds: Int?
    /// What the audit trail records of this problem beside its kind.
    public var recorded: [String: AuditDetail] = [:]

    /// Text the caller sent, as an answer repeats it: at most 128 bytes.
    public static func shown(_ text: String) -> String {
        guard text.utf8.count > 128 else { return text }
        var cut = text.utf8.prefix(128)
        while !cut.isEmpty, String(cut) == nil { cut = cut.dropLast() }
        return (String(cut) ?? "") + "…"
    }

    public init(_ kind: Kind, _ detail: String, fields: [String] = [], errors: [RecordError] = [], retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.detail = detail
        self.fields = fields
        self.errors = errors
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The problem document as `application/problem+json`.
    public func response(requestID: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: kind.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document(requestID: requestID))))
    }

    /// The RFC 9457 JSON document.
    public func document(requestID: String?) -> [UInt8] {
        let document = APIDocument.Problem(
            type: kind.typeURI, title: kind.title, status: Int(kind.status.code), detail: detail, requestID: requestID,
            fields: fields.isEmpty ? nil : fields,
            errors: errors.isEmpty ? nil : errors.map { .init(record: $0.record, field: $0.field, reason: $0.reason) })
        if let encoded = try? APIDocument.encoded(document) { return Array(encoded) }
        // Strings and integers always encode; should one ever not, the answer still says
        // what kind of problem it is.
        var bytes: [UInt8] = []
        JSONWriter.append(
            .object(RecordObject([("status", .number(String(kind.status.code))), ("title", .string(kind.title)), ("type", .string(kind.typeURI))])),
            to: &bytes)
        return bytes
    }
}

extension GatewayProblem {
    /// The answer while the storage cannot take writes: 507 when it is full, 503
    /// otherwise, asking to retry except when the database is gone (that needs an operator).
    static func storage(_ condition: StorageCondition) -> GatewayProblem {
        GatewayProblem(
            condition == .full ? .storageFull : .storageUnavailable, condition.explanation + "; nothing was accepted",
            retryAfterSeconds: condition == .missing ? nil : 30)
    }
}
