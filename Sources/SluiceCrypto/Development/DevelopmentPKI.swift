import Crypto
import Foundation
import SluiceCore
import X509

/// The development certificates and keys `sluice init` creates so one person can run a
/// gateway and its partners on one machine: a CA, the gateway's TLS and signing
/// identities, and a client certificate per registered agency.
///
/// Running it again is safe: existing keys are never replaced; a certificate is issued
/// only where it is missing, expired, or no longer matches its key or the CA.
public struct DevelopmentPKI: Sendable {
    public let dataDirectory: String
    public let certsDirectory: String
    /// Names the gateway's TLS certificate answers to.
    public var serverNames: [String] = ["localhost"]
    public var serverAddresses: [[UInt8]] = [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]

    public static let caValidityDays = 3650
    public static let leafValidityDays = 730

    public init(dataDirectory: String, certsDirectory: String) {
        self.dataDirectory = dataDirectory
        self.certsDirectory = certsDirectory
    }

    /// One thing `ensure` looked at, and what it did.
    public struct Step: Sendable, Hashable {
        public enum Action: String, Sendable, Hashable { case created, kept, reissued }
        public var action: Action
        public var kind: String
        public var path: String
        public var detail: String

        public init(action: Action, kind: String, path: String, detail: String) {
            self.action = action
            self.kind = kind
            self.path = path
            self.detail = detail
        }
    }

    // MARK: Layout

    public var keysDirectory: String { dataDirectory + "/keys" }
    public var caKeyPath: String { keysDirectory + "/dev-ca.key.pem" }
    public var caCertificatePath: String { certsDirectory + "/dev-ca.pem" }
    public var tlsKeyPath: String { keysDirectory + "/gateway-tls.key.pem" }
    public var tlsCertificatePath: String { certsDirectory + "/gateway-tls.pem" }
    public var signingKeyPath: String { keysDirectory + "/gateway-signing.key.pem" }
    public var signingCertificatePath: String { certsDirectory + "/gateway-signing.pem" }
    /// The development key backups are encrypted to. In production its private half is
    /// kept away from the gateway (a backup it can open protects nothing from its host).
    public var backupKeyPath: String { keysDirectory + "/backup.key.pem" }
    public var backupCertificatePath: String { certsDirectory + "/backup.pem" }
    /// A new signing key and its document-signing certificate from the development CA,
    /// for a key rotation on a development gateway (production rotations bring a
    /// certificate from the agency's own CA).
    public func issueSigningCertificate(for key: Certificate.PrivateKey, now: Date = Date()) throws -> Certificate {
        let caKey = try PrivateKeyFile(path: caKeyPath).read()
        guard let caCertificate = try CertificateFile.read(caCertificatePath).first, caCertificate.publicKey == caKey.publicKey else {
            throw CertificateFileError(path: caCertificatePath, reason: "it is not the certificate of the development CA key")
        }
        let issuer = CertificateIssuer(certificate: caCertificate, privateKey: caKey)
        return try issuer.issue(
            subject: try DistinguishedName {
                OrganizationName("Sluice gateway (development)")
                CommonName("Sluice gateway signing")
            }, publicKey: key.publicKey, profile: .documentSigning, validFor: Self.leafValidityDays, now: now)
    }

    public func agencyKeyPath(_ agency: Agency) -> String { keysDirectory + "/agencies/\(agency.id).key.pem" }
    public func agencyCertificatePath(_ agency: Agency) -> String { certsDirectory + "/" + agency.certificate }

    // MARK: Creating

