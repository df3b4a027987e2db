import Foundation
import SluiceCore
import SluiceCrypto
import X509

/// Which agency a client certificate belongs to: the registry's agencies by the SHA-256
/// fingerprint of their registered certificate. A certificate not registered here is
/// refused even if it chains to a trusted CA.
public struct PartnerDirectory: Sendable {
    /// Hex fingerprint → agency.
    let agencies: [String: Agency]
    /// Agency id → its certificate, to seal packages for it.
    let certificates: [String: Certificate]

    /// Revocations are not kept here but in the database, asked on every request.
    public init(registry: AgencyRegistry, certsDirectory: String) throws {
        var agencies: [String: Agency] = [:]
        var certificates: [String: Certificate] = [:]
        for agency in registry.agencies {
            let path = certsDirectory + "/" + agency.certificate
            guard let certificate = try CertificateFile.read(path).first else {
                throw GatewayStartupError("\(path) holds no certificate for agency \(agency.id)")
            }
            agencies[try CertificateFingerprint(certificate).description] = agency
            certificates[agency.id] = certificate
        }
        self.agencies = agencies
        self.certificates = certificates
    }

    /// The agency whose registered certificate has this SHA-256 fingerprint (hex).
    public func agency(fingerprint: String) -> Agency? { agencies[fingerprint] }

    public func certificate(of agencyID: String) -> Certificate? { certificates[agencyID] }
}

/// Why the gateway cannot start, in one line saying what to fix.
public struct GatewayStartupError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
