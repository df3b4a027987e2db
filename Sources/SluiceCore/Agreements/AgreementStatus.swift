/// Where an agreement stands in its life. Only `active` agreements carry packages;
/// `revoked` is final.
public enum AgreementStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case active
    case suspended
    case revoked
}
