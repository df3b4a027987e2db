import Foundation
import SluiceCore

/// What the gateway gives a consumer for a request it accepted: which request, under which
/// agreement, for which case and purpose, how many subjects (never who), by when the
/// provider must answer, and where its audit entry stands in the log. Signed as a JWS of
/// `typ` `sluice-request-receipt+jws` by the gateway's signing key.
public struct DataRequestReceipt: Sendable, Hashable {
    public static let type = "sluice-request-receipt+jws"

    public var requestID: String
    public var agreementID: String
    public var agreementVersion: Int?
    public var provider: String
    public var consumer: String
    public var caseNumber: String?
    public var purpose: String
    public var subjects: Int
    /// SHA-256 of the request body exactly as received, lower-case hex.
    public var bodySHA256: String
    public var deadline: String
    public var auditEntryIndex: Int
    /// The signed checkpoint whose tree includes that entry.
    public var checkpoint: String
    public var issuedAt: String

    public init(
        requestID: String, agreementID: String, agreementVersion: Int?, provider: String, consumer: String, caseNumber: String?,
        purpose: String, subjects: Int, bodySHA256: String, deadline: String, auditEntryIndex: Int, checkpoint: String, issuedAt: String
    ) {
        self.requestID = requestID
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.provider = provider
        self.consumer = consumer
        self.caseNumber = caseNumber
        self.purpose = purpose
        self.subjects = subjects
        self.bodySHA256 = bodySHA256
        self.deadline = deadline
        self.auditEntryIndex = auditEntryIndex
        self.checkpoint = checkpoint
        self.issuedAt = issuedAt
    }

    /// Canonical JSON: members sorted, no whitespace.
    public func encoded() -> [UInt8] {
        let object = RecordObject([
            ("agreement", .object(RecordObject([("id", .string(agreementID)), ("version", agreementVersion.map { .number(String($0)) } ?? .null)]))),
            ("audit_entry_index", .number(String(auditEntryIndex))),
            ("body_sha256", .string(bodySHA256)),
            ("case_number", caseNumber.map { .string($0) } ?? .null),
            ("checkpoint", .string(checkpoint)),
            ("consumer", .string(consumer)),
            ("deadline", .string(deadline)),
            ("issued_at", .string(issuedAt)),
            ("provider", .string(provider)),
            ("purpose", .string(purpose)),
            ("request_id", .string(requestID)),
            ("subjects", .number(String(subjects))),
        ])
        var bytes: [UInt8] = []
        JSONWriter.append(.object(object), to: &bytes, sortingKeys: true)
        return bytes
    }

    public init(decoding bytes: Data) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any],
            let agreement = object["agreement"] as? [String: Any], let agreementID = agreement["id"] as? String,
            let requestID = object["request_id"] as? String, let provider = object["provider"] as? String,
            let consumer = object["consumer"] as? String, let purpose = object["purpose"] as? String,
            let subjects = object["subjects"] as? Int, let digest = object["body_sha256"] as? String,
            let deadline = object["deadline"] as? String, let index = object["audit_entry_index"] as? Int,
            let checkpoint = object["checkpoint"] as? String, let issuedAt = object["issued_at"] as? String
        else { throw JOSEError.malformed("the request receipt's payload lacks a required member") }
        self.init(
            requestID: requestID, agreementID: agreementID, agreementVersion: agreement["version"] as? Int, provider: provider,
            consumer: consumer, caseNumber: object["case_number"] as? String, purpose: purpose, subjects: subjects, bodySHA256: digest,
            deadline: deadline, auditEntryIndex: index, checkpoint: checkpoint, issuedAt: issuedAt)
    }
}
