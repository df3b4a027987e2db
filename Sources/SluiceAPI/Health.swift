extension APIDocument {
    /// `GET /healthz`: liveness for every registered agency; the audit trail's size (which
    /// counts every agency's traffic) only for admins and auditors.
    public struct Health: Codable, Sendable, Hashable {
        public var status: String
        public var audit: AuditSize?

        /// The trail's size and its latest checkpoint's (null before the first).
        public struct AuditSize: Sendable, Hashable {
            public var entries: Int
            public var latestCheckpointSize: Int?

            public init(entries: Int, latestCheckpointSize: Int?) {
                self.entries = entries
                self.latestCheckpointSize = latestCheckpointSize
            }
        }

        public init(status: String, audit: AuditSize?) {
            self.status = status
            self.audit = audit
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case status
            case auditEntries = "audit_entries"
            case latestCheckpointSize = "latest_checkpoint_size"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(String.self, forKey: .status)
            audit = try container.decodeIfPresent(Int.self, forKey: .auditEntries).map { entries in
                AuditSize(entries: entries, latestCheckpointSize: try container.decodeIfPresent(Int.self, forKey: .latestCheckpointSize))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            if let audit {
                try container.encode(audit.entries, forKey: .auditEntries)
                try container.encode(audit.latestCheckpointSize, forKey: .latestCheckpointSize)
            }
        }
    }
}
