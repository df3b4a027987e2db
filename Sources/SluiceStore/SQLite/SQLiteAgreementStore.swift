import Foundation
import GRDB
import SluiceCore

/// ``AgreementStore`` on the SQLite tables `agreement_versions` and `agreement_states`.
struct SQLiteAgreementStore: AgreementStore {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    func insert(_ version: AgreementVersion) throws {
        try db.execute(
            sql: """
                INSERT INTO agreement_versions(agreement_id, version, document, document_sha256, applied_at, applied_by, applied_by_certificate)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                version.agreementID, version.version, version.document, version.documentSHA256, version.appliedAt, version.appliedBy,
                version.appliedByCertificate,
            ])
    }

    func insert(_ change: AgreementStateChange) throws {
        try db.execute(
            sql: """
                INSERT INTO agreement_states(agreement_id, status, reason, changed_at, changed_by, changed_by_certificate)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [change.agreementID, change.status.rawValue, change.reason, change.changedAt, change.changedBy, change.changedByCertificate])
    }

    func latestVersion(of id: String) throws -> AgreementVersion? {
        try Row.fetchOne(db, sql: Self.versionColumns + " WHERE agreement_id = ? ORDER BY version DESC LIMIT 1", arguments: [id])
            .map(Self.version(row:))
    }

    func version(_ number: Int, of id: String) throws -> AgreementVersion? {
        try Row.fetchOne(db, sql: Self.versionColumns + " WHERE agreement_id = ? AND version = ?", arguments: [id, number])
            .map(Self.version(row:))
    }

    func versions(of id: String) throws -> [AgreementVersion] {
        try Row.fetchAll(db, sql: Self.versionColumns + " WHERE agreement_id = ? ORDER BY version", arguments: [id])
            .map(Self.version(row:))
    }

    /// The newest version of every agreement, by id.
    func latestVersions() throws -> [AgreementVersion] {
        try Row.fetchAll(
            db,
            sql: Self.versionColumns
                + " v WHERE version = (SELECT MAX(version) FROM agreement_versions w WHERE w.agreement_id = v.agreement_id) ORDER BY agreement_id"
        ).map(Self.version(row:))
    }

    func status(of id: String) throws -> AgreementStatus? {
        try String.fetchOne(db, sql: "SELECT status FROM agreement_states WHERE agreement_id = ? ORDER BY seq DESC LIMIT 1", arguments: [id])
            .flatMap(AgreementStatus.init(rawValue:))
    }

    /// The current status of every agreement that has one.
    func statuses() throws -> [String: AgreementStatus] {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT agreement_id, status FROM agreement_states s WHERE seq = (SELECT MAX(seq) FROM agreement_states t WHERE t.agreement_id = s.agreement_id)"
        )
        return Dictionary(
            rows.compactMap { row in AgreementStatus(rawValue: row[1]).map { (row[0] as String, $0) } }, uniquingKeysWith: { _, last in last })
    }

    func stateChanges(of id: String) throws -> [AgreementStateChange] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT agreement_id, status, reason, changed_at, changed_by, changed_by_certificate FROM agreement_states WHERE agreement_id = ? ORDER BY seq",
            arguments: [id]
        ).map { row in
            AgreementStateChange(
                agreementID: row[0], status: AgreementStatus(rawValue: row[1]) ?? .revoked, reason: row[2], changedAt: row[3], changedBy: row[4],
                changedByCertificate: row[5])
        }
    }

    func isEmpty() throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM agreement_versions LIMIT 1)") == 0
    }

    private static let versionColumns =
        "SELECT agreement_id, version, document, document_sha256, applied_at, applied_by, applied_by_certificate FROM agreement_versions"

    private static func version(row: Row) -> AgreementVersion {
        AgreementVersion(
            agreementID: row[0], version: row[1], document: row[2], documentSHA256: row[3], appliedAt: row[4], appliedBy: row[5],
            appliedByCertificate: row[6])
    }
}
