/// Hard ceilings for what a provider may submit under one agreement.
public struct AgreementLimits: Sendable, Hashable, Codable {
    public var maxRecords: Int
    public var maxPackageBytes: Int
    public var ratePerMinute: Int

    public init(maxRecords: Int, maxPackageBytes: Int, ratePerMinute: Int) {
        self.maxRecords = maxRecords
        self.maxPackageBytes = maxPackageBytes
        self.ratePerMinute = ratePerMinute
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxRecords = "max_records"
        case maxPackageBytes = "max_package_bytes"
        case ratePerMinute = "rate_per_minute"
    }
}
