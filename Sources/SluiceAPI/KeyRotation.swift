extension APIDocument {
    /// A key rotation: the old and new key ids, the checkpoint holding the rotation, the old key's statement naming the new one, and for a rotation the agency's CA must certify, the pending request.
    public struct KeyRotation: Codable, Sendable, Hashable {
        public var what: String
        public var oldKeyID: String
        public var newKeyID: String
        public var checkpointSize: Int
        public var checkpoint: String
        public var statement: String?
        public var pending: Bool
        public var certificateRequest: String?

        public init(
            what: String, oldKeyID: String, newKeyID: String, checkpointSize: Int, checkpoint: String, statement: String?, pending: Bool,
            certificateRequest: String?
        ) {
            self.what = what
            self.oldKeyID = oldKeyID
            self.newKeyID = newKeyID
            self.checkpointSize = checkpointSize
            self.checkpoint = checkpoint
            self.statement = statement
            self.pending = pending
            self.certificateRequest = certificateRequest
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case what
            case oldKeyID = "old_key_id"
            case newKeyID = "new_key_id"
            case checkpointSize = "checkpoint_size"
            case checkpoint
            case statement
            case pending
            case certificateRequest = "certificate_request"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(what, forKey: .what)
            try container.encode(oldKeyID, forKey: .oldKeyID)
            try container.encode(newKeyID, forKey: .newKeyID)
            try container.encode(checkpointSize, forKey: .checkpointSize)
            try container.encode(checkpoint, forKey: .checkpoint)
            try container.encode(statement, forKey: .statement)
            try container.encode(pending, forKey: .pending)
            try container.encode(certificateRequest, forKey: .certificateRequest)
        }
    }
}
