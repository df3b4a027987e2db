/// What kind of value a whitelisted field holds; decides how it is validated and which
/// masks make sense for it.
public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A short single-line value: a name, a case number, an address.
    case string
    /// Free text such as case notes, where personal data may hide (see `scan`).
    case text
    case integer
    case decimal
    case boolean
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An instant, ISO 8601 with a zone offset.
    case datetime
    /// Resident identity number, GB 11643 (18 characters, or the legacy 15 digits).
    case cnID = "cn_id"
    /// Unified social credit code of an organisation, GB 32100.
    case cnUSCC = "cn_uscc"
    /// Mainland mobile number.
    case cnMobile = "cn_mobile"
    /// Mainland landline number with its area code.
    case cnLandline = "cn_landline"
    /// Bank card number (13–19 digits, Luhn check).
    case bankCard = "bank_card"
    case email
    case passport
    /// Mainland travel permit for Hong Kong and Macau (往来港澳通行证).
    case hkMacauPermit = "hk_macau_permit"
    /// Vehicle licence plate.
    case vehiclePlate = "vehicle_plate"

    /// Types whose values are text, so character-level masks apply.
    public var isTextual: Bool {
        switch self {
        case .integer, .decimal, .boolean, .date, .datetime: return false
        default: return true
        }
    }

    /// The fewest characters a valid value of this type has, where the type fixes it.
    /// A partial mask that keeps this many characters would hide nothing.
    public var shortestValidLength: Int? {
        switch self {
        case .cnID: return 15
        case .cnUSCC: return 18
        case .cnMobile: return 11
        case .bankCard: return 13
        default: return nil
        }
    }
}
