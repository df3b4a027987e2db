import Foundation
import SluiceCore
import SluiceCrypto
import X509

/// The registry as the gateway uses it between changes: agencies by certificate, and
/// every agreement's current version with its status. Read in one transaction, so it
/// never mixes two states; reloaded when ``RegistryGeneration`` says anything changed.
public struct RegistrySnapshot: Sendable {
    public let generation: RegistryGeneration
    public let agencies: [String: RegisteredAgency]
    /// Fingerprint → agency, revoked certificates included (the revocation is checked on
    /// every request, not cached).
    let owners: [String: Agency]
    /// Each agency's key to seal for: its newest certificate's not revoked, prepared once
    /// per snapshot rather than per package.
    let sealingRecipients: [String: SealingRecipient]
    /// The same for `gm` agreements: each agency's newest SM2 certificate not revoked.
    let gmSealingRecipients: [String: GMSealingRecipient]
    public let agreements: [String: AppliedAgreement]
    /// Stored versions that no longer decode (they are left out), one line each.
    public let problems: [String]

    static func load(from reader: some StoreReader) throws -> RegistrySnapshot {
        let generation = try reader.registryGeneration()
        let registered = try reader.agencies.all()
        var owners: [String: Agency] = [:]
        var sealing: [String: SealingRecipient] = [:]
        var gmSealing: [String: GMSealingRecipient] = [:]
        var problems: [String] = []
        for agency in registered {
            let caller = agency.agency
            for certificate in agency.certificates { owners[certificate.fingerprint] = caller }
            if let current = agency.currentCertificate {
                do {
                    let certificate = try Certificate(derEncoded: Array(current.der))
                    sealing[agency.id] = SealingRecipient(
                        recipient: try JWERecipient(certificate), certificateSHA256: current.fingerprint,
                        validUntil: certificate.notValidAfter)
                } catch let error as JOSEError {
                    problems.append("the certificate \(current.fingerprint) of \(agency.id) cannot be sealed to: \(error)")
                } catch {
                    problems.append("the certificate \(current.fingerprint) of \(agency.id) does not parse")
                }
            }
            if let current = agency.currentGMCertificate, let certificate = try? SM2Certificate(derEncoded: Array(current.der)) {
                gmSealing[agency.id] = GMSealingRecipient(certificate: certificate, certificateSHA256: current.fingerprint)
            }
        }
        let decoder = AgreementDecoder(registry: AgencyRegistry(file: "the gateway's agency registry", agencies: registered.map(\.agency)))
        let store = reader.agreements
        let statuses = try store.statuses()
        var agreements: [String: AppliedAgreement] = [:]
        for version in try store.latestVersions() {
            do {
                var agreement = try decoder.decode(version.document, file: "\(version.agreementID) version \(version.version)")
                agreement.status = statuses[version.agreementID] ?? agreement.status
                agreements[agreement.id] = AppliedAgreement(agreement: agreement, version: version.version)
            } catch {
                problems.append("\(version.agreementID) version \(version.version) no longer validates: \(error.diagnostics.first?.message ?? "")")
            }
        }
        return RegistrySnapshot(
            generation: generation, agencies: Dictionary(uniqueKeysWithValues: registered.map { ($0.id, $0) }), owners: owners,
            sealingRecipients: sealing, gmSealingRecipients: gmSealing, agreements: agreements, problems: problems)
    }

    /// The agency whose certificate has this fingerprint, if one was ever registered.
    public func agency(fingerprint: String) -> Agency? {
        owners[fingerprint]
    }

    /// The key packages for this agency are sealed to at `time`: its newest certificate not
    /// revoked, unless that has expired (then none: nothing is sealed to an expired key).
    public func sealingRecipient(of agencyID: String, at time: Date = Date()) -> SealingRecipient? {
        sealingRecipients[agencyID].flatMap { $0.validUntil > time ? $0 : nil }
    }
}

/// The SM2 certificate an agency's `gm` packages are sealed to.
public struct GMSealingRecipient: Sendable {
    public var certificate: SM2Certificate
    public var certificateSHA256: String
}

extension RegistrySnapshot {
    /// The SM2 certificate `gm` packages for this agency are sealed to at `time`: its newest
    /// not revoked, unless it has expired or is not yet valid.
    public func gmSealingRecipient(of agencyID: String, at time: Date = Date()) -> GMSealingRecipient? {
        gmSealingRecipients[agencyID].flatMap {
            $0.certificate.notValidBefore <= time && time <= $0.certificate.notValidAfter ? $0 : nil
        }
    }
}

/// The certificate an agency's packages are sealed to, prepared for encryption.
public struct SealingRecipient: Sendable {
    public var recipient: JWERecipient
    /// Shown in the consumer's inbox beside each package, so a change of key is seen.
    public var certificateSHA256: String
    public var validUntil: Date
}

/// An agreement's current terms and status, and the version they come from.
public struct AppliedAgreement: Sendable, Hashable {
    public var agreement: Agreement
    public var version: Int

    public init(agreement: Agreement, version: Int) {
        self.agreement = agreement
        self.version = version
    }
}

/// A cheap fingerprint of the registry's state: the newest row of every registry table.
/// Those tables only grow, so any change moves it; reading it takes a few index seeks.
public struct RegistryGeneration: Sendable, Hashable {
    let newest: [Int64?]

    /// A store's newest row, or other monotonic position, in each registry table, in a
    /// fixed order of its own: compared only with another read from the same store.
    public init(newest: [Int64?]) {
        self.newest = newest
    }
}
