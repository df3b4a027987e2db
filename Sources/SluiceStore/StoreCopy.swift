import Foundation

/// A copy of a whole store into another, table by table in an order every store's rules
/// accept (agencies before their certificates; each audit bundle followed by the subtree
/// hashes it completes; checkpoints once the entries they cover are there). Backups and
/// `sluice store migrate` are such copies, so a store of any kind can be written as an
/// SQLite file and read back from one.
enum StoreCopy {
    /// A value of one column.
    enum Cell: Equatable {
        case null
        case integer(Int64)
        case text(String)
        case bytes(Data)
    }

    /// One table: its columns as both stores name them. `carriesSequence` tables copy
    /// their `seq` (an inbox cursor, a request page's cursor, the order of state changes);
    /// the others are read in the order their rows were added and get new row numbers.
    struct Table {
        let name: String
        let columns: [String]
        var carriesSequence: Bool { columns.first == "seq" }
    }

    /// The tables copied row by row in the order their rows were added, the audit tables aside.
    static let rowTables = [
        Table(name: "agencies", columns: ["id", "name", "roles", "added_at", "added_by"]),
        Table(name: "agency_certificates", columns: ["fingerprint", "agency_id", "certificate", "added_at", "added_by"]),
        Table(
            name: "agency_certificate_requests",
            columns: ["fingerprint", "agency_id", "certificate", "requested_at", "requested_by", "requested_by_kind"]),
        Table(
            name: "agreement_versions",
            columns: ["agreement_id", "version", "document", "document_sha256", "applied_at", "applied_by", "applied_by_certificate"]),
        Table(
            name: "agreement_states", columns: ["seq", "agreement_id", "status", "reason", "changed_at", "changed_by", "changed_by_certificate"]),
        Table(name: "revoked_certificates", columns: ["fingerprint", "agency_id", "reason", "revoked_at", "revoked_by"]),
        Table(
            name: "packages",
            columns: [
                "seq", "id", "agreement_id", "agreement_version", "provider", "consumer", "created_at", "expires_at", "records", "envelope_bytes",
                "body_sha256", "idempotency_key", "receipt", "acknowledged_at", "envelope", "recipient_sha256", "answers_request", "fetched_at",
            ]),
        Table(
            name: "data_requests",
            columns: [
                "seq", "id", "agreement_id", "agreement_version", "provider", "consumer", "case_number", "purpose", "officer", "subjects",
                "subject_pseudonyms", "created_at", "deadline", "state", "decline_reason", "closed_at", "receipt", "subjects_envelope",
                "note_envelope", "idempotency_key", "body_sha256",
            ]),
    ]
    static let bundles = Table(name: "audit_bundles", columns: ["first", "count", "min_time", "max_time", "leaf_hashes", "entries"])
    static let subtrees = Table(name: "audit_subtrees", columns: ["last_leaf", "level", "hash"])
    static let checkpoints = Table(name: "audit_checkpoints", columns: ["tree_size", "note", "signed_at"])
    static var tables: [Table] { rowTables + [bundles, subtrees, checkpoints] }

    /// Rows read a page at a time.
    static let page = 512

    /// Copies every row of `source` into `sink`; `progress` hears rows copied and the total.
    static func copy(from source: some StoreRowSource, to sink: some StoreRowSink, progress: (Int, Int) -> Void) throws {
        var total = 0
        for table in tables { total += try source.count(of: table) }
        var done = 0
        func copied(_ rows: Int) {
            done += rows
            progress(done, total)
        }
        func copyAll(_ table: Table) throws {
            var after: Int64 = -1
            while true {
                let rows = try source.rows(of: table, after: after, limit: page)
                for row in rows { try sink.insert(row.cells, into: table) }
                copied(rows.count)
                guard rows.count == page, let last = rows.last else { break }
                after = last.key
            }
        }
        for table in rowTables { try copyAll(table) }
        // Each bundle, then the subtrees its entries complete.
        var after: Int64 = -1
        var end: Int64 = 0
        while true {
            let rows = try source.rows(of: bundles, after: after, limit: page)
            guard let last = rows.last else { break }
            let pageEnd = try last.cells.bundleEnd()
            var hashes = try source.subtrees(from: end, below: pageEnd)[...]
            copied(hashes.count)
            for row in rows {
                try sink.insert(row.cells, into: bundles)
                let bundleEnd = try row.cells.bundleEnd()
                while let hash = hashes.first, case .integer(let lastLeaf) = hash[0], lastLeaf < bundleEnd {
                    try sink.insert(hash, into: subtrees)
                    hashes = hashes.dropFirst()
                }
            }
            guard hashes.isEmpty else { throw StoreError.failed("audit_subtrees holds a hash past the bundle that should complete it") }
            copied(rows.count)
            end = pageEnd
            guard rows.count == page else { break }
            after = last.key
        }
        try copyAll(checkpoints)
        try sink.finish()
    }
}

extension [StoreCopy.Cell] {
    /// The sequence after a bundle row's last entry.
    fileprivate func bundleEnd() throws -> Int64 {
        guard case .integer(let first) = self[0], case .integer(let count) = self[1] else {
            throw StoreError.failed("an audit bundle's first or count is not a number")
        }
        return first + count
    }
}

/// A store read for a copy: rows in the order they were added, a page at a time, each
/// with the key that orders them (a row number, a sequence, the first entry, a size).
protocol StoreRowSource {
    func count(of table: StoreCopy.Table) throws -> Int
    /// Rows whose key is above `after`, in key order, at most `limit`.
    func rows(of table: StoreCopy.Table, after: Int64, limit: Int) throws -> [(key: Int64, cells: [StoreCopy.Cell])]
    /// The subtree hashes whose last leaf lies in `start..<end`, by last leaf then level.
    func subtrees(from start: Int64, below end: Int64) throws -> [[StoreCopy.Cell]]
}

/// A store written by a copy, inside one transaction its owner opened.
protocol StoreRowSink {
    func insert(_ cells: [StoreCopy.Cell], into table: StoreCopy.Table) throws
    /// After the last row: whatever the store must set up for the rows it now holds.
    func finish() throws
}
