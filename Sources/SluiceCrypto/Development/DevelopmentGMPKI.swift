import Foundation
import SluiceCore

/// The GM profile's development certificates, made by `sluice init --gm` beside the
/// international ones: an SM2 CA, the gateway's SM2 signing certificate, and an SM2
/// certificate per partner agency that `gm` packages are sealed to. Like
/// ``DevelopmentPKI``, it never overwrites a key and issues a certificate only where one
/// is missing, expired, or no longer matches its key or the CA.
public struct DevelopmentGMPKI: Sendable {
    public let dataDirectory: String
    public let certsDirectory: String

    public init(dataDirectory: String, certsDirectory: String) {
        self.dataDirectory = dataDirectory
        self.certsDirectory = certsDirectory
    }

    public var keysDirectory: String { dataDirectory + "/keys" }
    public var caKeyPath: String { keysDirectory + "/dev-ca-sm2.key.pem" }
    public var caCertificatePath: String { certsDirectory + "/dev-ca-sm2.pem" }
    public var signingKeyPath: String { keysDirectory + "/gateway-signing-sm2.key.pem" }
    public var signingCertificatePath: String { certsDirectory + "/gateway-signing-sm2.pem" }
    public func agencyKeyPath(_ agency: Agency) -> String { keysDirectory + "/agencies/\(agency.id).sm2.key.pem" }
    public func agencyCertificatePath(_ agency: Agency) -> String {
        certsDirectory + "/" + (agency.gmCertificate ?? "agencies/\(agency.id).sm2.pem")
    }

    public func ensure(agencies: [Agency], now: Date = Date()) throws -> [DevelopmentPKI.Step] {
        var steps: [DevelopmentPKI.Step] = []
        let caKey = try ensureKey(caKeyPath, steps: &steps)
        let ca: SM2CertificateIssuer
        if let existing = readCertificate(caCertificatePath), existing.publicKey.publicPoint == caKey.publicPoint, existing.notValidAfter > now,
            existing.isSigned(by: caKey.publicKey)
        {
            ca = try SM2CertificateIssuer(certificate: existing, key: caKey)
            steps.append(.init(action: .kept, kind: "SM2 CA certificate", path: caCertificatePath, detail: Self.summary(existing)))
        } else {
            let replacing = FileManager.default.fileExists(atPath: caCertificatePath)
            let certificate = try SM2CertificateIssuer(certificate: nil, key: caKey).issue(
                for: caKey, commonName: "Sluice Development SM2 CA", organization: "Sluice (development only)", profile: .authority,
                days: DevelopmentPKI.caValidityDays, now: now)
            try write(certificate, to: caCertificatePath)
            ca = try SM2CertificateIssuer(certificate: certificate, key: caKey)
            steps.append(
                .init(
                    action: replacing ? .reissued : .created, kind: "SM2 CA certificate", path: caCertificatePath, detail: Self.summary(certificate)))
        }
        let leaves: [(kind: String, key: String, certificate: String, name: String, organization: String, profile: SM2CertificateIssuer.Profile)] =
            [
                (
                    "gateway SM2 signing certificate", signingKeyPath, signingCertificatePath, "Sluice gateway signing",
                    "Sluice gateway (development)", .gatewaySigning
                )
            ]
            + agencies.filter { $0.roles.contains(.partner) }.map { agency in
                ("SM2 certificate for \(agency.id)", agencyKeyPath(agency), agencyCertificatePath(agency), agency.id, agency.name, .encryption)
            }
        for leaf in leaves {
            let key = try ensureKey(leaf.key, steps: &steps)
            if let existing = readCertificate(leaf.certificate), existing.publicKey.publicPoint == key.publicPoint, existing.notValidAfter > now,
                existing.commonName == leaf.name, existing.isSigned(by: caKey.publicKey)
            {
                steps.append(.init(action: .kept, kind: leaf.kind, path: leaf.certificate, detail: Self.summary(existing)))
                continue
            }
            let replacing = FileManager.default.fileExists(atPath: leaf.certificate)
            let certificate = try ca.issue(
                for: key, commonName: leaf.name, organization: leaf.organization, profile: leaf.profile, days: DevelopmentPKI.leafValidityDays,
                now: now)
            try write(certificate, to: leaf.certificate)
            steps.append(
                .init(action: replacing ? .reissued : .created, kind: leaf.kind, path: leaf.certificate, detail: Self.summary(certificate)))
        }
        return steps
    }

    private func ensureKey(_ path: String, steps: inout [DevelopmentPKI.Step]) throws -> SM2Key {
        let file = OwnerOnlyFile(path: path)
        if file.exists {
            let key = try SM2Key(pem: String(decoding: try file.read(), as: UTF8.self))
            guard key.isPrivate else { throw KeyFileError.malformed(path: path, reason: "expected an SM2 private key") }
            steps.append(.init(action: .kept, kind: "SM2 private key", path: path, detail: "never overwritten"))
            return key
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = try SM2Key.generate()
        try file.create(Data(try key.pem(includingPrivate: true).utf8))
        steps.append(.init(action: .created, kind: "SM2 private key", path: path, detail: "SM2, mode 600"))
        return key
    }

    private func readCertificate(_ path: String) -> SM2Certificate? {
        FileManager.default.contents(atPath: path).flatMap { try? SM2Certificate(pem: String(decoding: $0, as: UTF8.self)) }
    }

    private func write(_ certificate: SM2Certificate, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(certificate.pem.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    static func summary(_ certificate: SM2Certificate) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return "SM2, valid until \(formatter.string(from: certificate.notValidAfter))"
    }
}
