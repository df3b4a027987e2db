import Foundation
import SluiceAudit

/// Audit entry rows copied out of SQLite, a batch at a time, with the stored subtree
/// hashes that end among them, so that checking the rows and folding them into the tree
/// run on another core while the next batch is read.
struct AuditEntryBatch: Sendable {
    /// Entry rows per batch: about a megabyte of entries.
    static let capacity = 2048
    /// Byte spans per row: entry, leaf hash, then the six query columns.
    static let spansPerRow = 8

    private(set) var sequences: [UInt64] = []
    /// The stored subtree hashes ending at a leaf before the end of this batch (and after
    /// the previous batch's), in the order the tree completes them.
    var subtrees: [StoredSubtree] = []
    private var bytes: [UInt8] = []
    /// Bytes of `bytes` in use: it is sized ahead of use, so columns are copied in with
    /// memcpy instead of appended through `Array`.
    private var used = 0
    /// Start and length of each span, -1 as the start of a NULL column.
    private var spans: [Int] = []

    var count: Int { sequences.count }
    var isEmpty: Bool { sequences.isEmpty }

    init() {
        sequences.reserveCapacity(Self.capacity)
        // Left uninitialised: every byte is written before it is read, and zero-filling a
        // megabyte per batch showed up in the profile.
        bytes = [UInt8](unsafeUninitializedCapacity: Self.capacity * 640) { _, count in count = Self.capacity * 640 }
        spans.reserveCapacity(Self.capacity * Self.spansPerRow * 2)
    }

    /// Reads up to ``capacity`` rows of `SELECT sequence, entry, leaf_hash, time, actor,
    /// action, agreement, package, outcome`.
    static func read(from cursor: inout RawRowCursor) throws -> AuditEntryBatch {
        var batch = AuditEntryBatch()
        while batch.count < capacity, try cursor.step() {
            batch.sequences.append(UInt64(bitPattern: cursor.int64(0)))
            withUnsafeTemporaryAllocation(of: UnsafeRawBufferPointer?.self, capacity: spansPerRow) { columns in
                var rowBytes = 0
                for column in 0..<spansPerRow {
                    let value = column < 2 ? cursor.bytes(Int32(column + 1)) : cursor.column(Int32(column + 1))
                    columns.initializeElement(at: column, to: value)
                    rowBytes += value?.count ?? 0
                }
                batch.append(UnsafeBufferPointer(columns), totalling: rowBytes)
            }
        }
        return batch
    }

    private mutating func append(_ columns: UnsafeBufferPointer<UnsafeRawBufferPointer?>, totalling rowBytes: Int) {
        if used + rowBytes > bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(rowBytes, bytes.count))) }
        let start = used
        var at = start
        for column in columns {
            spans.append(column == nil ? -1 : at)
            spans.append(column?.count ?? 0)
            at += column?.count ?? 0
        }
        bytes.withUnsafeMutableBytes { storage in
            var at = start
            for case let column? in columns {
                if let source = column.baseAddress { memcpy(storage.baseAddress! + at, source, column.count) }
                at += column.count
            }
        }
        used = at
    }

    /// What the row alone says about each entry, in order.
    func check() -> [AuditEntryCheck] {
        bytes.withUnsafeBytes { all in
            func span(_ row: Int, _ index: Int) -> UnsafeRawBufferPointer? {
                let at = (row * Self.spansPerRow + index) * 2
                guard spans[at] >= 0 else { return nil }
                return UnsafeRawBufferPointer(rebasing: all[spans[at]..<spans[at] + spans[at + 1]])
            }
            return (0..<count).map { row in
                let json = span(row, 0)!
                let leaf = MerkleHash.leaf(raw: json)
                let columnsMatch = AuditEntryIndex.matches(
                    json: json, time: span(row, 2), actor: span(row, 3), action: span(row, 4), agreement: span(row, 5),
                    package: span(row, 6), outcome: span(row, 7))
                return AuditEntryCheck(
                    declared: AuditEntry.declaredSequence(in: json), leaf: leaf, leafMatches: leaf.equals(raw: span(row, 1)!),
                    columnsMatch: columnsMatch, wellFormed: columnsMatch || AuditEntryIndex(json: json) != nil)
            }
        }
    }
}

/// The checks on one entry that need only its own row.
struct AuditEntryCheck: Sendable {
    var declared: UInt64?
    var leaf: MerkleHash
    var leafMatches: Bool
    var columnsMatch: Bool
    var wellFormed: Bool
}
