extension APIDocument {
    /// One page of a consumer's inbox.
    public struct InboxPage: Codable, Sendable, Hashable {
        public var packages: [InboxPackage]
        /// The cursor of the next page; null on the last.
        public var nextCursor: String?
        /// Packages waiting under agreements not in force today.
        public var withheld: Int

        public init(packages: [InboxPackage], nextCursor: String?, withheld: Int) {
            self.packages = packages
            self.nextCursor = nextCursor
            self.withheld = withheld
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case packages
            case nextCursor = "next_cursor"
            case withheld
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(packages, forKey: .packages)
            try container.encode(nextCursor, forKey: .nextCursor)
            try container.encode(withheld, forKey: .withheld)
        }
    }

    /// A package waiting in the inbox.
    public struct InboxPackage: Codable, Sendable, Hashable {
        public var packageID: String
        public var agreementID: String
        public var provider: String
        public var createdAt: String
        public var expiresAt: String
        public var records: Int
        public var envelopeBytes: Int
        /// The consumer's certificate the package was sealed to.
        public var recipientCertificateSHA256: String?
        /// The consumer's request this package answers, if any.
        public var answersRequest: String?

        public init(
            packageID: String, agreementID: String, provider: String, createdAt: String, expiresAt: String, records: Int,
            envelopeBytes: Int, recipientCertificateSHA256: String?, answersRequest: String? = nil
        ) {
            self.packageID = packageID
            self.agreementID = agreementID
            self.provider = provider
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.records = records
            self.envelopeBytes = envelopeBytes
            self.recipientCertificateSHA256 = recipientCertificateSHA256
            self.answersRequest = answersRequest
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case packageID = "package_id"
            case agreementID = "agreement_id"
            case provider
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case records
            case envelopeBytes = "envelope_bytes"
            case recipientCertificateSHA256 = "recipient_certificate_sha256"
            case answersRequest = "answers_request"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(packageID, forKey: .packageID)
            try container.encode(agreementID, forKey: .agreementID)
            try container.encode(provider, forKey: .provider)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(expiresAt, forKey: .expiresAt)
            try container.encode(records, forKey: .records)
            try container.encode(envelopeBytes, forKey: .envelopeBytes)
            try container.encode(recipientCertificateSHA256, forKey: .recipientCertificateSHA256)
            try container.encode(answersRequest, forKey: .answersRequest)
        }
    }
}
