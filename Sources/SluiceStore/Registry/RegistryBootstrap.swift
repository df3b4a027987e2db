import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto

/// Fills an empty registry from an `Agreements/` folder: every agency of `agencies.yaml`
/// with its certificate from `Certs/`, then every agreement file as its first version.
/// All in one transaction, each step audited like the admin command it stands for.
/// After that, changes go through `sluice agreement apply` and `sluice agency add`.
public struct RegistryBootstrap: Sendable {
    public let trail: AuditTrail
    public let actor: AuditActor
    public let policy: EnrolmentPolicy

    public init(trail: AuditTrail, actor: AuditActor, policy: EnrolmentPolicy) {
        self.trail = trail
        self.actor = actor
        self.policy = policy
    }

    /// What an import did.
    public struct Outcome: Sendable, Hashable {
        public var agencies: Int
        public var agreements: Int
        /// False when the registry already held agencies or agreements: nothing was read.
        public var imported: Bool
    }

    /// Imports `catalog` when the registry is empty. Throws, having stored nothing, when
    /// any agency or agreement cannot be registered.
    public func importIfEmpty(_ catalog: AgreementCatalog, certsDirectory: String) throws -> Outcome {
        let empty = try trail.store.read { store in try store.agencies.isEmpty() && store.agreements.isEmpty() }
        guard empty else { return Outcome(agencies: 0, agreements: 0, imported: false) }
        guard catalog.diagnostics.isEmpty, let registry = catalog.registry else {
            throw AdministrationError.invalidAgreement(catalog.diagnostics)
        }
        let enrolment = AgencyEnrolment(trail: trail, by: Attribution(actor: actor), policy: policy)
        let lifecycle = AgreementLifecycle(trail: trail, by: Attribution(actor: actor))
        return try trail.commit { transaction in
            for agency in registry.agencies {
                let path = certsDirectory + "/" + agency.certificate
                guard let certificate = try CertificateFile.read(path).first else {
                    throw AdministrationError.invalidInput("\(path) holds no certificate for agency \(agency.id)")
                }
                _ = try enrolment.add(id: agency.id, name: agency.name, roles: agency.roles, certificate: certificate, in: &transaction)
                if let gmPath = agency.gmCertificate.map({ certsDirectory + "/" + $0 }) {
                    let text = FileManager.default.contents(atPath: gmPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    guard let gm = try? SM2Certificate(pem: text) else {
                        throw AdministrationError.invalidInput("\(gmPath) holds no SM2 certificate for agency \(agency.id)")
                    }
                    _ = try enrolment.addGMCertificate(agencyID: agency.id, certificate: gm, in: &transaction)
                }
            }
            for located in catalog.agreements {
                guard let document = FileManager.default.contents(atPath: located.file).flatMap({ String(data: $0, encoding: .utf8) }) else {
                    throw AdministrationError.invalidInput("\(located.file) cannot be read")
                }
                _ = try lifecycle.apply(document: document, file: located.file, in: &transaction)
            }
            return Outcome(agencies: registry.agencies.count, agreements: catalog.agreements.count, imported: true)
        }.value
    }
}
