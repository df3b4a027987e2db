import SluiceCore

/// What masking needs of a field's rule, all plain values: rules are read for every
/// value, and a `MaskRule` (whose `partial` case holds a `Character`) is copied through
/// its value witness each time.
struct AppliedRule {
    var type: FieldType
    var operation: Operation
    var scan: Bool

    init(_ field: FieldRule) {
        type = field.type
        scan = field.scan
        switch field.mask {
        case .keep: operation = .keep
        case .redact: operation = .redact
        case .suppress: operation = .suppress
        case .hash: operation = .hash
        case .surname: operation = .surname
        case .partial(let first, let last, _): operation = .partial(keepFirst: first, keepLast: last)
        case .generalize(.year): operation = .year
        case .generalize(.month): operation = .month
        case .generalize(.birthYearSexRegion): operation = .birthYearSexRegion
        case .ageBand(let years): operation = .ageBand(years: years)
        case .truncate(let level): operation = .truncate(level)
        }
    }

    /// A `MaskRule` flattened; a partial mask's character is kept beside the rules.
    enum Operation: Equatable {
        case keep, redact, suppress, hash, surname
        case partial(keepFirst: Int, keepLast: Int)
        case year, month, birthYearSexRegion
        case ageBand(years: Int)
        case truncate(MaskRule.AddressLevel)
    }
}
