import Foundation
import SluiceAudit

extension AuditFilter {
    /// A value bound to one of ``bundleSelection()``'s placeholders.
    enum BundleValue {
        case integer(Int64)
        case text(String)
    }

    /// The bundles that may hold matching entries: conditions on `audit_bundles` (with `?`
    /// placeholders for `values`), narrowed by sequence and by the bundles' time ranges
    /// (which `verify` checks against their entries), read by `first` ascending or, when
    /// `newestFirst`, descending. ``matches(_:)`` decides each entry.
    func bundleSelection() -> (conditions: [String], values: [BundleValue], newestFirst: Bool) {
        var conditions: [String] = []
        var values: [BundleValue] = []
        if let fromSequence, fromSequence > 0 {
            // The bundle holding `fromSequence` starts at or before it.
            conditions.append("first >= COALESCE((SELECT first FROM audit_bundles WHERE first <= ? ORDER BY first DESC LIMIT 1), 0)")
            values.append(.integer(Int64(clamping: fromSequence)))
        }
        if let beforeSequence {
            conditions.append("first < ?")
            values.append(.integer(Int64(clamping: beforeSequence)))
        }
        if let since {
            conditions.append("max_time >= ?")
            values.append(.text(AuditTime.format(since)))
        }
        if let until {
            conditions.append("min_time < ?")
            values.append(.text(AuditTime.format(until)))
        }
        return (conditions, values, newestFirst)
    }
}

/// A walk over the bundles ``AuditFilter/bundleSelection()`` selects, in its order: which
/// entries of each bundle match, up to the filter's limit. Every store's log reads its
/// bundles and hands each one here.
struct AuditFilterWalk {
    let filter: AuditFilter
    private let limit: Int
    private let matches: (StoredAuditEntry) -> Bool
    private let needles: [[UInt8]]
    private var count = 0

    init(_ filter: AuditFilter) {
        self.filter = filter
        limit = filter.limit.map { max(0, $0) } ?? Int.max
        matches = filter.matcher()
        needles = filter.needles()
    }

    /// Whether the walk has all it may return.
    var isDone: Bool { count >= limit }

    /// Calls `body` with the bundle's matching entries; false once the limit is reached.
    mutating func visit(
        first: UInt64, hashes: @autoclosure () -> Data, text: UnsafeRawBufferPointer, _ body: (StoredAuditEntry) throws -> Void
    ) rethrows -> Bool {
        guard !isDone else { return false }
        let through = filter.beforeSequence.map { $0 == 0 ? 0 : $0 - 1 } ?? .max
        var entries = AuditBundle.entries(
            in: text, first: first, hashes: hashes(), from: filter.fromSequence ?? 0, through: through, containing: needles)
        if filter.newestFirst { entries.reverse() }
        for entry in entries where matches(entry) {
            if let before = filter.beforeSequence, entry.sequence >= before { continue }
            try body(entry)
            count += 1
            if isDone { return false }
        }
        return true
    }
}
