import Foundation
import GRDB
import SluiceCrypto

/// ``PackageStore`` on the SQLite table `packages`; envelopes are stored in parts
/// (``StoredEnvelope``).
struct SQLitePackageStore: PackageStore {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// Stores the package with its envelope in parts (see ``StoredEnvelope``).
    func insert(_ package: StoredPackage, envelope: SealedEnvelope) throws {
        // Cached: a statement prepared anew is parsed and planned again, once per package.
        try db.cachedStatement(
            sql: "INSERT INTO packages(\(StoredPackage.columns), envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        .execute(arguments: [
            package.id, package.agreementID, package.agreementVersion, package.provider, package.consumer, package.createdAt,
            package.expiresAt, package.records, package.envelopeBytes, package.bodySHA256,
            StoredPackage.scoped(package.idempotencyKey, agreement: package.agreementID),
            package.receipt, package.acknowledgedAt, package.recipientSHA256, package.answersRequest, envelope.storedBytes,
        ])
    }

    func package(id: String) throws -> StoredPackage? {
        try Row.fetchOne(db, sql: "SELECT \(StoredPackage.columns) FROM packages WHERE id = ?", arguments: [id])
            .map(StoredPackage.init(row:))
    }

    /// The package a provider submitted earlier under `agreement` with `key`, if any: keys
    /// are scoped to the provider and the agreement.
    func package(provider: String, agreement: String, idempotencyKey key: String) throws -> StoredPackage? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(StoredPackage.columns) FROM packages WHERE provider = ? AND idempotency_key = ?"),
            arguments: [provider, StoredPackage.scoped(key, agreement: agreement)]
        ).map(StoredPackage.init(row:))
    }

    func envelope(id: String) throws -> StoredEnvelope? {
        guard let value = try DatabaseValue.fetchOne(db, sql: "SELECT envelope FROM packages WHERE id = ?", arguments: [id]) else {
            return nil
        }
        switch value.storage {
        case .string(let compact):
            // Served as stored, once it is known to be a JWE's five parts.
            do { _ = try SealedEnvelope(compact: compact) } catch {
                throw StoreError.damagedEnvelope(packageID: id, reason: error.description)
            }
            return .compact(compact)
        case .blob(let stored):
            do { return .parts(try SealedEnvelope(stored: stored)) } catch {
                throw StoreError.damagedEnvelope(packageID: id, reason: error.description)
            }
        default: throw StoreError.damagedEnvelope(packageID: id, reason: "the row holds no envelope")
        }
    }

    /// A consumer's packages under `agreements`, oldest first, after the cursor (the
    /// `seq` of the last one seen); `withheld` counts its waiting packages under others.
    func inbox(consumer: String, agreements: some Collection<String>, after cursor: Int64?, limit: Int, includeAcknowledged: Bool)
        throws -> (packages: [StoredPackage], next: Int64?, withheld: Int)
    {
        let placeholders = Array(repeating: "?", count: agreements.count).joined(separator: ", ")
        var sql = "SELECT \(StoredPackage.columns), seq FROM packages WHERE consumer = ? AND seq > ? AND agreement_id IN (\(placeholders))"
        if !includeAcknowledged { sql += " AND acknowledged_at IS NULL" }
        sql += " ORDER BY seq LIMIT ?"
        let arguments =
            StatementArguments([consumer, cursor ?? 0] as [any DatabaseValueConvertible])
            + StatementArguments(Array(agreements)) + StatementArguments([limit + 1])
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let page = rows.prefix(limit)
        let next: Int64? = rows.count > limit ? page.last.map { $0[15] } : nil
        let withheld =
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM packages WHERE consumer = ? AND acknowledged_at IS NULL AND agreement_id NOT IN (\(placeholders))",
                arguments: StatementArguments([consumer]) + StatementArguments(Array(agreements))) ?? 0
        return (page.map(StoredPackage.init(row:)), next, withheld)
    }

    /// Records the consumer's first fetch of a package; later fetches leave it as it is.
    func markFetched(id: String, at time: String) throws {
        try db.cachedStatement(sql: "UPDATE packages SET fetched_at = ? WHERE id = ? AND fetched_at IS NULL").execute(arguments: [time, id])
    }

    /// Marks a package acknowledged; false when it already was.
    func acknowledge(id: String, at time: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE packages SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL", arguments: [time, id])
        return db.changesCount == 1
    }

    /// Packages whose retention ended before `time`.
    func expired(before time: String, limit: Int) throws -> [StoredPackage] {
        try Row.fetchAll(
            db, sql: "SELECT \(StoredPackage.columns) FROM packages WHERE expires_at < ? ORDER BY expires_at LIMIT ?",
            arguments: [time, limit]
        ).map(StoredPackage.init(row:))
    }

    /// Per agreement, the packages stored now that their consumer has not fetched, or not
    /// acknowledged, and those whose retention ended before `time` that the purge has not
    /// yet removed.
    func outstanding(at time: String) throws -> OutstandingPackages {
        var outstanding = OutstandingPackages()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT agreement_id, SUM(fetched_at IS NULL), SUM(acknowledged_at IS NULL), SUM(expires_at < ?) FROM packages
                GROUP BY agreement_id
                """, arguments: [time])
        while let row = try rows.next() {
            let agreement: String = row[0]
            let (unfetched, waiting, expired): (Int, Int, Int) = (row[1], row[2], row[3])
            if unfetched > 0 { outstanding.unfetched[agreement] = unfetched }
            if waiting > 0 { outstanding.unacknowledged[agreement] = waiting }
            if expired > 0 { outstanding.pastRetention[agreement] = expired }
        }
        return outstanding
    }

    /// The ids of the packages that answer a request, oldest first.
    func answering(request id: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM packages WHERE answers_request = ? ORDER BY seq", arguments: [id])
    }

    func delete(id: String) throws {
        try db.execute(sql: "DELETE FROM packages WHERE id = ?", arguments: [id])
    }
}

extension StoredPackage {
    static let columns =
        "id, agreement_id, agreement_version, provider, consumer, created_at, expires_at, records, envelope_bytes, body_sha256, idempotency_key, receipt, acknowledged_at, recipient_sha256, answers_request"

    init(row: Row) {
        let scoped: String? = row[10]
        self.init(
            id: row[0], agreementID: row[1], agreementVersion: row[2], provider: row[3], consumer: row[4], createdAt: row[5],
            expiresAt: row[6], records: row[7], envelopeBytes: row[8], bodySHA256: row[9],
            idempotencyKey: scoped.map { String($0.drop { $0 != "/" }.dropFirst()) }, receipt: row[11], acknowledgedAt: row[12],
            recipientSHA256: row[13], answersRequest: row[14])
    }

    /// How the key is stored: scoped to the agreement (see the "7-package-scope" migration).
    static func scoped(_ key: String?, agreement: String) -> String? { key.map { agreement + "/" + $0 } }
}
