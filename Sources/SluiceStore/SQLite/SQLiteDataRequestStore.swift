import Foundation
import GRDB

/// ``DataRequestStore`` on the SQLite table `data_requests`.
struct SQLiteDataRequestStore: DataRequestStore {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// Stores a request; `idempotencyKey` and `bodySHA256` let a repeated one be found again
    /// (``request(consumer:agreement:idempotencyKey:)``).
    func insert(_ request: StoredDataRequest, subjectsEnvelope: String, idempotencyKey: String?, bodySHA256: String?) throws {
        try db.execute(
            sql: "INSERT INTO data_requests(\(StoredDataRequest.columns), subjects_envelope, idempotency_key, body_sha256) VALUES ("
                + Array(repeating: "?", count: 19).joined(separator: ", ") + ")",
            arguments: [
                request.id, request.agreementID, request.agreementVersion, request.provider, request.consumer, request.caseNumber,
                request.purpose, request.officer, request.subjects, request.subjectPseudonyms.joined(separator: "\n"), request.createdAt,
                request.deadline, request.state.rawValue, request.declineReason, request.closedAt, request.receipt, subjectsEnvelope,
                idempotencyKey.map { request.agreementID + "/" + $0 }, bodySHA256,
            ])
    }

    /// The request a consumer made earlier under `agreement` with `key`, and its body's digest.
    func request(consumer: String, agreement: String, idempotencyKey key: String) throws
        -> (request: StoredDataRequest, bodySHA256: String?)?
    {
        try Row.fetchOne(
            db, sql: "SELECT \(StoredDataRequest.columns), body_sha256 FROM data_requests WHERE consumer = ? AND idempotency_key = ?",
            arguments: [consumer, agreement + "/" + key]
        ).map { (StoredDataRequest(row: $0), $0[16]) }
    }

    func request(id: String) throws -> StoredDataRequest? {
        try Row.fetchOne(db, sql: "SELECT \(StoredDataRequest.columns) FROM data_requests WHERE id = ?", arguments: [id])
            .map(StoredDataRequest.init(row:))
    }

    /// The subjects sealed to the provider; nil once purged at the end of the agreement's retention.
    func subjectsEnvelope(id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT subjects_envelope FROM data_requests WHERE id = ? AND subjects_envelope != ''", arguments: [id])
    }

    /// The decline note sealed to the consumer, if the provider wrote one.
    func noteEnvelope(id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT note_envelope FROM data_requests WHERE id = ?", arguments: [id])
    }

    /// A page of requests: open ones by the oldest deadline first (`openOnly`), or all by
    /// the order they were made; `overdueAt` keeps only those open past their deadline at
    /// that time. The cursor is the `seq` of the last row seen.
    func page(of side: DataRequestSide, openOnly: Bool, overdueAt: String?, after cursor: Int64?, limit: Int) throws
        -> (requests: [StoredDataRequest], next: Int64?)
    {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        switch side {
        case .provider(let agency):
            conditions.append("provider = ?")
            arguments.append(agency)
        case .consumer(let agency):
            conditions.append("consumer = ?")
            arguments.append(agency)
        case .everyone: break
        }
        if openOnly || overdueAt != nil { conditions.append("state = 'open'") }
        if let overdueAt {
            conditions.append("deadline < ?")
            arguments.append(overdueAt)
        }
        // Open ones by deadline, then seq; the others by seq. Either way the cursor is the seq
        // of the last row seen, and the next page starts after that row's place in the order,
        // wherever it now stands: a request answered meanwhile moves no other one.
        let ordered = openOnly || overdueAt != nil
        if let cursor {
            conditions.append(ordered ? "(deadline, seq) > (SELECT deadline, seq FROM data_requests WHERE seq = ?)" : "seq > ?")
            arguments.append(cursor)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order = ordered ? " ORDER BY deadline, seq LIMIT ?" : " ORDER BY seq LIMIT ?"
        arguments.append(limit + 1)
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(StoredDataRequest.columns), seq FROM data_requests" + filter + order, arguments: StatementArguments(arguments))
        let page = rows.prefix(limit)
        let next: Int64? = rows.count > limit ? page.last.map { $0[16] } : nil
        return (page.map(StoredDataRequest.init(row:)), next)
    }

    /// Marks an open request answered by its first answering package; false when it was not open.
    func markAnswered(id: String, at time: String) throws -> Bool {
        try db.execute(sql: "UPDATE data_requests SET state = 'answered', closed_at = ? WHERE id = ? AND state = 'open'", arguments: [time, id])
        return db.changesCount == 1
    }

    /// Declines an open request; false when it was not open.
    func decline(id: String, reason: String, noteEnvelope: String?, at time: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE data_requests SET state = 'declined', decline_reason = ?, note_envelope = ?, closed_at = ? WHERE id = ? AND state = 'open'",
            arguments: [reason, noteEnvelope, time, id])
        return db.changesCount == 1
    }

    /// Removes the sealed subjects of an agreement's requests made before `time` (its
    /// retention ended); returns the ids of those it removed them from. The rest of each
    /// request (the gateway's own record of it) stays.
    func purgeSubjects(agreement: String, before time: String) throws -> [String] {
        let ids = try String.fetchAll(
            db, sql: "SELECT id FROM data_requests WHERE agreement_id = ? AND created_at < ? AND subjects_envelope != '' ORDER BY seq LIMIT 1000",
            arguments: [agreement, time])
        for id in ids {
            try db.execute(sql: "UPDATE data_requests SET subjects_envelope = '', note_envelope = NULL WHERE id = ?", arguments: [id])
        }
        return ids
    }

    /// Open requests past their deadline at `time`.
    func overdueCount(at time: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM data_requests WHERE state = 'open' AND deadline < ?", arguments: [time]) ?? 0
    }
}

extension StoredDataRequest {
    static let columns =
        "id, agreement_id, agreement_version, provider, consumer, case_number, purpose, officer, subjects, subject_pseudonyms, created_at, deadline, state, decline_reason, closed_at, receipt"

    init(row: Row) {
        let pseudonyms: String = row[9]
        self.init(
            id: row[0], agreementID: row[1], agreementVersion: row[2], provider: row[3], consumer: row[4], caseNumber: row[5],
            purpose: row[6], officer: row[7], subjects: row[8],
            subjectPseudonyms: pseudonyms.split(separator: "\n").map(String.init), createdAt: row[10], deadline: row[11],
            state: State(rawValue: row[12]) ?? .open, declineReason: row[13], closedAt: row[14], receipt: row[15])
    }
}
