import Foundation
import PostgresNIO
import SluiceAudit
import SluiceCore

/// ``AgencyStore`` on the PostgreSQL tables `agencies`, `agency_certificates` and their
/// requests; revocations live in `revoked_certificates`.
struct PostgresAgencyStore: AgencyStore {
    let session: PostgresSession

    func insertAgency(id: String, name: String, roles: [AgencyRole], at time: String, by actor: String) throws {
        try session.execute(
            "INSERT INTO agencies(id, name, roles, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(name), .text(roles.map(\.rawValue).joined(separator: ",")), .text(time), .text(actor)])
    }

    func insertCertificate(agencyID: String, fingerprint: String, der: Data, at time: String, by actor: String) throws {
        try session.execute(
            "INSERT INTO agency_certificates(fingerprint, agency_id, certificate, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
            [.text(fingerprint), .text(agencyID), .bytes(der), .text(time), .text(actor)])
    }

    func insertRequest(agencyID: String, fingerprint: String, der: Data, at time: String, by actor: AuditActor) throws {
        try session.execute(
            """
            INSERT INTO agency_certificate_requests(fingerprint, agency_id, certificate, requested_at, requested_by, requested_by_kind)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(fingerprint), .text(agencyID), .bytes(der), .text(time), .text(actor.id), .text(actor.kind.rawValue)])
    }

    func request(fingerprint: String, agencyID: String) throws -> (id: String, kind: String)? {
        try session.row(
            "SELECT requested_by, requested_by_kind FROM agency_certificate_requests WHERE fingerprint = ? AND agency_id = ?",
            [.text(fingerprint), .text(agencyID)]
        ).map { (try $0.text(0), try $0.text(1)) }
    }

    func owner(of fingerprint: String) throws -> String? {
        try session.row("SELECT agency_id FROM agency_certificates WHERE fingerprint = ?", [.text(fingerprint)]).map { try $0.text(0) }
    }

    func agency(_ id: String) throws -> RegisteredAgency? {
        try all(where: id).first
    }

    func all() throws -> [RegisteredAgency] {
        try all(where: nil)
    }

    func isEmpty() throws -> Bool {
        try session.row("SELECT 1 FROM agencies LIMIT 1") == nil
    }

    private func all(where id: String?) throws -> [RegisteredAgency] {
        let condition = id == nil ? "" : " WHERE a.id = ?"
        let values: [PostgresSession.Value] = id.map { [.text($0)] } ?? []
        var byAgency: [String: [RegisteredCertificate]] = [:]
        for row in try session.rows(
            """
            SELECT c.agency_id, c.fingerprint, c.certificate, c.added_at, c.added_by, r.revoked_at
            FROM agency_certificates c JOIN agencies a ON a.id = c.agency_id
            LEFT JOIN revoked_certificates r ON r.fingerprint = c.fingerprint\(condition)
            ORDER BY c.seq
            """, values)
        {
            byAgency[try row.text(0), default: []].append(
                RegisteredCertificate(
                    fingerprint: try row.text(1), der: try row.bytes(2), addedAt: try row.text(3), addedBy: try row.text(4),
                    revokedAt: try row.optionalText(5)))
        }
        return try session.rows("SELECT id, name, roles, added_at, added_by FROM agencies a\(condition) ORDER BY id", values).map { row in
            let id = try row.text(0)
            let roles = try row.text(2).split(separator: ",").compactMap { AgencyRole(rawValue: String($0)) }
            return RegisteredAgency(
                id: id, name: try row.text(1), roles: roles, addedAt: try row.text(3), addedBy: try row.text(4), certificates: byAgency[id] ?? [])
        }
    }
}
