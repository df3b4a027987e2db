import Foundation
import SluiceAudit

/// Audit entry rows copied out of SQLite, a batch at a time, so that the checks that
/// need nothing but the row (its declared place, its leaf hash, its query columns) run
/// on another core while the next batch is read.
struct AuditEntryBatch: Sendable {
    /// Entry rows per batch: about a megabyte of entries.
    static let capacity = 2048
    /// Byte spans per row: entry, leaf hash, then the six query columns.
    static let spansPerRow = 8

    private(set) var sequences: [UInt64] = []
    private var bytes: [UInt8] = []
    /// Start and length of each span, -1 as the start of a NULL column.
    private var spans: [Int] = []

    var count: Int { sequences.count }
    var isEmpty: Bool { sequences.isEmpty }

    init() {
        sequences.reserveCapacity(Self.capacity)
        bytes.reserveCapacity(Self.capacity * 640)
        spans.reserveCapacity(Self.capacity * Self.spansPerRow * 2)
    }

    /// Reads up to ``capacity`` rows of `SELECT sequence, entry, leaf_hash, time, actor,
    /// action, agreement, package, outcome`.
    static func read(from cursor: inout RawRowCursor) throws -> AuditEntryBatch {
        var batch = AuditEntryBatch()
        while batch.count < capacity, try cursor.step() {
            batch.sequences.append(UInt64(bitPattern: cursor.int64(0)))
            for column in Int32(1)...8 { batch.append(column <= 2 ? cursor.bytes(column) : cursor.column(column)) }
        }
        return batch
    }

    private mutating func append(_ span: UnsafeRawBufferPointer?) {
        guard let span else {
            spans.append(-1)
            spans.append(0)
            return
        }
        spans.append(bytes.count)
        spans.append(span.count)
        bytes.append(contentsOf: span)
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
