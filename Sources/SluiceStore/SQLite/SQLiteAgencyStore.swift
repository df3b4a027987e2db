import Foundation
import GRDB
import SluiceAudit
import SluiceCore

/// ``AgencyStore`` on the SQLite tables `agencies`, `agency_certificates` and their
/// requests; revocations live in `revoked_certificates`.
struct SQLiteAgencyStore: AgencyStore {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    func insertAgency(id: String, name: String, roles: [AgencyRole], at time: String, by actor: String) throws {
        try db.execute(
            sql: "INSERT INTO agencies(id, name, roles, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, name, roles.map(\.rawValue).joined(separator: ","), time, actor])
    }

    func insertCertificate(agencyID: String, fingerprint: String, der: Data, at time: String, by actor: String) throws {
        try db.execute(
            sql: "INSERT INTO agency_certificates(fingerprint, agency_id, certificate, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
            arguments: [fingerprint, agencyID, der, time, actor])
    }

    /// Records an admin's request to add a certificate to a registered agency without the
    /// agency's proof of possession, for a second admin to grant.
    func insertRequest(agencyID: String, fingerprint: String, der: Data, at time: String, by actor: AuditActor) throws {
        try db.execute(
            sql: """
                INSERT INTO agency_certificate_requests(fingerprint, agency_id, certificate, requested_at, requested_by, requested_by_kind)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [fingerprint, agencyID, der, time, actor.id, actor.kind.rawValue])
    }

    /// Who asked for `fingerprint` to be added to `agencyID`, if anyone did.
    func request(fingerprint: String, agencyID: String) throws -> (id: String, kind: String)? {
        try Row.fetchOne(
            db, sql: "SELECT requested_by, requested_by_kind FROM agency_certificate_requests WHERE fingerprint = ? AND agency_id = ?",
            arguments: [fingerprint, agencyID]
        ).map { ($0[0], $0[1]) }
    }

    /// The agency a certificate is registered to, whether or not it was revoked since.
    func owner(of fingerprint: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT agency_id FROM agency_certificates WHERE fingerprint = ?", arguments: [fingerprint])
    }

    func agency(_ id: String) throws -> RegisteredAgency? {
        try all(where: id).first
    }

    /// Every agency, ordered by id, with its certificates oldest first.
    func all() throws -> [RegisteredAgency] {
        try all(where: nil)
    }

    func isEmpty() throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM agencies LIMIT 1)") == 0
    }

    private func all(where id: String?) throws -> [RegisteredAgency] {
        let condition = id == nil ? "" : " WHERE a.id = ?"
        let arguments: StatementArguments = id.map { [$0] } ?? []
        let certificates = try Row.fetchAll(
            db,
            sql: """
                SELECT c.agency_id, c.fingerprint, c.certificate, c.added_at, c.added_by, r.revoked_at
                FROM agency_certificates c JOIN agencies a ON a.id = c.agency_id
                LEFT JOIN revoked_certificates r ON r.fingerprint = c.fingerprint\(condition)
                ORDER BY c.rowid
                """, arguments: arguments)
        var byAgency: [String: [RegisteredCertificate]] = [:]
        for row in certificates {
            byAgency[row[0], default: []].append(
                RegisteredCertificate(fingerprint: row[1], der: row[2], addedAt: row[3], addedBy: row[4], revokedAt: row[5]))
        }
        return try Row.fetchAll(db, sql: "SELECT id, name, roles, added_at, added_by FROM agencies a\(condition) ORDER BY id", arguments: arguments)
            .map { row in
                let id: String = row[0]
                let roles = (row[2] as String).split(separator: ",").compactMap { AgencyRole(rawValue: String($0)) }
                return RegisteredAgency(id: id, name: row[1], roles: roles, addedAt: row[3], addedBy: row[4], certificates: byAgency[id] ?? [])
            }
    }
}
