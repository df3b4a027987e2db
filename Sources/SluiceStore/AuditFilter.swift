import Foundation
import SluiceAudit
import SluiceCore

/// Which entries a security officer asks for. Every condition given must hold.
public struct AuditFilter: Sendable, Hashable {
    public var actor: String?
    public var action: AuditAction?
    public var agreement: String?
    public var package: String?
    public var outcome: AuditOutcome?
    /// Entries about a request's case: its `case_number` detail, exactly.
    public var caseNumber: String?
    /// Entries whose `reason` is exactly this (refusals are grouped by it).
    public var reason: String?
    /// Entries at or after this time.
    public var since: Date?
    /// Entries strictly before this time.
    public var until: Date?
    /// Entries with a sequence at or above this one (cursor pagination, `tail -f`).
    public var fromSequence: UInt64?
    /// Entries with a sequence below this one (newest-first pagination).
    public var beforeSequence: UInt64?
    public var limit: Int?
    /// Newest first: the last `limit` entries, for `tail`.
    public var newestFirst: Bool

    public init(
        actor: String? = nil, action: AuditAction? = nil, agreement: String? = nil, package: String? = nil,
        outcome: AuditOutcome? = nil, since: Date? = nil, until: Date? = nil, fromSequence: UInt64? = nil,
        limit: Int? = nil, newestFirst: Bool = false, caseNumber: String? = nil, reason: String? = nil, beforeSequence: UInt64? = nil
    ) {
        self.actor = actor
        self.action = action
        self.agreement = agreement
        self.package = package
        self.outcome = outcome
        self.since = since
        self.until = until
        self.fromSequence = fromSequence
        self.limit = limit
        self.newestFirst = newestFirst
        self.caseNumber = caseNumber
        self.reason = reason
        self.beforeSequence = beforeSequence
    }

    /// Byte strings an entry's JSON must hold to match: each plain value asked for, quoted
    /// as JSON writes it. Only a quick way to pass over bundles and entries — the
    /// conditions are still tested on each entry read — so values JSON might write
    /// differently (escapes, non-ASCII) give no needle rather than risk a wrong one.
    func needles() -> [[UInt8]] {
        [actor, action?.rawValue, agreement, package, outcome?.rawValue].compactMap { value in
            guard let value, !value.isEmpty,
                value.utf8.allSatisfy({ byte in
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-_.:@".utf8.contains(byte)
                })
            else { return nil }
            return [UInt8(ascii: "\"")] + Array(value.utf8) + [UInt8(ascii: "\"")]
        }
    }

    /// Whether an entry meets every condition (the sequence is the caller's to check), with
    /// the time bounds formatted once for all the entries a read looks at.
    func matcher() -> (StoredAuditEntry) -> Bool {
        let since = since.map(AuditTime.format)
        let until = until.map(AuditTime.format)
        let (actor, action, agreement, package, outcome) = (actor, action?.rawValue, agreement, package, outcome?.rawValue)
        // The detail as the canonical JSON writes it: a case number holds no character it escapes.
        let caseNeedle = caseNumber.map { #""case_number":[""# + $0 + #""]"# }
        // The reason as the canonical JSON writes it, with the member that always follows it.
        let reasonNeedle = reason.map { reason -> String in
            var written = Array(#""reason":"#.utf8)
            JSONWriter.appendString(reason, to: &written)
            return String(decoding: written, as: UTF8.self) + #","remote_address":"#
        }
        if actor == nil, action == nil, agreement == nil, package == nil, outcome == nil, since == nil, until == nil, caseNeedle == nil,
            reasonNeedle == nil
        {
            return { _ in true }
        }
        return { entry in
            var json = entry.json
            // An entry that is not well formed (`verify` reports it) matches no condition.
            guard let index = json.withUTF8({ AuditEntryIndex(json: UnsafeRawBufferPointer($0)) }) else { return false }
            if let actor, index.actor != actor { return false }
            if let action, index.action != action { return false }
            if let agreement, index.agreement != agreement { return false }
            if let package, index.package != package { return false }
            if let outcome, index.outcome != outcome { return false }
            if let since, index.time < since { return false }
            if let until, index.time >= until { return false }
            if let caseNeedle, !json.contains(caseNeedle) { return false }
            if let reasonNeedle, !json.contains(reasonNeedle) { return false }
            return true
        }
    }
}
