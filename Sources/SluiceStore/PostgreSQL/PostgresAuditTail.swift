import Foundation
import PostgresNIO
import SluiceAudit

/// ``AuditTail`` on the PostgreSQL tables `audit_bundles` and `audit_subtrees`.
struct PostgresAuditTail: AuditTail {
    let session: PostgresSession

    func end() throws -> (size: UInt64, latestTime: String)? {
        try session.row("SELECT first + count, max_time FROM audit_bundles ORDER BY first DESC LIMIT 1").map {
            (UInt64(try $0.integer(0)), try $0.text(1))
        }
    }

    func storedHash(lastLeaf: UInt64, level: Int) throws -> MerkleHash? {
        guard
            let row = try session.row(
                "SELECT hash FROM audit_subtrees WHERE last_leaf = ? AND level = ?", [.integer(Int64(lastLeaf)), .integer(Int64(level))])
        else { return nil }
        return try row.bytes(0).withUnsafeBytes { MerkleHash(raw: $0) }
    }

    func leafHashes(from start: UInt64, to end: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) -> Bool) throws {
        let rows = try session.rows(
            """
            SELECT first, leaf_hashes FROM audit_bundles
            WHERE first >= COALESCE((SELECT first FROM audit_bundles WHERE first <= ?1 ORDER BY first DESC LIMIT 1), 0) AND first < ?2
            ORDER BY first
            """, [.integer(Int64(start)), .integer(Int64(end))])
        for row in rows {
            let first = UInt64(try row.integer(0))
            guard try row.bytes(1).withUnsafeBytes({ body(first, $0) }) else { return }
        }
    }

    func insertBundle(first: UInt64, count: Int, time: String, leafHashes: [UInt8], entries: [UInt8]) throws {
        try session.execute(
            "INSERT INTO audit_bundles(first, count, min_time, max_time, leaf_hashes, entries) VALUES (?, ?, ?, ?, ?, ?)",
            [
                .integer(Int64(first)), .integer(Int64(count)), .text(time), .text(time), .bytes(Data(leafHashes)),
                .text(String(decoding: entries, as: UTF8.self)),
            ])
    }

    func insertSubtree(lastLeaf: UInt64, level: Int, hash: MerkleHash) throws {
        try session.execute(
            "INSERT INTO audit_subtrees(last_leaf, level, hash) VALUES (?, ?, ?)",
            [.integer(Int64(lastLeaf)), .integer(Int64(level)), .bytes(hash.withUnsafeBytes { Data($0) })])
    }
}