    public func ensure(agencies: [Agency], now: Date = Date()) throws -> [Step] {
        var steps: [Step] = []
        try ensureDirectory(dataDirectory, mode: 0o700, steps: &steps, kind: "data directory")
        try ensureDirectory(certsDirectory, mode: 0o755, steps: &steps, kind: "certs directory")

        let caKey = try ensureKey(caKeyPath, steps: &steps)
        let caSubject = try DistinguishedName {
            OrganizationName("Sluice (development only)")
            CommonName("Sluice Development CA")
        }
        let ca: CertificateIssuer
        if let existing = try readCertificate(caCertificatePath), existing.publicKey == caKey.publicKey,
            existing.notValidAfter > now, existing.issuer == existing.subject,
            existing.publicKey.isValidSignature(existing.signature, for: existing)
        {
            ca = CertificateIssuer(certificate: existing, privateKey: caKey)
            steps.append(Step(action: .kept, kind: "CA certificate", path: caCertificatePath, detail: Self.summary(existing)))
        } else {
            let replacing = FileManager.default.fileExists(atPath: caCertificatePath)
            ca = try CertificateIssuer.selfSigned(subject: caSubject, key: caKey, validFor: Self.caValidityDays, now: now)
            try writeCertificate(ca.certificate, to: caCertificatePath)
            steps.append(
                Step(
                    action: replacing ? .reissued : .created, kind: "CA certificate", path: caCertificatePath,
                    detail: Self.summary(ca.certificate)))
        }

        let server = CertificateProfile.tlsServer(dnsNames: serverNames, ipAddresses: serverAddresses)
        let leaves: [(kind: String, key: String, cert: String, subject: DistinguishedName, profile: CertificateProfile)] =
            [
                (
                    "gateway TLS certificate", tlsKeyPath, tlsCertificatePath,
                    try DistinguishedName {
                        OrganizationName("Sluice gateway (development)")
                        CommonName("localhost")
                    }, server
                ),
                (
                    "gateway signing certificate", signingKeyPath, signingCertificatePath,
                    try DistinguishedName {
                        OrganizationName("Sluice gateway (development)")
                        CommonName("Sluice gateway signing")
                    }, .documentSigning
                ),
                (
                    "backup certificate", backupKeyPath, backupCertificatePath,
                    try DistinguishedName {
                        OrganizationName("Sluice gateway (development)")
                        CommonName("Sluice backups")
                    }, .backupEncryption
                ),
            ]
            + (try agencies.map { agency in
                (
                    "client certificate for \(agency.id)", agencyKeyPath(agency), agencyCertificatePath(agency),
                    try DistinguishedName {
                        OrganizationName(agency.name)
                        CommonName(agency.id)
                    }, CertificateProfile.tlsClient
                )
            })
        for leaf in leaves {
            let key = try ensureKey(leaf.key, steps: &steps)
            if let existing = try readCertificate(leaf.cert), existing.publicKey == key.publicKey,
                existing.notValidAfter > now, existing.subject == leaf.subject, ca.signed(existing),
                leaf.profile.isCarried(by: existing)
            {
                steps.append(Step(action: .kept, kind: leaf.kind, path: leaf.cert, detail: Self.summary(existing)))
                continue
            }
            let replacing = FileManager.default.fileExists(atPath: leaf.cert)
            let certificate = try ca.issue(
                subject: leaf.subject, publicKey: key.publicKey, profile: leaf.profile,
                validFor: Self.leafValidityDays, now: now)
            try writeCertificate(certificate, to: leaf.cert)
            steps.append(
                Step(
                    action: replacing ? .reissued : .created, kind: leaf.kind, path: leaf.cert,
                    detail: Self.summary(certificate)))
        }
        return steps
    }

    private func ensureDirectory(_ path: String, mode: Int, steps: inout [Step], kind: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DevelopmentPKIError.notADirectory(path) }
            return
        }
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        steps.append(Step(action: .created, kind: kind, path: path, detail: "mode " + String(mode, radix: 8)))
    }

    private func ensureKey(_ path: String, steps: inout [Step]) throws -> Certificate.PrivateKey {
        let file = PrivateKeyFile(path: path)
        if file.exists {
            let key = try file.read()
            steps.append(Step(action: .kept, kind: "private key", path: path, detail: "never overwritten"))
            return key
        }
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        try file.write(key)
        steps.append(Step(action: .created, kind: "private key", path: path, detail: "P-256, mode 600"))
        return key
    }

    private func readCertificate(_ path: String) throws -> Certificate? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { return nil }
        return try? Certificate(pemEncoded: text)
    }

    /// Public certificates are replaced atomically, so a reader never sees half a file.
    private func writeCertificate(_ certificate: Certificate, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pem = try certificate.serializeAsPEM().pemString + "\n"
        try Data(pem.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    static func summary(_ certificate: Certificate) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let fingerprint = (try? CertificateFingerprint(certificate).description.prefix(16)).map { " sha256:\($0)…" } ?? ""
        return "valid until \(formatter.string(from: certificate.notValidAfter))\(fingerprint)"
    }
}

/// Why the development PKI could not be laid out.
public enum DevelopmentPKIError: Error, Sendable, CustomStringConvertible {
    case notADirectory(String)

    public var description: String {
        switch self {
        case .notADirectory(let path): return "\(path) exists but is not a folder; move it away or choose another path"
        }
    }
}
