import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SwiftASN1
import X509

/// Registering agencies and their certificates, and revoking certificates, each change
/// committed with its audit entry and each refusal audited. Registrations are never
/// edited: a new certificate is added beside the old one, which is then revoked.
public struct AgencyEnrolment: Sendable {
    public let trail: AuditTrail
    public let attribution: Attribution
    public let policy: EnrolmentPolicy

    public init(trail: AuditTrail, by attribution: Attribution, policy: EnrolmentPolicy) {
        self.trail = trail
        self.attribution = attribution
        self.policy = policy
    }

    /// Registers `certificate` for agency `id`, creating the agency when it is new. A
    /// certificate for an agency already registered needs `possession`, the agency's
    /// ``CertificatePossession`` statement signed with a key it holds a certificate for.
    public func add(id: String, name: String, roles: [AgencyRole], certificate: Certificate, possession: String? = nil) throws
        -> AgencyAddition
    {
        do {
            return try trail.commit { transaction in
                try add(id: id, name: name, roles: roles, certificate: certificate, possession: possession, in: &transaction)
            }.value
        } catch let error as AdministrationError {
            let known = (try? trail.store.read { store in try store.agencies.agency(id) != nil }) ?? false
            var details: [String: AuditDetail] = ["agency": .names([RecordedIdentifier.agency(id, known: known)])]
            if let fingerprint = try? CertificateFingerprint(certificate).description { details["certificate_sha256"] = .digest(fingerprint) }
            _ = try trail.record(attribution.event(.agencyAdded, .rejected, reason: error.code, details: details))
            throw error
        }
    }

    public func add(
        id: String, name: String, roles: [AgencyRole], certificate: Certificate, possession: String? = nil,
        in transaction: inout AuditTrail.Transaction
    ) throws -> AgencyAddition {
        // The refusal is audited: it describes the id without repeating it.
        guard Agency.isValidID(id) else {
            throw AdministrationError.invalidInput(
                "the agency id is not a safe identifier: use 1 to 64 ASCII letters, digits, \"-\", \"_\" or \".\", starting with a letter or digit")
        }
        guard RecordedIdentifier.isAcceptableNewIdentifier(id) else {
            throw AdministrationError.invalidInput("the agency id looks like personal data (a phone, ID or card number): choose another")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AdministrationError.invalidInput("give the agency a name") }
        guard name.utf8.count <= 200, !name.unicodeScalars.contains(where: AdministrationReason.isControl) else {
            throw AdministrationError.invalidInput(
                "the agency name must be plain text of at most 200 bytes, without control or text-direction characters")
        }
        let roles = Array(Set(roles)).sorted()
        guard !roles.isEmpty else { throw AdministrationError.invalidInput("give at least one role: partner, admin or auditor") }
        if EnrolmentPolicy.combinesDuties(roles), !policy.allowsCombinedRoles { throw AdministrationError.combinedRoles(roles) }
        let fingerprint = try CertificateFingerprint(certificate).description
        let store = transaction.agencies
        if let owner = try store.owner(of: fingerprint) {
            guard owner == id else { throw AdministrationError.certificateInUse(fingerprint: fingerprint, agency: owner) }
            let existing = try store.agency(id)
            if let existing, existing.name != name || existing.roles != roles { throw AdministrationError.agencyConflict(id) }
            return AgencyAddition(agencyID: id, fingerprint: fingerprint, agencyCreated: false, certificateAdded: false)
        }
        if let why = policy.certificates.refusal(of: certificate) {
            throw AdministrationError.certificateRefused(fingerprint: fingerprint, reason: why)
        }
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let existing = try store.agency(id)
        if let existing, existing.name != name || existing.roles != roles { throw AdministrationError.agencyConflict(id) }
        let now = AuditTime.format(Date())
        var approvedBy: String?
        if let existing {
            // Packages are sealed to an agency's newest certificate: the agency adds one by
            // signing for it with a key it already holds, or (a lost key) two different
            // admins agree: the first asks, the second grants.
            if let possession {
                let current = existing.certificates.filter { $0.revokedAt == nil }.compactMap { try? Certificate(derEncoded: Array($0.der)) }
                if let why = CertificatePossession.refusal(of: possession, agency: id, newCertificate: certificate, current: current) {
                    throw AdministrationError.possessionRefused(why)
                }
            } else {
                guard
                    let asked = try secondAdmin(
                        agencyID: id, fingerprint: fingerprint, der: Data(serializer.serializedBytes), at: now, reason: "awaits a second admin",
                        in: &transaction)
                else {
                    return AgencyAddition(
                        agencyID: id, fingerprint: fingerprint, agencyCreated: false, certificateAdded: false, pendingApproval: true)
                }
                approvedBy = asked
            }
        }
        if existing == nil { try store.insertAgency(id: id, name: name, roles: roles, at: now, by: attribution.actor.id) }
        try store.insertCertificate(
            agencyID: id, fingerprint: fingerprint, der: Data(serializer.serializedBytes), at: now, by: attribution.actor.id)
        try transaction.append(
            attribution.event(
                .agencyAdded, .success, reason: existing == nil ? "new agency" : "new certificate for a registered agency",
                details: [
                    "agency": .names([id]), "roles": .names(roles.map(\.rawValue)), "certificate_sha256": .digest(fingerprint),
                    "possession_proven": .flag(existing != nil && approvedBy == nil),
                    "combined_roles": .flag(EnrolmentPolicy.combinesDuties(roles)),
                ].merging(roles.contains(.partner) ? ["sealing_certificate_sha256": .digest(fingerprint)] : [:]) { old, _ in old }
                    .merging(approvedBy.map { ["requested_by": .names([$0])] } ?? [:]) { old, _ in old }))
        return AgencyAddition(agencyID: id, fingerprint: fingerprint, agencyCreated: existing == nil, certificateAdded: true)
    }

