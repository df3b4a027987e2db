import Foundation

/// A consumer's request for data about named subjects, as the gateway keeps it: who asked
/// whom under which agreement, for which case and purpose, by when, and what became of it.
/// The subjects themselves are only in `subjectsEnvelope`, sealed to the provider.
public struct StoredDataRequest: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable {
        case open, answered, declined
    }

    public var id: String
    public var agreementID: String
    public var agreementVersion: Int?
    public var provider: String
    public var consumer: String
    public var caseNumber: String?
    public var purpose: String
    public var officer: String
    public var subjects: Int
    /// Keyed pseudonyms of the subjects' `answer_must_match` values (empty without one).
    public var subjectPseudonyms: [String]
    public var createdAt: String
    public var deadline: String
    public var state: State
    public var declineReason: String?
    public var closedAt: String?
    /// The signed request receipt given to the consumer.
    public var receipt: String

    public init(
        id: String, agreementID: String, agreementVersion: Int?, provider: String, consumer: String, caseNumber: String?, purpose: String,
        officer: String, subjects: Int, subjectPseudonyms: [String], createdAt: String, deadline: String, state: State = .open,
        declineReason: String? = nil, closedAt: String? = nil, receipt: String
    ) {
        self.id = id
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.provider = provider
        self.consumer = consumer
        self.caseNumber = caseNumber
        self.purpose = purpose
        self.officer = officer
        self.subjects = subjects
        self.subjectPseudonyms = subjectPseudonyms
        self.createdAt = createdAt
        self.deadline = deadline
        self.state = state
        self.declineReason = declineReason
        self.closedAt = closedAt
        self.receipt = receipt
    }

    /// Open past its deadline at `time` (RFC 3339 UTC, which sorts as text).
    public func isOverdue(at time: String) -> Bool { state == .open && deadline < time }
}

/// Whose data requests a listing shows.
public enum DataRequestSide: Sendable {
    case provider(String)
    case consumer(String)
    /// Every agency's, for admins and security officers.
    case everyone
}

/// The data requests, seen from inside one transaction. Rows are never removed; a
/// request moves from open to answered (by its first answering package) or declined.
public protocol DataRequestStore {
    /// Stores a request; `idempotencyKey` and `bodySHA256` let a repeated one be found again
    /// (``request(consumer:agreement:idempotencyKey:)``).
    func insert(_ request: StoredDataRequest, subjectsEnvelope: String, idempotencyKey: String?, bodySHA256: String?) throws
    /// The request a consumer made earlier under `agreement` with `key`, and its body's digest.
    func request(consumer: String, agreement: String, idempotencyKey key: String) throws -> (request: StoredDataRequest, bodySHA256: String?)?
    func request(id: String) throws -> StoredDataRequest?
    /// The subjects sealed to the provider; nil once purged at the end of the agreement's retention.
    func subjectsEnvelope(id: String) throws -> String?
    /// The decline note sealed to the consumer, if the provider wrote one.
    func noteEnvelope(id: String) throws -> String?
    /// A page of requests: open ones by the oldest deadline first (`openOnly`), or all by
    /// the order they were made; `overdueAt` keeps only those open past their deadline at
    /// that time. The cursor is the `seq` of the last row seen.
    func page(of side: DataRequestSide, openOnly: Bool, overdueAt: String?, after cursor: Int64?, limit: Int) throws
        -> (requests: [StoredDataRequest], next: Int64?)
    /// Marks an open request answered by its first answering package; false when it was not open.
    func markAnswered(id: String, at time: String) throws -> Bool
    /// Declines an open request; false when it was not open.
    func decline(id: String, reason: String, noteEnvelope: String?, at time: String) throws -> Bool
    /// Removes the sealed subjects (and any sealed decline note) of an agreement's
    /// requests made before `time` (its retention ended); returns the ids of those it
    /// removed them from. The rest of each request (the gateway's own record of it) stays.
    func purgeSubjects(agreement: String, before time: String) throws -> [String]
    /// Open requests past their deadline at `time`.
    func overdueCount(at time: String) throws -> Int
}

extension DataRequestStore {
    public func insert(_ request: StoredDataRequest, subjectsEnvelope: String) throws {
        try insert(request, subjectsEnvelope: subjectsEnvelope, idempotencyKey: nil, bodySHA256: nil)
    }

    public func page(of side: DataRequestSide, openOnly: Bool, after cursor: Int64?, limit: Int) throws
        -> (requests: [StoredDataRequest], next: Int64?)
    {
        try page(of: side, openOnly: openOnly, overdueAt: nil, after: cursor, limit: limit)
    }
}
