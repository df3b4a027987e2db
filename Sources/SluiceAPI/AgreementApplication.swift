extension APIDocument {
    /// What applying an agreement file did, or would do on a dry run.
    public struct AgreementApplication: Codable, Sendable, Hashable {
        public var agreementID: String
        public var version: Int
        public var previousVersion: Int?
        public var status: String
        public var unchanged: Bool
        public var stored: Bool
        public var diff: String
        public var fileStatusIgnored: String?

        public init(
            agreementID: String, version: Int, previousVersion: Int?, status: String, unchanged: Bool, stored: Bool, diff: String,
            fileStatusIgnored: String?
        ) {
            self.agreementID = agreementID
            self.version = version
            self.previousVersion = previousVersion
            self.status = status
            self.unchanged = unchanged
            self.stored = stored
            self.diff = diff
            self.fileStatusIgnored = fileStatusIgnored
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agreementID = "agreement_id"
            case version
            case previousVersion = "previous_version"
            case status
            case unchanged
            case stored
            case diff
            case fileStatusIgnored = "file_status_ignored"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(agreementID, forKey: .agreementID)
            try container.encode(version, forKey: .version)
            try container.encode(previousVersion, forKey: .previousVersion)
            try container.encode(status, forKey: .status)
            try container.encode(unchanged, forKey: .unchanged)
            try container.encode(stored, forKey: .stored)
            try container.encode(diff, forKey: .diff)
            try container.encode(fileStatusIgnored, forKey: .fileStatusIgnored)
        }
    }
}
