import Foundation
import PostgresNIO
import SluiceCrypto

/// ``PackageStore`` on the PostgreSQL table `packages`. The envelope column holds the
/// envelope in parts (``StoredEnvelope``), or, for a package moved from an SQLite store that
/// kept it as compact text, that text, marked by `envelope_compact`.
struct PostgresPackageStore: PackageStore {
    let session: PostgresSession

    func insert(_ package: StoredPackage, envelope: SealedEnvelope) throws {
        try session.execute(
            "INSERT INTO packages(\(StoredPackage.columns), envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .text(package.id), .text(package.agreementID), .integer(package.agreementVersion.map(Int64.init)), .text(package.provider),
                .text(package.consumer), .text(package.createdAt), .text(package.expiresAt), .integer(Int64(package.records)),
                .integer(Int64(package.envelopeBytes)), .text(package.bodySHA256),
                .text(StoredPackage.scoped(package.idempotencyKey, agreement: package.agreementID)), .text(package.receipt),
                .text(package.acknowledgedAt), .text(package.recipientSHA256), .text(package.answersRequest), .bytes(envelope.storedBytes),
            ])
    }

    func package(id: String) throws -> StoredPackage? {
        try session.row("SELECT \(StoredPackage.columns) FROM packages WHERE id = ?", [.text(id)]).map(StoredPackage.init(row:))
    }

    func package(provider: String, agreement: String, idempotencyKey key: String) throws -> StoredPackage? {
        try session.row(
            "SELECT \(StoredPackage.columns) FROM packages WHERE provider = ? AND idempotency_key = ?",
            [.text(provider), .text(StoredPackage.scoped(key, agreement: agreement))]
        ).map(StoredPackage.init(row:))
    }

    func envelope(id: String) throws -> StoredEnvelope? {
        guard let row = try session.row("SELECT envelope, envelope_compact FROM packages WHERE id = ?", [.text(id)]) else { return nil }
        let stored = try row.bytes(0)
        do {
            if try row[1].decode(Bool.self) {
                let compact = String(decoding: stored, as: UTF8.self)
                _ = try SealedEnvelope(compact: compact)
                return .compact(compact)
            }
            return .parts(try SealedEnvelope(stored: stored))
        } catch let error as JOSEError {
            throw StoreError.damagedEnvelope(packageID: id, reason: error.description)
        }
    }

    func inbox(consumer: String, agreements: some Collection<String>, after cursor: Int64?, limit: Int, includeAcknowledged: Bool)
        throws -> (packages: [StoredPackage], next: Int64?, withheld: Int)
    {
        let placeholders = Array(repeating: "?", count: agreements.count).joined(separator: ", ")
        let listed = agreements.isEmpty ? "FALSE" : "agreement_id IN (\(placeholders))"
        var sql = "SELECT \(StoredPackage.columns), seq FROM packages WHERE consumer = ? AND seq > ? AND \(listed)"
        if !includeAcknowledged { sql += " AND acknowledged_at IS NULL" }
        sql += " ORDER BY seq LIMIT ?"
        let names = agreements.map { PostgresSession.Value.text($0) }
        let rows = try session.rows(sql, [.text(consumer), .integer(cursor ?? 0)] + names + [.integer(Int64(limit + 1))])
        let page = rows.prefix(limit)
        let next: Int64? = rows.count > limit ? try page.last.map { try $0.integer(15) } : nil
        let unlisted = agreements.isEmpty ? "TRUE" : "agreement_id NOT IN (\(placeholders))"
        let withheld =
            try session.row(
                "SELECT COUNT(*) FROM packages WHERE consumer = ? AND acknowledged_at IS NULL AND \(unlisted)", [.text(consumer)] + names)?
            .int(0) ?? 0
        return (try page.map(StoredPackage.init(row:)), next, withheld)
    }

    func markFetched(id: String, at time: String) throws {
        try session.execute("UPDATE packages SET fetched_at = ? WHERE id = ? AND fetched_at IS NULL", [.text(time), .text(id)])
    }

    func acknowledge(id: String, at time: String) throws -> Bool {
        try session.execute("UPDATE packages SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL", [.text(time), .text(id)]) == 1
    }

    func expired(before time: String, limit: Int) throws -> [StoredPackage] {
        try session.rows(
            "SELECT \(StoredPackage.columns) FROM packages WHERE expires_at < ? ORDER BY expires_at LIMIT ?", [.text(time), .integer(Int64(limit))]
        ).map(StoredPackage.init(row:))
    }

    func outstanding(at time: String) throws -> OutstandingPackages {
        var outstanding = OutstandingPackages()
        let rows = try session.rows(
            """
            SELECT agreement_id, COUNT(*) FILTER (WHERE fetched_at IS NULL), COUNT(*) FILTER (WHERE acknowledged_at IS NULL),
                   COUNT(*) FILTER (WHERE expires_at < ?)
            FROM packages GROUP BY agreement_id
            """, [.text(time)])
        for row in rows {
            let agreement = try row.text(0)
            let (unfetched, waiting, expired) = (try row.int(1), try row.int(2), try row.int(3))
            if unfetched > 0 { outstanding.unfetched[agreement] = unfetched }
            if waiting > 0 { outstanding.unacknowledged[agreement] = waiting }
            if expired > 0 { outstanding.pastRetention[agreement] = expired }
        }
        return outstanding
    }

    func answering(request id: String) throws -> [String] {
        try session.rows("SELECT id FROM packages WHERE answers_request = ? ORDER BY seq", [.text(id)]).map { try $0.text(0) }
    }

    func delete(id: String) throws {
        try session.execute("DELETE FROM packages WHERE id = ?", [.text(id)])
    }
}

extension StoredPackage {
    init(row: PostgresRandomAccessRow) throws {
        let scoped = try row.optionalText(10)
        self.init(
            id: try row.text(0), agreementID: try row.text(1), agreementVersion: try row.optionalInt(2), provider: try row.text(3),
            consumer: try row.text(4), createdAt: try row.text(5), expiresAt: try row.text(6), records: try row.int(7),
            envelopeBytes: try row.int(8), bodySHA256: try row.text(9),
            idempotencyKey: scoped.map { String($0.drop { $0 != "/" }.dropFirst()) }, receipt: try row.text(11),
            acknowledgedAt: try row.optionalText(12), recipientSHA256: try row.optionalText(13), answersRequest: try row.optionalText(14))
    }
}
