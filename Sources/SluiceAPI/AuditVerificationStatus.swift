extension APIDocument {
    /// The gateway's full verification of its audit trail (`/v1/audit/verification`): the
    /// one running or the last one finished since the gateway started, with its progress.
    /// The result is also recorded in the trail as an `audit.verified` entry.
    public struct AuditVerificationStatus: Codable, Sendable, Hashable {
        /// `idle` (none since the gateway started), `running`, `passed` or `failed`.
        public var state: String
        /// Entries checked so far, and the log's size when the run began.
        public var entriesChecked: UInt64
        public var entriesTotal: UInt64
        public var startedAt: String?
        public var finishedAt: String?
        public var checkpointsChecked: Int?
        /// How many findings, and the first one's kind and words (never an entry's content).
        public var findings: Int?
        public var firstFinding: String?

        public init(
            state: String, entriesChecked: UInt64, entriesTotal: UInt64, startedAt: String? = nil, finishedAt: String? = nil,
            checkpointsChecked: Int? = nil, findings: Int? = nil, firstFinding: String? = nil
        ) {
            self.state = state
            self.entriesChecked = entriesChecked
            self.entriesTotal = entriesTotal
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.checkpointsChecked = checkpointsChecked
            self.findings = findings
            self.firstFinding = firstFinding
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case state
            case entriesChecked = "entries_checked"
            case entriesTotal = "entries_total"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case checkpointsChecked = "checkpoints_checked"
            case findings
            case firstFinding = "first_finding"
        }
    }
}
