import SluiceAudit

extension AuditEntryBatch {
    /// Reads whole bundles, selected as ``AuditBundle/columns``, until the batch holds at
    /// least ``capacity`` entries or the query ends.
    static func read(from cursor: inout RawRowCursor) throws -> AuditEntryBatch {
        var batch = AuditEntryBatch()
        while batch.count < Self.capacity {
            guard try cursor.step() else {
                batch.sawEnd = true
                break
            }
            batch.appendBundle(
                first: UInt64(bitPattern: cursor.int64(0)), count: cursor.int64(1), minTime: cursor.bytes(2),
                maxTime: cursor.bytes(3), leafHashes: cursor.bytes(4), entries: cursor.bytes(5))
        }
        return batch
    }

}
