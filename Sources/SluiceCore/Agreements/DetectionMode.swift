/// How eagerly free-text scanning reports personal data.
public enum DetectionMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only values that pass their check character, date and region checks.
    case strict
    /// Anything of the right shape, accepting over-masking of look-alike numbers.
    case cautious
}
