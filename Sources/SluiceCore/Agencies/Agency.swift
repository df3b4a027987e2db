/// An organisation (or an office inside one) known to the gateway, and the certificate
/// that identifies it.
public struct Agency: Sendable, Hashable, Codable {
    /// ASCII, safe as a file name; used in agreements as `provider` and `consumer`.
    public var id: String
    public var name: String
    public var roles: [AgencyRole]
    /// Path of the agency's certificate, relative to the `Certs/` folder.
    public var certificate: String

    public init(id: String, name: String, roles: [AgencyRole], certificate: String) {
        self.id = id
        self.name = name
        self.roles = roles
        self.certificate = certificate
    }
}
