import Foundation
import GRDB

/// ``RevocationStore`` on the SQLite table `revoked_certificates`.
struct SQLiteRevocationStore: RevocationStore {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// Records a revocation; false when the certificate was already revoked.
    func revoke(_ revocation: CertificateRevocation) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO revoked_certificates(fingerprint, agency_id, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(fingerprint) DO NOTHING
                """,
            arguments: [revocation.fingerprint, revocation.agencyID, revocation.reason, revocation.revokedAt, revocation.revokedBy])
        return db.changesCount == 1
    }

    func revocation(of fingerprint: String) throws -> CertificateRevocation? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT fingerprint, agency_id, reason, revoked_at, revoked_by FROM revoked_certificates WHERE fingerprint = ?"),
            arguments: [fingerprint]
        ).map { CertificateRevocation(fingerprint: $0[0], agencyID: $0[1], reason: $0[2], revokedAt: $0[3], revokedBy: $0[4]) }
    }

    func all() throws -> [CertificateRevocation] {
        try Row.fetchAll(db, sql: "SELECT fingerprint, agency_id, reason, revoked_at, revoked_by FROM revoked_certificates ORDER BY revoked_at")
            .map { CertificateRevocation(fingerprint: $0[0], agencyID: $0[1], reason: $0[2], revokedAt: $0[3], revokedBy: $0[4]) }
    }
}
