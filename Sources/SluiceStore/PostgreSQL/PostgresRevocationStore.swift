import Foundation
import PostgresNIO

/// ``RevocationStore`` on the PostgreSQL table `revoked_certificates`.
struct PostgresRevocationStore: RevocationStore {
    let session: PostgresSession

    func revoke(_ revocation: CertificateRevocation) throws -> Bool {
        try session.execute(
            """
            INSERT INTO revoked_certificates(fingerprint, agency_id, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (fingerprint) DO NOTHING
            """,
            [
                .text(revocation.fingerprint), .text(revocation.agencyID), .text(revocation.reason), .text(revocation.revokedAt),
                .text(revocation.revokedBy),
            ]) == 1
    }

    func revocation(of fingerprint: String) throws -> CertificateRevocation? {
        try session.row(
            "SELECT fingerprint, agency_id, reason, revoked_at, revoked_by FROM revoked_certificates WHERE fingerprint = ?", [.text(fingerprint)]
        ).map(Self.revocation(row:))
    }

    func all() throws -> [CertificateRevocation] {
        try session.rows("SELECT fingerprint, agency_id, reason, revoked_at, revoked_by FROM revoked_certificates ORDER BY revoked_at, seq")
            .map(Self.revocation(row:))
    }

    private static func revocation(row: PostgresRandomAccessRow) throws -> CertificateRevocation {
        CertificateRevocation(
            fingerprint: try row.text(0), agencyID: try row.text(1), reason: try row.text(2), revokedAt: try row.text(3), revokedBy: try row.text(4))
    }
}
