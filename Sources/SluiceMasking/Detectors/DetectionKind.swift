/// The kinds of personal data Sluice recognises in values and in free text.
public enum DetectionKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Resident identity number, GB 11643.
    case residentID = "cn_id"
    /// Unified social credit code, GB 32100.
    case creditCode = "cn_uscc"
    case bankCard = "bank_card"
    case mobile = "cn_mobile"
    case landline = "cn_landline"
    case email
    case passport
    /// Mainland travel permit for Hong Kong and Macau.
    case travelPermit = "hk_macau_permit"
    case vehiclePlate = "vehicle_plate"
    /// A Chinese personal name a cue vouches for (当事人张三, 李四先生), see ``PersonName``.
    case personName = "person_name"
    /// A street address (street, house number, room) after its administrative parts,
    /// see ``StreetAddress``.
    case address

    /// Hashes the case, not its raw value: the default for a `String`-backed enum hashes
    /// the string, and summaries count detections by kind for every text scanned.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(position)
    }

    /// The kind's index in `allCases`, for counting in an array.
    var position: Int {
        switch self {
        case .residentID: 0
        case .creditCode: 1
        case .bankCard: 2
        case .mobile: 3
        case .landline: 4
        case .email: 5
        case .passport: 6
        case .travelPermit: 7
        case .vehiclePlate: 8
        case .personName: 9
        case .address: 10
        }
    }
}
