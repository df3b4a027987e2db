/// An organisation (or an office inside one) known to the gateway, and the certificate
/// that identifies it.
public struct Agency: Sendable, Hashable, Codable {
    /// ASCII, safe as a file name; used in agreements as `provider` and `consumer`.
    public var id: String
    public var name: String
    public var roles: [AgencyRole]
    /// Path of the agency's certificate, relative to the `Certs/` folder.
    public var certificate: String
    /// Path of the agency's SM2 certificate (what `gm` packages are sealed to), if any.
    public var gmCertificate: String?

    public init(id: String, name: String, roles: [AgencyRole], certificate: String, gmCertificate: String? = nil) {
        self.id = id
        self.name = name
        self.roles = roles
        self.certificate = certificate
        self.gmCertificate = gmCertificate
    }

    /// Whether `text` can be an agency or agreement id: 1–64 ASCII letters, digits, `-`,
    /// `_` or `.`, starting with a letter or digit (safe as a file name and URL segment).
    public static func isValidID(_ text: String) -> Bool {
        YAMLReader.isSafeIdentifier(text)
    }
}
