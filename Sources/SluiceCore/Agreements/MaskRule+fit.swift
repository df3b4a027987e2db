extension MaskRule {
    /// Why this rule cannot apply to a field of `type`, or nil when it fits.
    ///
    /// The sentence completes "mask … cannot be used on a field of type …: ".
    public func misfit(for type: FieldType) -> String? {
        switch self {
        case .keep, .redact, .suppress:
            return nil
        case .hash:
            return type == .boolean
                ? "a yes/no value has only two pseudonyms, which hide nothing; use keep, redact or suppress"
                : nil
        case .partial(let keepFirst, let keepLast, _):
            guard type.isTextual else {
                return "partial masks characters of text; for \(type.rawValue) values use redact, hash or suppress"
            }
            if let shortest = type.shortestValidLength, keepFirst + keepLast >= shortest {
                return "it keeps \(keepFirst + keepLast) characters, but a \(type.rawValue) value can be as short as "
                    + "\(shortest), so nothing would be masked; keep fewer characters"
            }
            return nil
        case .surname:
            return type == .string ? nil : "surname applies to string fields holding personal names"
        case .generalize(let level):
            switch (level, type) {
            case (.year, .date), (.year, .datetime), (.month, .date), (.month, .datetime),
                (.birthYearSexRegion, .cnID):
                return nil
            case (.birthYearSexRegion, _):
                return "birth_year_sex_region applies to cn_id fields"
            default:
                return "generalize to \(level.rawValue) applies to date and datetime fields"
            }
        case .ageBand:
            return [.integer, .date, .cnID].contains(type)
                ? nil : "age_band applies to an age (integer), a birth date (date) or an ID number (cn_id)"
        case .truncate:
            return [.string, .text].contains(type) ? nil : "truncate applies to address fields of type string or text"
        }
    }
}