    /// Registers an SM2 certificate that `gm` packages for a registered agency are sealed
    /// to (the newest not revoked is the one used), its refusal audited. Through the admin
    /// API or CLI (`viaAdmins`) it takes two admins, as a client certificate added without
    /// the agency's proof does: packages would be sealed to it. `sluice init --gm` and a
    /// first start register the agencies' first SM2 certificates directly.
    public func addGMCertificate(agencyID: String, name: String, roles: [AgencyRole], certificate: SM2Certificate) throws -> AgencyAddition {
        do {
            return try trail.commit { transaction in
                let existing = try transaction.agencies.agency(agencyID)
                if let existing, existing.name != name.trimmingCharacters(in: .whitespacesAndNewlines) || existing.roles != Array(Set(roles)).sorted()
                {
                    throw AdministrationError.agencyConflict(agencyID)
                }
                return try addGMCertificate(agencyID: agencyID, certificate: certificate, viaAdmins: true, in: &transaction)
            }.value
        } catch let error as AdministrationError {
            let known = (try? trail.store.read { store in try store.agencies.agency(agencyID) != nil }) ?? false
            _ = try trail.record(
                attribution.event(
                    .agencyAdded, .rejected, reason: error.code,
                    details: [
                        "agency": .names([RecordedIdentifier.agency(agencyID, known: known)]),
                        "certificate_sha256": .digest(LowercaseHex.encode(SHA256.hash(data: certificate.derBytes))),
                    ]))
            throw error
        }
    }

    public func addGMCertificate(
        agencyID: String, certificate: SM2Certificate, viaAdmins: Bool = false, in transaction: inout AuditTrail.Transaction
    ) throws -> AgencyAddition {
        let store = transaction.agencies
        guard let existing = try store.agency(agencyID) else { throw AdministrationError.unknownAgency(agencyID) }
        let fingerprint = LowercaseHex.encode(SHA256.hash(data: certificate.derBytes))
        if let owner = try store.owner(of: fingerprint) {
            guard owner == agencyID else { throw AdministrationError.certificateInUse(fingerprint: fingerprint, agency: owner) }
            return AgencyAddition(agencyID: agencyID, fingerprint: fingerprint, agencyCreated: false, certificateAdded: false)
        }
        if let why = policy.gmRefusal(of: certificate) {
            throw AdministrationError.certificateRefused(fingerprint: fingerprint, reason: why)
        }
        let now = AuditTime.format(Date())
        var approvedBy: String?
        if viaAdmins {
            guard
                let asked = try secondAdmin(
                    agencyID: agencyID, fingerprint: fingerprint, der: Data(certificate.derBytes), at: now,
                    reason: "SM2 certificate; awaits a second admin", in: &transaction)
            else {
                return AgencyAddition(
                    agencyID: agencyID, fingerprint: fingerprint, agencyCreated: false, certificateAdded: false, pendingApproval: true)
            }
            approvedBy = asked
        } else if existing.currentGMCertificate != nil {
            throw AdministrationError.invalidInput(
                "agency \(agencyID) already has an SM2 certificate; a further one takes two admins (`sluice agency add`)")
        }
        try store.insertCertificate(agencyID: agencyID, fingerprint: fingerprint, der: Data(certificate.derBytes), at: now, by: attribution.actor.id)
        try transaction.append(
            attribution.event(
                .agencyAdded, .success, reason: "SM2 certificate for gm packages",
                details: [
                    "agency": .names([agencyID]), "certificate_sha256": .digest(fingerprint), "gm_sealing_certificate_sha256": .digest(fingerprint),
                ].merging(approvedBy.map { ["requested_by": .names([$0])] } ?? [:]) { old, _ in old }))
        return AgencyAddition(agencyID: agencyID, fingerprint: fingerprint, agencyCreated: false, certificateAdded: true)
    }

