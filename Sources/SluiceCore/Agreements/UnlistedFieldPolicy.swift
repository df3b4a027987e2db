/// What the gateway does with a submitted field that the whitelist does not name.
public enum UnlistedFieldPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Refuse the whole package, naming the offending fields.
    case reject
    /// Remove the fields and count them in the receipt.
    case drop
}
