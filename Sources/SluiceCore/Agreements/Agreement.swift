/// A written data-sharing agreement between a provider agency and a consumer agency:
/// who shares what, why, on what legal basis, until when, and how it is masked.
///
/// Values of this type are always valid; they come from ``AgreementDecoder``, which
/// reports every problem of a file at once.
public struct Agreement: Sendable, Hashable, Encodable {
    /// ASCII, safe as a file name and a URL segment.
    public var id: String
    public var title: String
    public var provider: String
    public var consumer: String
    public var purpose: String
    public var legalBasis: String
    /// First and last day on which packages may be submitted, both inclusive.
    public var validFrom: CalendarDate
    public var validUntil: CalendarDate
    public var status: AgreementStatus
    public var onUnlistedField: UnlistedFieldPolicy
    public var cryptoProfile: CryptoProfile
    /// Strict or cautious detection of personal data in scanned text and typed fields.
    public var detection: DetectionMode
    public var limits: AgreementLimits
    /// Days a sealed package is kept for the consumer before it is purged.
    public var retentionDays: Int
    /// The whitelist, in the order the agreement lists it.
    public var fields: [FieldRule]
    /// What the consumer may ask for (`requests:`); nil when it may not ask.
    public var requests: RequestTerms?
    /// Whether the provider may send packages nobody asked for (`push:`, true by default).
    public var push: Bool

    public init(
        id: String, title: String, provider: String, consumer: String, purpose: String, legalBasis: String,
        validFrom: CalendarDate, validUntil: CalendarDate, status: AgreementStatus,
        onUnlistedField: UnlistedFieldPolicy, cryptoProfile: CryptoProfile = .jose, detection: DetectionMode = .strict,
        limits: AgreementLimits, retentionDays: Int, fields: [FieldRule], requests: RequestTerms? = nil, push: Bool = true
    ) {
        self.id = id
        self.title = title
        self.provider = provider
        self.consumer = consumer
        self.purpose = purpose
        self.legalBasis = legalBasis
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.status = status
        self.onUnlistedField = onUnlistedField
        self.cryptoProfile = cryptoProfile
        self.detection = detection
        self.limits = limits
        self.retentionDays = retentionDays
        self.fields = fields
        self.requests = requests
        self.push = push
    }

    /// The whitelist rule for a field, if the agreement lists it.
    public func rule(for path: FieldPath) -> FieldRule? {
        fields.first { $0.name == path }
    }

    /// The fields a package under this agreement can carry, in the agreement's order: what
    /// its payload's header lists. A suppressed field never reaches the consumer.
    public var deliveredFieldNames: [String] {
        fields.filter { $0.mask != .suppress }.map(\.name.description)
    }

    /// Whether `agency` is the provider or the consumer.
    public func isParty(_ agency: String) -> Bool { provider == agency || consumer == agency }
}