    /// Two different admins for a certificate packages would be sealed to: the admin who
    /// asked, once a second one sends the same request (nil: this request is the first, now
    /// recorded and audited, and waits).
    private func secondAdmin(
        agencyID: String, fingerprint: String, der: Data, at now: String, reason: String, in transaction: inout AuditTrail.Transaction
    ) throws -> String? {
        let store = transaction.agencies
        if let asked = try store.request(fingerprint: fingerprint, agencyID: agencyID) {
            guard asked.id != attribution.actor.id || asked.kind != attribution.actor.kind.rawValue else {
                throw AdministrationError.secondAdminRequired(agency: agencyID)
            }
            return asked.id
        }
        try store.insertRequest(agencyID: agencyID, fingerprint: fingerprint, der: der, at: now, by: attribution.actor)
        try transaction.append(
            attribution.event(
                .agencyCertificateRequested, .success, reason: reason,
                details: ["agency": .names([agencyID]), "certificate_sha256": .digest(fingerprint)]))
        return nil
    }

    /// Revokes one of an agency's certificates; false when it was already revoked.
    public func revoke(agencyID: String, fingerprint: String, reason: String) throws -> Bool {
        let fingerprint = fingerprint.lowercased().replacingOccurrences(of: ":", with: "")
        do {
            return try trail.commit { transaction in
                guard fingerprint.count == 64, fingerprint.allSatisfy(\.isHexDigit) else {
                    throw AdministrationError.invalidInput("the certificate must be named by its SHA-256 fingerprint: 64 hex digits")
                }
                let reason = try AdministrationError.checkedReason(reason)
                guard try transaction.agencies.agency(agencyID) != nil else {
                    throw AdministrationError.unknownAgency(agencyID)
                }
                guard try transaction.agencies.owner(of: fingerprint) == agencyID else {
                    throw AdministrationError.certificateNotRegistered(fingerprint: fingerprint, agency: agencyID)
                }
                let first = try transaction.revocations.revoke(
                    CertificateRevocation(
                        fingerprint: fingerprint, agencyID: agencyID, reason: reason, revokedAt: AuditTime.format(Date()),
                        revokedBy: attribution.actor.id))
                try transaction.append(
                    attribution.event(
                        .agencyRevoked, first ? .success : .rejected, reason: first ? reason : "already revoked",
                        details: ["agency": .names([agencyID]), "certificate_sha256": .digest(fingerprint)]))
                return first
            }.value
        } catch let error as AdministrationError {
            let known = (try? trail.store.read { store in try store.agencies.agency(agencyID) != nil }) ?? false
            _ = try trail.record(
                attribution.event(
                    .agencyRevoked, .rejected, reason: error.code,
                    details: ["agency": .names([RecordedIdentifier.agency(agencyID, known: known)])]))
            throw error
        }
    }

}

/// What registering a certificate did.
public struct AgencyAddition: Sendable, Hashable {
    public var agencyID: String
    public var fingerprint: String
    public var agencyCreated: Bool
    /// False when this certificate was already registered for this agency (nothing changed).
    public var certificateAdded: Bool
    /// The certificate waits for a second admin's approval (no proof of possession came).
    public var pendingApproval = false
}
