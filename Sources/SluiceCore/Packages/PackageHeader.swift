/// Everything a sealed package says about itself besides its records: which package,
/// under which agreement (and version), from whom to whom, when, and which fields.
public struct PackageHeader: Sendable, Hashable {
    public var packageID: String
    public var agreementID: String
    /// The gateway's version number of the agreement; nil when sealed straight from an agreement file
    /// (offline, or before the gateway kept versions).
    public var agreementVersion: Int?
    public var provider: String
    public var consumer: String
    /// RFC 3339 UTC time of sealing.
    public var createdAt: String
    /// The fields a record may carry, in the agreement's order.
    public var fields: [String]

    public init(
        packageID: String, agreementID: String, agreementVersion: Int?, provider: String, consumer: String, createdAt: String,
        fields: [String]
    ) {
        self.packageID = packageID
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.provider = provider
        self.consumer = consumer
        self.createdAt = createdAt
        self.fields = fields
    }
}
