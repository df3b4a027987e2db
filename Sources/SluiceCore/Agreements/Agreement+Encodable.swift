/// JSON mirrors the YAML an admin writes, key for key, so scripts read what people read.
extension Agreement {
    enum CodingKeys: String, CodingKey {
        case id, title, provider, consumer, purpose, status, limits, fields, detection, requests, push
        case legalBasis = "legal_basis"
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case onUnlistedField = "on_unlisted_field"
        case cryptoProfile = "crypto_profile"
        case retentionDays = "retention_days"
    }
}

extension FieldRule {
    enum CodingKeys: String, CodingKey {
        case name, type, required, mask, scan
    }
}

extension MaskRule: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .keep, .redact, .hash, .surname, .suppress:
            var container = encoder.singleValueContainer()
            try container.encode(keyword)
            return
        default:
            break
        }
        var container = encoder.container(keyedBy: Key.self)
        let key = Key(stringValue: keyword)
        switch self {
        case .partial(let keepFirst, let keepLast, let maskCharacter):
            var parameters = container.nestedContainer(keyedBy: Key.self, forKey: key)
            try parameters.encode(keepFirst, forKey: Key(stringValue: "keep_first"))
            try parameters.encode(keepLast, forKey: Key(stringValue: "keep_last"))
            try parameters.encode(String(maskCharacter), forKey: Key(stringValue: "mask_char"))
        case .generalize(let level): try container.encode(level.rawValue, forKey: key)
        case .ageBand(let years): try container.encode(years, forKey: key)
        case .truncate(let level): try container.encode(level.rawValue, forKey: key)
        case .keep, .redact, .hash, .surname, .suppress: break
        }
    }

    /// The rule as an agreement would spell it, for tables: `partial(3,4)`, `generalize: year`.
    public var summary: String {
        switch self {
        case .partial(let first, let last, let character):
            return "partial(first \(first), last \(last)" + (character == "*" ? ")" : ", \"\(character)\")")
        case .generalize(let level): return "generalize: \(level.rawValue)"
        case .ageBand(let years): return "age_band: \(years)"
        case .truncate(let level): return "truncate: \(level.rawValue)"
        default: return keyword
        }
    }
}
