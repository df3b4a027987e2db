import SluiceAPI
import SluiceCore
import SluiceStore

/// The admin API's documents made from the registry's records: one place, used by the
/// gateway's answers and by the host admin's local commands, so both print the same.
extension APIDocument.RegistryAgreementList {
    public init(_ snapshot: RegistrySnapshot) {
        self.init(
            agreements: snapshot.agreements.values.sorted { $0.agreement.id < $1.agreement.id }.map { applied in
                let agreement = applied.agreement
                return APIDocument.RegistryAgreement(
                    id: agreement.id, version: applied.version, status: agreement.status.rawValue, title: agreement.title,
                    provider: agreement.provider, consumer: agreement.consumer, validFrom: agreement.validFrom.description,
                    validUntil: agreement.validUntil.description)
            })
    }
}

extension APIDocument.AgreementApplication {
    public init(_ application: SluiceStore.AgreementApplication) {
        self.init(
            agreementID: application.agreementID, version: application.version, previousVersion: application.previousVersion,
            status: application.status.rawValue, unchanged: application.unchanged, stored: application.stored, diff: application.diff,
            fileStatusIgnored: application.fileStatusIgnored?.rawValue)
    }
}

extension APIDocument.AgreementHistory {
    public init(_ id: String, versions: [SluiceStore.AgreementVersion], changes: [AgreementStateChange]) {
        self.init(
            agreementID: id,
            versions: versions.map { version in
                APIDocument.AgreementVersionSummary(
                    version: version.version, appliedAt: version.appliedAt, appliedBy: version.appliedBy,
                    appliedByCertificate: version.appliedByCertificate, documentSHA256: version.documentSHA256)
            },
            states: changes.map(APIDocument.StateChange.init))
    }
}

extension APIDocument.AgreementVersion {
    public init(_ version: SluiceStore.AgreementVersion) {
        self.init(
            agreementID: version.agreementID, version: version.version, appliedAt: version.appliedAt, appliedBy: version.appliedBy,
            appliedByCertificate: version.appliedByCertificate, documentSHA256: version.documentSHA256, document: version.document)
    }
}

extension APIDocument.StateChange {
    public init(_ change: AgreementStateChange) {
        self.init(
            agreementID: change.agreementID, status: change.status.rawValue, reason: change.reason ?? "", changedAt: change.changedAt,
            changedBy: change.changedBy, changedByCertificate: change.changedByCertificate)
    }
}

extension APIDocument.AgencyList {
    public init(_ agencies: [SluiceStore.RegisteredAgency]) {
        self.init(
            agencies: agencies.map { agency in
                APIDocument.RegisteredAgency(
                    id: agency.id, name: agency.name, roles: agency.roles.map(\.rawValue), addedAt: agency.addedAt, addedBy: agency.addedBy,
                    certificates: agency.certificates.map { certificate in
                        APIDocument.AgencyCertificate(
                            sha256: certificate.fingerprint, addedAt: certificate.addedAt, revokedAt: certificate.revokedAt,
                            profile: certificate.profile.rawValue)
                    })
            })
    }
}

extension APIDocument.AgencyAddition {
    public init(_ addition: SluiceStore.AgencyAddition) {
        self.init(
            agencyID: addition.agencyID, sha256: addition.fingerprint, agencyCreated: addition.agencyCreated,
            certificateAdded: addition.certificateAdded, pendingApproval: addition.pendingApproval)
    }
}

extension APIDocument.Revocation {
    /// The fingerprint as the registry writes it: lower-case hex without colons.
    public init(agencyID: String, fingerprint: String, newlyRevoked: Bool) {
        self.init(
            agencyID: agencyID, sha256: fingerprint.lowercased().replacingOccurrences(of: ":", with: ""), newlyRevoked: newlyRevoked)
    }
}

extension APIDocument.KeyRotation {
    public init(_ outcome: SluiceGateway.KeyRotation.Outcome) {
        self.init(
            what: outcome.what.rawValue, oldKeyID: outcome.oldKeyID, newKeyID: outcome.newKeyID, checkpointSize: Int(outcome.checkpoint.size),
            checkpoint: outcome.checkpoint.note, statement: outcome.statement, pending: outcome.certificateRequest != nil,
            certificateRequest: outcome.certificateRequest)
    }
}

extension APIDocument {
    /// A document's bytes as the gateway answers with them: its JSON and a newline.
    public static func answer(_ document: some Encodable) throws -> [UInt8] {
        Array(try encoded(document)) + [0x0A]
    }
}
