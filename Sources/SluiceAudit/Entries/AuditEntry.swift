import Foundation
import SluiceCore

/// One record of the audit trail: who did what, under which agreement, to which package,
/// with what outcome. Entries are leaves of the Merkle tree, hashed over their canonical
/// JSON (members sorted, no whitespace, absent members as null).
public struct AuditEntry: Sendable, Hashable {
    /// The leaf index, from 0, one more than the previous entry's.
    public var sequence: UInt64
    /// RFC 3339 UTC with milliseconds.
    public var time: String
    public var actor: AuditActor
    public var action: AuditAction
    public var agreementID: String?
    public var agreementVersion: Int?
    public var packageID: String?
    public var outcome: AuditOutcome
    /// Why, in words the gateway wrote (never a submitted value).
    public var reason: String?
    public var requestID: String?
    public var remoteAddress: String?
    public var details: [String: AuditDetail]

    public init(
        sequence: UInt64, time: String, actor: AuditActor, action: AuditAction, agreementID: String? = nil,
        agreementVersion: Int? = nil, packageID: String? = nil, outcome: AuditOutcome, reason: String? = nil,
        requestID: String? = nil, remoteAddress: String? = nil, details: [String: AuditDetail] = [:]
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.packageID = packageID
        self.outcome = outcome
        self.reason = reason
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.details = details
    }

    public var canonicalJSON: [UInt8] {
        func text(_ value: String?) -> RecordValue { value.map { .string($0) } ?? .null }
        let object = RecordObject([
            ("action", .string(action.rawValue)),
            ("actor", .object(actor.recordObject)),
            ("agreement", agreementID.map { .object(RecordObject([("id", .string($0)), ("version", agreementVersion.map { .number(String($0)) } ?? .null)])) } ?? .null),
            ("details", .object(RecordObject(details.map { ($0.key, $0.value.recordValue) }))),
            ("outcome", .string(outcome.rawValue)),
            ("package_id", text(packageID)),
            ("reason", text(reason)),
            ("remote_address", text(remoteAddress)),
            ("request_id", text(requestID)),
            ("sequence", .number(String(sequence))),
            ("time", .string(time)),
        ])
        var bytes: [UInt8] = []
        JSONWriter.append(.object(object), to: &bytes, sortingKeys: true)
        return bytes
    }

    /// The entry's Merkle leaf hash: SHA-256(0x00 ‖ canonical JSON).
    public var leafHash: MerkleHash { .leaf(canonicalJSON) }
}

/// Who acted: an agency identified by its certificate, a person at the gateway's own
/// console, or the gateway itself (start, stop, purges).
public struct AuditActor: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case agency
        case localAdmin = "local_admin"
        case gateway
    }

    public var kind: Kind
    /// The agency id, the local user's name, or the gateway's name.
    public var id: String
    /// SHA-256 of the certificate presented, for agencies.
    public var certificateFingerprint: String?

    public init(kind: Kind, id: String, certificateFingerprint: String? = nil) {
        self.kind = kind
        self.id = id
        self.certificateFingerprint = certificateFingerprint
    }

    var recordObject: RecordObject {
        RecordObject([
            ("kind", .string(kind.rawValue)), ("id", .string(id)),
            ("certificate_sha256", certificateFingerprint.map { .string($0) } ?? .null),
        ])
    }
}

/// What an entry's details may hold. There is deliberately no case for free text or a
/// record value: an audit entry can say how many records and which fields, never what
/// was in them. A data subject is referred to only by a keyed hash (`digest`).
public enum AuditDetail: Sendable, Hashable {
    case count(Int)
    case names([String])
    /// A hex digest: a body's SHA-256, or a keyed pseudonym of a data subject.
    case digest(String)
    case flag(Bool)

    var recordValue: RecordValue {
        switch self {
        case .count(let number): return .number(String(number))
        case .names(let names): return .array(names.map { .string($0) })
        case .digest(let hex): return .string(hex)
        case .flag(let flag): return .bool(flag)
        }
    }
}

extension AuditEntry {
    /// The top-level `sequence` an entry's canonical JSON declares, read without parsing
    /// the whole entry: it is the last `"sequence":` in the text, since members are
    /// sorted and only `time`, a string, follows it (a quote inside a string value is
    /// always escaped, so the pattern cannot occur there).
    public static func declaredSequence(in json: some Collection<UInt8>) -> UInt64? {
        Array(json).withUnsafeBytes { declaredSequence(in: $0) }
    }

    public static func declaredSequence(in bytes: UnsafeRawBufferPointer) -> UInt64? {
        let pattern = Array("\"sequence\":".utf8)
        guard bytes.count > pattern.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start] == pattern[0], bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                var index = start + pattern.count
                var value: UInt64 = 0
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 20 {
                    let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                    guard !overflow else { return nil }
                    value = shifted + UInt64(bytes[index] - 0x30)
                    index += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            start -= 1
        }
        return nil
    }
}
