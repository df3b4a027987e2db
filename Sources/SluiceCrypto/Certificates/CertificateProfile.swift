import X509

/// What a certificate is for, which decides its extensions (RFC 5280 §4.2).
public enum CertificateProfile: Sendable, Hashable {
    /// Signs other certificates only; path length 0, so it cannot mint further CAs.
    case certificateAuthority
    /// The gateway's TLS server identity, for these DNS names and IP addresses.
    case tlsServer(dnsNames: [String], ipAddresses: [[UInt8]])
    /// An agency's client certificate for mutual TLS (clientAuth extended key usage).
    case tlsClient
    /// Signs envelopes and receipts (digitalSignature and nonRepudiation, and the RFC 9336
    /// document-signing extended key usage that ``GatewaySigningProfile`` requires).
    case documentSigning
    /// A key backups are encrypted to (key agreement and key encipherment, no extended
    /// usage: it authenticates nobody and signs nothing).
    case backupEncryption

    /// Whether `certificate` was issued for this use, judged by its extended key usage:
    /// `sluice init` reissues a certificate made for another use or under an older profile.
    public func isCarried(by certificate: Certificate) -> Bool {
        let usages = (try? certificate.extensions.extendedKeyUsage) ?? nil
        switch self {
        case .certificateAuthority:
            if let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints { return true }
            return false
        case .tlsServer: return usages?.contains(.serverAuth) == true
        case .tlsClient: return usages?.contains(.clientAuth) == true && !GatewaySigningProfile.isClaimed(by: certificate)
        case .documentSigning: return GatewaySigningProfile.refusal(of: certificate) == nil
        case .backupEncryption: return usages == nil && (try? certificate.extensions.keyUsage)??.keyAgreement == true
        }
    }

    func extensions(subjectKey: Certificate.PublicKey, issuerKey: Certificate.PublicKey) throws -> Certificate.Extensions {
        let subjectKeyID = SubjectKeyIdentifier(hash: subjectKey)
        let authorityKeyID = AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuerKey).keyIdentifier)
        switch self {
        case .certificateAuthority:
            return try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                subjectKeyID
            }
        case .tlsServer(let dnsNames, let ipAddresses):
            let names =
                dnsNames.map { GeneralName.dnsName($0) }
                + ipAddresses.map { GeneralName.ipAddress(.init(contentBytes: $0[...])) }
            return try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                subjectKeyID
                authorityKeyID
            }
        case .tlsClient:
            return try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                subjectKeyID
                authorityKeyID
            }
        case .documentSigning:
            return try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                try ExtendedKeyUsage([GatewaySigningProfile.documentSigning])
                subjectKeyID
                authorityKeyID
            }
        case .backupEncryption:
            return try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(keyEncipherment: true, keyAgreement: true))
                subjectKeyID
                authorityKeyID
            }
        }
    }
}
