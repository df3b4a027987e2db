/// How one field's value is transformed before the consumer sees it.
///
/// In YAML a rule without parameters is a word (`keep`, `redact`, `hash`, `surname`,
/// `suppress`); one with parameters is a one-key mapping
/// (`{ partial: { keep_first: 3, keep_last: 4 } }`, `{ generalize: year }`,
/// `{ age_band: 10 }`, `{ truncate: district }`).
public enum MaskRule: Sendable, Hashable {
    /// Pass the value unchanged.
    case keep
    /// Replace the value with a fixed token.
    case redact
    /// Keep the first and last characters and mask the rest, keeping the length.
    case partial(keepFirst: Int, keepLast: Int, maskCharacter: Character)
    /// A keyed pseudonym: the same value gives the same token within one agreement only.
    case hash
    /// A personal name reduced to its surname (compound surnames kept whole).
    case surname
    /// Coarsen a value: a date to its year or month, an ID number to birth year, sex and region.
    case generalize(Generalization)
    /// An age, or the age implied by a birth date or ID number, as a band of this many years.
    case ageBand(years: Int)
    /// An address cut after the named administrative level.
    case truncate(AddressLevel)
    /// Remove the field from the output entirely.
    case suppress

    public enum Generalization: String, Sendable, Hashable, CaseIterable {
        case year
        case month
        case birthYearSexRegion = "birth_year_sex_region"
    }

    public enum AddressLevel: String, Sendable, Hashable, CaseIterable {
        case province
        case city
        case district
    }

    /// The word that names this rule in YAML.
    public var keyword: String {
        switch self {
        case .keep: return "keep"
        case .redact: return "redact"
        case .partial: return "partial"
        case .hash: return "hash"
        case .surname: return "surname"
        case .generalize: return "generalize"
        case .ageBand: return "age_band"
        case .truncate: return "truncate"
        case .suppress: return "suppress"
        }
    }

    /// Every rule word an agreement may use, for messages and suggestions.
    public static let keywords = [
        "keep", "redact", "partial", "hash", "surname", "generalize", "age_band", "truncate", "suppress",
    ]
    static let wordRules: [String: MaskRule] = [
        "keep": .keep, "redact": .redact, "hash": .hash, "surname": .surname, "suppress": .suppress,
    ]
}
