import Foundation
import SluiceCore

/// What the gateway gives a provider for an accepted package: proof that this exact body
/// was received, what became of it, and where its audit entry stands in the log.
public struct Receipt: Sendable, Hashable {
    public var packageID: String
    public var agreementID: String
    public var agreementVersion: Int?
    public var provider: String
    public var consumer: String
    /// SHA-256 of the request body exactly as received, lower-case hex.
    public var bodySHA256: String
    public var recordsAccepted: Int
    /// Unlisted fields removed under `on_unlisted_field: drop`, with counts.
    public var fieldsDropped: [String: Int]
    /// The leaf index of the submission's audit entry.
    public var auditEntryIndex: Int?
    /// The signed checkpoint (C2SP signed note) whose tree includes that entry.
    public var checkpoint: String?
    /// RFC 3339 UTC.
    public var issuedAt: String

    public init(
        packageID: String, agreementID: String, agreementVersion: Int?, provider: String, consumer: String, bodySHA256: String,
        recordsAccepted: Int, fieldsDropped: [String: Int], auditEntryIndex: Int?, checkpoint: String?, issuedAt: String
    ) {
        self.packageID = packageID
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.provider = provider
        self.consumer = consumer
        self.bodySHA256 = bodySHA256
        self.recordsAccepted = recordsAccepted
        self.fieldsDropped = fieldsDropped
        self.auditEntryIndex = auditEntryIndex
        self.checkpoint = checkpoint
        self.issuedAt = issuedAt
    }

    /// Canonical JSON: members sorted, no whitespace.
    public func encoded() -> [UInt8] {
        let object = RecordObject([
            ("agreement", .object(RecordObject([("id", .string(agreementID)), ("version", agreementVersion.map { .number(String($0)) } ?? .null)]))),
            ("audit_entry_index", auditEntryIndex.map { .number(String($0)) } ?? .null),
            ("body_sha256", .string(bodySHA256)),
            ("checkpoint", checkpoint.map { .string($0) } ?? .null),
            ("consumer", .string(consumer)),
            ("fields_dropped", .object(RecordObject(fieldsDropped.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))),
            ("issued_at", .string(issuedAt)),
            ("package_id", .string(packageID)),
            ("provider", .string(provider)),
            ("records_accepted", .number(String(recordsAccepted))),
        ])
        var bytes: [UInt8] = []
        JSONWriter.append(.object(object), to: &bytes, sortingKeys: true)
        return bytes
    }

    public init(decoding bytes: Data) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any],
            let agreement = object["agreement"] as? [String: Any], let agreementID = agreement["id"] as? String,
            let packageID = object["package_id"] as? String, let provider = object["provider"] as? String,
            let consumer = object["consumer"] as? String, let digest = object["body_sha256"] as? String,
            let accepted = object["records_accepted"] as? Int, let issuedAt = object["issued_at"] as? String
        else { throw JOSEError.malformed("the receipt payload lacks a required member") }
        self.init(
            packageID: packageID, agreementID: agreementID, agreementVersion: agreement["version"] as? Int, provider: provider,
            consumer: consumer, bodySHA256: digest, recordsAccepted: accepted,
            fieldsDropped: object["fields_dropped"] as? [String: Int] ?? [:], auditEntryIndex: object["audit_entry_index"] as? Int,
            checkpoint: object["checkpoint"] as? String, issuedAt: issuedAt)
    }
}
