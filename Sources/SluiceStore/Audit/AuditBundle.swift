import CSQLiteGuard
import Foundation
import SluiceAudit

/// A bundle of the audit log: consecutive entries appended in one call, stored as one
/// row — their canonical JSON one per line (canonical JSON never holds a raw newline),
/// their leaf hashes 32 bytes each in the same order, and the range of their times for
/// queries.
///
/// What a bundle says about itself (its count, its time range) is bookkeeping: `verify`
/// reads the entries by their lines and checks the bookkeeping against them.
enum AuditBundle {
    /// The columns every reader selects, in this order: leaf hashes before the entries,
    /// so a proof's leaf read stops before the entries' overflow pages.
    static let columns = "first, count, min_time, max_time, leaf_hashes, entries"

    /// Entries per bundle at most: a reader of one entry reads its whole bundle, and
    /// `verify` holds a bundle whole, so a long batch is stored as several.
    static let largest = 1024

    /// The stored entries of one bundle starting at `first`, from `start` through `end`,
    /// and only those whose text holds every one of `needles`.
    static func entries(
        in entries: UnsafeRawBufferPointer, first: UInt64, hashes readHashes: @autoclosure () -> Data, from start: UInt64, through end: UInt64,
        containing needles: [[UInt8]]
    ) -> [StoredAuditEntry] {
        // A bundle without every needle is passed over before it is split.
        guard contains(entries, all: needles) else { return [] }
        let hashes = readHashes()
        let lines = AuditEntryBatch.lines(in: entries)
        // The lines of the entries from `start` through `end`.
        let lower = start > first ? Int(clamping: start - first) : 0
        let upper = end >= first ? Int(clamping: min(end - first, UInt64(Int.max - 1))) + 1 : 0
        return lines.indices.clamped(to: min(lower, upper)..<upper).compactMap { offset in
            let json = UnsafeRawBufferPointer(rebasing: entries[lines[offset]])
            guard needles.isEmpty || contains(json, all: needles) else { return nil }
            let leaf = hashes.count >= (offset + 1) * 32 ? hashes.subdata(in: offset * 32..<(offset + 1) * 32) : Data()
            return StoredAuditEntry(sequence: first + UInt64(offset), json: String(decoding: json, as: UTF8.self), leafHash: leaf)
        }
    }

    private static func contains(_ text: UnsafeRawBufferPointer, all needles: [[UInt8]]) -> Bool {
        needles.allSatisfy { needle in
            needle.withUnsafeBytes { needle in
                text.baseAddress != nil && sluice_contains(text.baseAddress, text.count, needle.baseAddress, needle.count) != 0
            }
        }
    }
}
