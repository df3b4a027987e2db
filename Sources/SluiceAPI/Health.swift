extension APIDocument {
    /// `GET /healthz`: liveness for every registered agency; the audit trail's size (which
    /// counts every agency's traffic) only for admins and auditors.
    public struct Health: Codable, Sendable, Hashable {
        /// `ok`, or `unavailable` while the storage cannot take writes (answered with 503).
        public var status: String
        public var audit: AuditSize?
        /// Nil when the storage takes writes.
        public var storage: StorageOutage?

        /// Why the storage cannot take writes (`full`, `read-only`, `missing`, `failing`),
        /// since when (RFC 3339), and what to do.
        public struct StorageOutage: Sendable, Hashable {
            public var condition: String
            public var since: String
            public var detail: String

            public init(condition: String, since: String, detail: String) {
                self.condition = condition
                self.since = since
                self.detail = detail
            }
        }

        /// The trail's size and its latest checkpoint's (null before the first).
        public struct AuditSize: Sendable, Hashable {
            public var entries: Int
            public var latestCheckpointSize: Int?

            public init(entries: Int, latestCheckpointSize: Int?) {
                self.entries = entries
                self.latestCheckpointSize = latestCheckpointSize
            }
        }

        public init(status: String, audit: AuditSize?, storage: StorageOutage? = nil) {
            self.status = status
            self.audit = audit
            self.storage = storage
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case status
            case auditEntries = "audit_entries"
            case latestCheckpointSize = "latest_checkpoint_size"
            case storage
            case storageSince = "storage_since"
            case detail
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(String.self, forKey: .status)
            audit = try container.decodeIfPresent(Int.self, forKey: .auditEntries).map { entries in
                AuditSize(entries: entries, latestCheckpointSize: try container.decodeIfPresent(Int.self, forKey: .latestCheckpointSize))
            }
            let condition = try container.decode(String.self, forKey: .storage)
            storage =
                condition == "ok"
                ? nil
                : StorageOutage(
                    condition: condition, since: try container.decode(String.self, forKey: .storageSince),
                    detail: try container.decode(String.self, forKey: .detail))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            if let audit {
                try container.encode(audit.entries, forKey: .auditEntries)
                try container.encode(audit.latestCheckpointSize, forKey: .latestCheckpointSize)
            }
            try container.encode(storage?.condition ?? "ok", forKey: .storage)
            if let storage {
                try container.encode(storage.since, forKey: .storageSince)
                try container.encode(storage.detail, forKey: .detail)
            }
        }
    }
}
