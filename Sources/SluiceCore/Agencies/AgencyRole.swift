/// What an agency's certificate may do at the gateway. Roles are kept apart: an admin
/// cannot alter the audit trail, an auditor cannot change an agreement.
public enum AgencyRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Provides or consumes packages under agreements it is a party to.
    case partner
    /// Manages agreements, agencies and keys.
    case admin
    /// Reads and verifies the audit trail.
    case auditor

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
