import Foundation
import PostgresNIO

/// ``DataRequestStore`` on the PostgreSQL table `data_requests`.
struct PostgresDataRequestStore: DataRequestStore {
    let session: PostgresSession

    func insert(_ request: StoredDataRequest, subjectsEnvelope: String, idempotencyKey: String?, bodySHA256: String?) throws {
        try session.execute(
            "INSERT INTO data_requests(\(StoredDataRequest.columns), subjects_envelope, idempotency_key, body_sha256) VALUES ("
                + Array(repeating: "?", count: 19).joined(separator: ", ") + ")",
            [
                .text(request.id), .text(request.agreementID), .integer(request.agreementVersion.map(Int64.init)), .text(request.provider),
                .text(request.consumer), .text(request.caseNumber), .text(request.purpose), .text(request.officer),
                .integer(Int64(request.subjects)), .text(request.subjectPseudonyms.joined(separator: "\n")), .text(request.createdAt),
                .text(request.deadline), .text(request.state.rawValue), .text(request.declineReason), .text(request.closedAt),
                .text(request.receipt), .text(subjectsEnvelope), .text(idempotencyKey.map { request.agreementID + "/" + $0 }), .text(bodySHA256),
            ])
    }

    func request(consumer: String, agreement: String, idempotencyKey key: String) throws -> (request: StoredDataRequest, bodySHA256: String?)? {
        try session.row(
            "SELECT \(StoredDataRequest.columns), body_sha256 FROM data_requests WHERE consumer = ? AND idempotency_key = ?",
            [.text(consumer), .text(agreement + "/" + key)]
        ).map { (try StoredDataRequest(row: $0), try $0.optionalText(16)) }
    }

    func request(id: String) throws -> StoredDataRequest? {
        try session.row("SELECT \(StoredDataRequest.columns) FROM data_requests WHERE id = ?", [.text(id)]).map(StoredDataRequest.init(row:))
    }

    func subjectsEnvelope(id: String) throws -> String? {
        try session.row("SELECT subjects_envelope FROM data_requests WHERE id = ? AND subjects_envelope <> ''", [.text(id)]).map { try $0.text(0) }
    }

    func noteEnvelope(id: String) throws -> String? {
        try session.row("SELECT note_envelope FROM data_requests WHERE id = ?", [.text(id)]).flatMap { try $0.optionalText(0) }
    }

    func page(of side: DataRequestSide, openOnly: Bool, overdueAt: String?, after cursor: Int64?, limit: Int) throws
        -> (requests: [StoredDataRequest], next: Int64?)
    {
        var conditions: [String] = []
        var values: [PostgresSession.Value] = []
        switch side {
        case .provider(let agency):
            conditions.append("provider = ?")
            values.append(.text(agency))
        case .consumer(let agency):
            conditions.append("consumer = ?")
            values.append(.text(agency))
        case .everyone: break
        }
        if openOnly || overdueAt != nil { conditions.append("state = 'open'") }
        if let overdueAt {
            conditions.append("deadline < ?")
            values.append(.text(overdueAt))
        }
        // As in the SQLite store: open ones by deadline then seq, the others by seq; the
        // cursor is the seq of the last row seen.
        let ordered = openOnly || overdueAt != nil
        if let cursor {
            conditions.append(ordered ? "(deadline, seq) > (SELECT deadline, seq FROM data_requests WHERE seq = ?)" : "seq > ?")
            values.append(.integer(cursor))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = ordered ? " ORDER BY deadline, seq LIMIT ?" : " ORDER BY seq LIMIT ?"
        values.append(.integer(Int64(limit + 1)))
        let rows = try session.rows("SELECT \(StoredDataRequest.columns), seq FROM data_requests" + filter + order, values)
        let page = rows.prefix(limit)
        let next: Int64? = rows.count > limit ? try page.last.map { try $0.integer(16) } : nil
        return (try page.map(StoredDataRequest.init(row:)), next)
    }

    func markAnswered(id: String, at time: String) throws -> Bool {
        try session.execute("UPDATE data_requests SET state = 'answered', closed_at = ? WHERE id = ? AND state = 'open'", [.text(time), .text(id)])
            == 1
    }

    func decline(id: String, reason: String, noteEnvelope: String?, at time: String) throws -> Bool {
        try session.execute(
            "UPDATE data_requests SET state = 'declined', decline_reason = ?, note_envelope = ?, closed_at = ? WHERE id = ? AND state = 'open'",
            [.text(reason), .text(noteEnvelope), .text(time), .text(id)]) == 1
    }

    func purgeSubjects(agreement: String, before time: String) throws -> [String] {
        try session.rows(
            """
            UPDATE data_requests SET subjects_envelope = '', note_envelope = NULL WHERE seq IN (
                SELECT seq FROM data_requests WHERE agreement_id = ? AND created_at < ? AND subjects_envelope <> '' ORDER BY seq LIMIT 1000)
            RETURNING id, seq
            """, [.text(agreement), .text(time)]
        ).map { (try $0.integer(1), try $0.text(0)) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    func overdueCount(at time: String) throws -> Int {
        try session.row("SELECT COUNT(*) FROM data_requests WHERE state = 'open' AND deadline < ?", [.text(time)])?.int(0) ?? 0
    }
}

extension StoredDataRequest {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.text(0), agreementID: try row.text(1), agreementVersion: try row.optionalInt(2), provider: try row.text(3),
            consumer: try row.text(4), caseNumber: try row.optionalText(5), purpose: try row.text(6), officer: try row.text(7),
            subjects: try row.int(8), subjectPseudonyms: try row.text(9).split(separator: "\n").map(String.init), createdAt: try row.text(10),
            deadline: try row.text(11), state: State(rawValue: try row.text(12)) ?? .open, declineReason: try row.optionalText(13),
            closedAt: try row.optionalText(14), receipt: try row.text(15))
    }
}
