import Foundation
import GRDB

/// A client certificate taken out of service: who it belonged to, why, when, and who
/// revoked it.
public struct CertificateRevocation: Sendable, Hashable {
    public var fingerprint: String
    public var agencyID: String
    public var reason: String
    public var revokedAt: String
    public var revokedBy: String

    public init(fingerprint: String, agencyID: String, reason: String, revokedAt: String, revokedBy: String) {
        self.fingerprint = fingerprint
        self.agencyID = agencyID
        self.reason = reason
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
    }
}

/// Revoked client certificates, seen from inside one transaction. The gateway asks on
/// every request, so a revocation by another process takes effect on the next one.
public struct RevocationStore {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// Records a revocation; false when the certificate was already revoked.
    public func revoke(_ revocation: CertificateRevocation) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO revoked_certificates(fingerprint, agency_id, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(fingerprint) DO NOTHING
                """,
            arguments: [revocation.fingerprint, revocation.agencyID, revocation.reason, revocation.revokedAt, revocation.revokedBy])
        return db.changesCount == 1
    }

    public func revocation(of fingerprint: String) throws -> CertificateRevocation? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT fingerprint, agency_id, reason, revoked_at, revoked_by FROM revoked_certificates WHERE fingerprint = ?"),
            arguments: [fingerprint]
        ).map { CertificateRevocation(fingerprint: $0[0], agencyID: $0[1], reason: $0[2], revokedAt: $0[3], revokedBy: $0[4]) }
    }

    public func all() throws -> [CertificateRevocation] {
        try Row.fetchAll(db, sql: "SELECT fingerprint, agency_id, reason, revoked_at, revoked_by FROM revoked_certificates ORDER BY revoked_at")
            .map { CertificateRevocation(fingerprint: $0[0], agencyID: $0[1], reason: $0[2], revokedAt: $0[3], revokedBy: $0[4]) }
    }
}
