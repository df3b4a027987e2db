import Foundation
import PostgresNIO
import SluiceCore

/// ``AgreementStore`` on the PostgreSQL tables `agreement_versions` and `agreement_states`.
struct PostgresAgreementStore: AgreementStore {
    let session: PostgresSession

    func insert(_ version: AgreementVersion) throws {
        try session.execute(
            """
            INSERT INTO agreement_versions(agreement_id, version, document, document_sha256, applied_at, applied_by, applied_by_certificate)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(version.agreementID), .integer(Int64(version.version)), .text(version.document), .text(version.documentSHA256),
                .text(version.appliedAt), .text(version.appliedBy), .text(version.appliedByCertificate),
            ])
    }

    func insert(_ change: AgreementStateChange) throws {
        try session.execute(
            """
            INSERT INTO agreement_states(agreement_id, status, reason, changed_at, changed_by, changed_by_certificate)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(change.agreementID), .text(change.status.rawValue), .text(change.reason), .text(change.changedAt), .text(change.changedBy),
                .text(change.changedByCertificate),
            ])
    }

    func latestVersion(of id: String) throws -> AgreementVersion? {
        try session.row(Self.versionColumns + " WHERE agreement_id = ? ORDER BY version DESC LIMIT 1", [.text(id)]).map(Self.version(row:))
    }

    func version(_ number: Int, of id: String) throws -> AgreementVersion? {
        try session.row(Self.versionColumns + " WHERE agreement_id = ? AND version = ?", [.text(id), .integer(Int64(number))])
            .map(Self.version(row:))
    }

    func versions(of id: String) throws -> [AgreementVersion] {
        try session.rows(Self.versionColumns + " WHERE agreement_id = ? ORDER BY version", [.text(id)]).map(Self.version(row:))
    }

    func latestVersions() throws -> [AgreementVersion] {
        try session.rows(
            Self.versionColumns
                + " v WHERE version = (SELECT MAX(version) FROM agreement_versions w WHERE w.agreement_id = v.agreement_id) ORDER BY agreement_id"
        ).map(Self.version(row:))
    }

    func status(of id: String) throws -> AgreementStatus? {
        try session.row("SELECT status FROM agreement_states WHERE agreement_id = ? ORDER BY seq DESC LIMIT 1", [.text(id)])
            .flatMap { AgreementStatus(rawValue: try $0.text(0)) }
    }

    func statuses() throws -> [String: AgreementStatus] {
        let rows = try session.rows(
            "SELECT agreement_id, status FROM agreement_states s WHERE seq = (SELECT MAX(seq) FROM agreement_states t WHERE t.agreement_id = s.agreement_id)"
        )
        var statuses: [String: AgreementStatus] = [:]
        for row in rows { statuses[try row.text(0)] = AgreementStatus(rawValue: try row.text(1)) }
        return statuses
    }

    func stateChanges(of id: String) throws -> [AgreementStateChange] {
        try session.rows(
            "SELECT agreement_id, status, reason, changed_at, changed_by, changed_by_certificate FROM agreement_states WHERE agreement_id = ? ORDER BY seq",
            [.text(id)]
        ).map { row in
            AgreementStateChange(
                agreementID: try row.text(0), status: AgreementStatus(rawValue: try row.text(1)) ?? .revoked, reason: try row.optionalText(2),
                changedAt: try row.text(3), changedBy: try row.text(4), changedByCertificate: try row.optionalText(5))
        }
    }

    func isEmpty() throws -> Bool {
        try session.row("SELECT 1 FROM agreement_versions LIMIT 1") == nil
    }

    private static let versionColumns =
        "SELECT agreement_id, version, document, document_sha256, applied_at, applied_by, applied_by_certificate FROM agreement_versions"

    private static func version(row: PostgresRandomAccessRow) throws -> AgreementVersion {
        AgreementVersion(
            agreementID: try row.text(0), version: try row.int(1), document: try row.text(2), documentSHA256: try row.text(3),
            appliedAt: try row.text(4), appliedBy: try row.text(5), appliedByCertificate: try row.optionalText(6))
    }
}
