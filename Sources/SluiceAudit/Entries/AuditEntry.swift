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

    /// The entry's canonical JSON: members in code-point order of their keys, no
    /// whitespace, absent members as null. Written member by member in that fixed order
    /// (only `details` has keys to sort): the gateway encodes one per audited request.
    /// The buffer goes to static helpers as `inout` rather than being captured by local
    /// functions, each use of which the runtime would check for exclusive access.
    public var canonicalJSON: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        Self.put(#"{"action":"#, &out)
        Self.put(text: action.rawValue, &out)
        Self.put(#","actor":{"certificate_sha256":"#, &out)
        Self.put(text: actor.certificateFingerprint, &out)
        Self.put(#","id":"#, &out)
        Self.put(text: actor.id, &out)
        Self.put(#","kind":"#, &out)
        Self.put(text: actor.kind.rawValue, &out)
        Self.put(#"},"agreement":"#, &out)
        if let agreementID {
            Self.put(#"{"id":"#, &out)
            Self.put(text: agreementID, &out)
            Self.put(#","version":"#, &out)
            if let agreementVersion { JSONWriter.appendInteger(agreementVersion, to: &out) } else { Self.put("null", &out) }
            Self.put("}", &out)
        } else {
            Self.put("null", &out)
        }
        Self.put(#","details":{"#, &out)
        // Most entries carry one or two details: those are put in order without sorting
        // into a new array.
        var members = details.makeIterator()
        switch details.count {
        case 0: break
        case 1: Self.put(member: members.next()!, &out)
        case 2:
            let (first, second) = (members.next()!, members.next()!)
            let inOrder = first.key.utf8.lexicographicallyPrecedes(second.key.utf8)
            Self.put(member: inOrder ? first : second, &out)
            out.append(UInt8(ascii: ","))
            Self.put(member: inOrder ? second : first, &out)
        default:
            for (offset, member) in details.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                Self.put(member: member, &out)
            }
        }
        Self.put(#"},"outcome":"#, &out)
        Self.put(text: outcome.rawValue, &out)
        Self.put(#","package_id":"#, &out)
        Self.put(text: packageID, &out)
        Self.put(#","reason":"#, &out)
        Self.put(text: reason, &out)
        Self.put(#","remote_address":"#, &out)
        Self.put(text: remoteAddress, &out)
        Self.put(#","request_id":"#, &out)
        Self.put(text: requestID, &out)
        Self.put(#","sequence":"#, &out)
        JSONWriter.appendInteger(sequence, to: &out)
        Self.put(#","time":"#, &out)
        Self.put(text: time, &out)
        Self.put("}", &out)
        return out
    }

    private static func put(_ literal: StaticString, _ out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private static func put(member: (key: String, value: AuditDetail), _ out: inout [UInt8]) {
        JSONWriter.appendString(member.key, to: &out)
        out.append(UInt8(ascii: ":"))
        member.value.append(to: &out)
    }

    private static func put(text value: String?, _ out: inout [UInt8]) {
        if let value { JSONWriter.appendString(value, to: &out) } else { put("null", &out) }
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

    /// The most names one detail lists: lists of what a client sent are cut to this,
    /// with their full count in a detail of its own.
    public static let maximumNames = 20

    func append(to out: inout [UInt8]) {
        switch self {
        case .count(let number): JSONWriter.appendInteger(number, to: &out)
        case .names(let names):
            out.append(UInt8(ascii: "["))
            for (offset, name) in names.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(name, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .digest(let hex): JSONWriter.appendString(hex, to: &out)
        case .flag(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
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
        // The last occurrence: the top-level member comes after `details`, whose own keys
        // could say "sequence" too. Runs once per entry in `verify`, so no allocation.
        let pattern: StaticString = "\"sequence\":"
        let length = pattern.utf8CodeUnitCount
        guard bytes.count > length, let base = bytes.baseAddress else { return nil }
        var start = bytes.count - length
        while start >= 0 {
            if bytes[start] == UInt8(ascii: "\""), memcmp(base + start, pattern.utf8Start, length) == 0 {
                var index = start + length
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
