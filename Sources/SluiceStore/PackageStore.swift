import Foundation
import SluiceCrypto

/// One sealed package waiting for (or fetched by) its consumer, as the gateway keeps it.
public struct StoredPackage: Sendable, Hashable {
    public var id: String
    public var agreementID: String
    public var agreementVersion: Int?
    public var provider: String
    public var consumer: String
    public var createdAt: String
    /// After this the package is purged, fetched or not.
    public var expiresAt: String
    public var records: Int
    public var envelopeBytes: Int
    /// SHA-256 (hex) of the request body exactly as received.
    public var bodySHA256: String
    public var idempotencyKey: String?
    /// The signed receipt given to the provider, returned again for a repeated request.
    public var receipt: String
    public var acknowledgedAt: String?
    /// SHA-256 of the consumer's certificate the envelope was sealed to (nil before it was kept).
    public var recipientSHA256: String?
    /// The consumer's request this package answers, if any.
    public var answersRequest: String?

    public init(
        id: String, agreementID: String, agreementVersion: Int?, provider: String, consumer: String, createdAt: String,
        expiresAt: String, records: Int, envelopeBytes: Int, bodySHA256: String, idempotencyKey: String?, receipt: String,
        acknowledgedAt: String? = nil, recipientSHA256: String? = nil, answersRequest: String? = nil
    ) {
        self.id = id
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.provider = provider
        self.consumer = consumer
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.records = records
        self.envelopeBytes = envelopeBytes
        self.bodySHA256 = bodySHA256
        self.idempotencyKey = idempotencyKey
        self.receipt = receipt
        self.acknowledgedAt = acknowledgedAt
        self.recipientSHA256 = recipientSHA256
        self.answersRequest = answersRequest
    }
}

/// Packages stored now, per agreement, that are waiting on their consumer or on the purge.
public struct OutstandingPackages: Sendable, Hashable {
    public var unfetched: [String: Int] = [:]
    public var unacknowledged: [String: Int] = [:]
    public var pastRetention: [String: Int] = [:]

    public init() {}
}

/// The sealed packages, seen from inside one transaction. Envelopes are stored as sealed
/// (the gateway cannot read them back); rows are removed only by the purge.
public protocol PackageStore {
    /// Stores the package with its envelope (see ``StoredEnvelope``).
    func insert(_ package: StoredPackage, envelope: SealedEnvelope) throws
    func package(id: String) throws -> StoredPackage?
    /// The package a provider submitted earlier under `agreement` with `key`, if any: keys
    /// are scoped to the provider and the agreement.
    func package(provider: String, agreement: String, idempotencyKey key: String) throws -> StoredPackage?
    func envelope(id: String) throws -> StoredEnvelope?
    /// A consumer's packages under `agreements`, oldest first, after the cursor (the
    /// position of the last one seen); `withheld` counts its waiting packages under others.
    func inbox(consumer: String, agreements: some Collection<String>, after cursor: Int64?, limit: Int, includeAcknowledged: Bool)
        throws -> (packages: [StoredPackage], next: Int64?, withheld: Int)
    /// Records the consumer's first fetch of a package; later fetches leave it as it is.
    func markFetched(id: String, at time: String) throws
    /// Marks a package acknowledged; false when it already was.
    func acknowledge(id: String, at time: String) throws -> Bool
    /// Packages whose retention ended before `time`.
    func expired(before time: String, limit: Int) throws -> [StoredPackage]
    /// Per agreement, the packages stored now that their consumer has not fetched, or not
    /// acknowledged, and those whose retention ended before `time` that the purge has not
    /// yet removed.
    func outstanding(at time: String) throws -> OutstandingPackages
    /// The ids of the packages that answer a request, oldest first.
    func answering(request id: String) throws -> [String]
    func delete(id: String) throws
}

extension PackageStore {
    public func inbox(consumer: String, agreements: some Collection<String>, after cursor: Int64?, limit: Int)
        throws -> (packages: [StoredPackage], next: Int64?, withheld: Int)
    {
        try inbox(consumer: consumer, agreements: agreements, after: cursor, limit: limit, includeAcknowledged: false)
    }
}
