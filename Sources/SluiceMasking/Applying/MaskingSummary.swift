/// What applying an agreement did to a set of records, in counts and field names only.
///
/// This is what the provider's receipt, the audit entry and `sluice mask` report; it
/// must never hold a record value.
public struct MaskingSummary: Sendable, Hashable, Codable {
    public var recordsIn = 0
    public var recordsOut = 0
    /// Records left out because a field failed validation.
    public var recordsFailed = 0
    /// Unlisted fields removed under `on_unlisted_field: drop`, by name, with counts: the
    /// first ``nameListLimit`` names; `otherUnlistedFields` counts the rest.
    public var droppedFields: [String: Int] = [:]
    /// Unlisted fields found under `on_unlisted_field: reject`; any one fails the set.
    /// The first ``nameListLimit`` names; `otherUnlistedFields` counts the rest.
    public var rejectedFields: Set<String> = []
    /// Unlisted fields met after the lists above were full (a record of 40,000 unknown
    /// keys must not become a summary of 40,000 names).
    public var otherUnlistedFields = 0
    /// Values changed by each mask rule (`hash`, `partial` …).
    public var maskedByRule: [String: Int] = [:]
    /// Values changed in each field.
    public var maskedByField: [String: Int] = [:]
    /// Personal data found and masked inside scanned free text, by kind.
    public var detections: [DetectionKind: Int] = [:]
    /// A record's own masked values (its `name`, its `id_number` …) found again in its
    /// scanned text and masked there as in their fields.
    public var recordValuesInText = 0
    /// Addresses whose administrative parts could not be recognised; they were redacted
    /// whole rather than risk leaving a street in place.
    public var unrecognisedAddresses = 0
    /// Values a mask that keeps part of them could not vouch for, by field: a `surname`
    /// field holding digits or an ID number, an address whose kept part holds a number.
    /// Each was redacted whole instead of keeping what it held.
    public var unexpectedValues: [String: Int] = [:]
    /// The first ``MaskingSummary/problemListLimit`` problems; `problemCount` has them all.
    public var problems: [RecordProblem] = []
    public var problemCount = 0

    public static let problemListLimit = 1000
    /// The most distinct unlisted names a summary lists.
    public static let nameListLimit = 20

    public init() {}

    /// The set may be delivered: nothing was rejected and no record failed.
    public var isClean: Bool { rejectedFields.isEmpty && problemCount == 0 }

    /// Every unlisted field met, listed or not.
    public var unlistedFieldCount: Int { droppedFields.values.reduce(0, +) + rejectedFields.count + otherUnlistedFields }

    mutating func record(_ problem: RecordProblem) {
        problemCount += 1
        if problems.count < Self.problemListLimit { problems.append(problem) }
    }
}
