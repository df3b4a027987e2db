import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceMasking

/// Applying agreement versions and moving agreements through their states, each change
/// committed with its audit entry, each refusal audited too. Used by the gateway's admin
/// API and by the host admin's CLI alike, so both follow the same rules.
public struct AgreementLifecycle: Sendable {
    public let trail: AuditTrail
    public let attribution: Attribution

    public init(trail: AuditTrail, by attribution: Attribution) {
        self.trail = trail
        self.attribution = attribution
    }

    /// Validates `document` and, unless `dryRun`, stores it as the agreement's next
    /// version. `expectedVersion` (when given) must be the current version (0: none yet),
    /// so a change applied by someone else after the admin read the diff is not
    /// overwritten blindly.
    public func apply(document: String, file: String, expectedVersion: Int? = nil, dryRun: Bool = false) throws -> AgreementApplication {
        do {
            let application = try trail.commit { transaction in
                try apply(document: document, file: file, expectedVersion: expectedVersion, dryRun: dryRun, in: &transaction)
            }.value
            return application
        } catch let error as AdministrationError {
            // Only an agreement the registry holds is named: a refused file's id can be anything.
            let named = error.agreementID.flatMap { id in
                ((try? trail.store.read { store in try store.agreements.latestVersion(of: id) != nil }) ?? false) ? id : nil
            }
            try refuse(.agreementApplied, agreementID: named, error)
            throw error
        }
    }

    public func apply(
        document: String, file: String, expectedVersion: Int? = nil, dryRun: Bool = false, in transaction: inout AuditTrail.Transaction
    ) throws -> AgreementApplication {
        let agencies = try transaction.agencies.all().map(\.agency)
        let decoder = AgreementDecoder(registry: AgencyRegistry(file: "the gateway's agency registry", agencies: agencies))
        let agreement: Agreement
        do { agreement = try decoder.decode(document, file: file) } catch { throw AdministrationError.invalidAgreement(error.diagnostics) }
        let store = transaction.agreements
        let current = try store.latestVersion(of: agreement.id)
        if let expectedVersion, expectedVersion != (current?.version ?? 0) {
            throw AdministrationError.versionConflict(agreement: agreement.id, expected: expectedVersion, current: current?.version)
        }
        let status = try store.status(of: agreement.id)
        if status == .revoked { throw AdministrationError.agreementRevoked(agreement.id) }
        if current == nil, agreement.status == .revoked {
            throw AdministrationError.invalidInput(
                "agreement \(agreement.id) says status: revoked; a first version must be draft, active or suspended")
        }
        var application = AgreementApplication(
            agreementID: agreement.id, version: (current?.version ?? 0) + 1, previousVersion: current?.version,
            status: status ?? agreement.status,
            diff: LineDiff(from: current?.document ?? "", to: document).unified(
                oldName: current.map { "\(agreement.id) version \($0.version)" } ?? "/dev/null", newName: file),
            unchanged: false, stored: false, fileStatusIgnored: status != nil && status != agreement.status ? agreement.status : nil)
        let previous = current.flatMap { try? decoder.decode($0.document, file: "version \($0.version)") }
        if let current, var terms = previous {
            terms.status = agreement.status
            if terms == agreement {
                application.version = current.version
                application.unchanged = true
                return application
            }
        }
        guard !dryRun else { return application }
        let now = AuditTime.format(Date())
        let digest = LowercaseHex.encode(SHA256.hash(data: Data(document.utf8)))
        try store.insert(
            AgreementVersion(
                agreementID: agreement.id, version: application.version, document: document, documentSHA256: digest,
                appliedAt: now, appliedBy: attribution.actor.id, appliedByCertificate: attribution.actor.certificateFingerprint))
        if status == nil {
            try store.insert(
                AgreementStateChange(
                    agreementID: agreement.id, status: agreement.status, reason: "first version applied", changedAt: now,
                    changedBy: attribution.actor.id, changedByCertificate: attribution.actor.certificateFingerprint))
        }
        // The digest and the first status let `verify` check the registry against the trail.
        var details: [String: AuditDetail] = ["fields": .names(agreement.fields.map(\.name.description)), "document_sha256": .digest(digest)]
        if status == nil { details["status"] = .names([agreement.status.rawValue]) }
        if let previous {
            let before = Set(previous.fields.map(\.name.description))
            let after = Set(agreement.fields.map(\.name.description))
            details["fields_added"] = .names(after.subtracting(before).sorted())
            details["fields_removed"] = .names(before.subtracting(after).sorted())
        }
        try transaction.append(
            attribution.event(
                .agreementApplied, .success, agreementID: agreement.id, agreementVersion: application.version,
                reason: current.map { "version \(application.version) replaces version \($0.version)" } ?? "first version", details: details))
        application.stored = true
        return application
    }

    /// Moves an agreement to `status`: suspend (from active), activate (from draft or
    /// suspended), revoke (from anything but revoked; final).
    public func change(_ id: String, to status: AgreementStatus, reason: String) throws -> AgreementStateChange {
        let action: AuditAction
        switch status {
        case .suspended: action = .agreementSuspended
        case .active: action = .agreementActivated
        case .revoked: action = .agreementRevoked
        case .draft: throw AdministrationError.invalidInput("an agreement cannot go back to draft")
        }
        do {
            return try trail.commit { transaction in
                let store = transaction.agreements
                guard let version = try store.latestVersion(of: id), let current = try store.status(of: id) else {
                    throw AdministrationError.unknownAgreement(id)
                }
                let reason = try AdministrationError.checkedReason(reason)
                guard current != .revoked else { throw AdministrationError.agreementRevoked(id) }
                let allowed: Set<AgreementStatus> =
                    switch status {
                    case .suspended: [.active]
                    case .active: [.draft, .suspended]
                    default: [.draft, .active, .suspended]
                    }
                guard allowed.contains(current) else { throw AdministrationError.transitionNotAllowed(agreement: id, from: current, to: status) }
                let change = AgreementStateChange(
                    agreementID: id, status: status, reason: reason, changedAt: AuditTime.format(Date()), changedBy: attribution.actor.id,
                    changedByCertificate: attribution.actor.certificateFingerprint)
                try store.insert(change)
                try transaction.append(
                    attribution.event(
                        action, .success, agreementID: id, agreementVersion: version.version, reason: reason,
                        details: ["from": .names([current.rawValue]), "to": .names([status.rawValue])]))
                return change
            }.value
        } catch let error as AdministrationError {
            let known = (try? trail.store.read { store in try store.agreements.latestVersion(of: id) != nil }) ?? false
            try refuse(action, agreementID: RecordedIdentifier.agreement(id, known: known), error)
            throw error
        }
    }

    private func refuse(_ action: AuditAction, agreementID: String?, _ error: AdministrationError) throws {
        // Diagnostics quote the admin's file, which can hold anything: the trail keeps
        // their kinds and lines, the admin's answer the sentences.
        var details: [String: AuditDetail] = [:]
        if case .invalidAgreement(let diagnostics) = error {
            let first = diagnostics.prefix(AuditDetail.maximumNames)
            details["problems"] = .names(Array(Set(first.map(\.code.rawValue))).sorted())
            details["problem_count"] = .count(diagnostics.count)
            if let line = diagnostics.first?.location.line { details["first_line"] = .count(line) }
        }
        _ = try trail.record(attribution.event(action, .rejected, agreementID: agreementID, reason: error.code, details: details))
    }
}

/// What applying an agreement file did, or would do in a dry run.
public struct AgreementApplication: Sendable, Hashable {
    public var agreementID: String
    /// The version stored (or that would be), or the current one when unchanged.
    public var version: Int
    public var previousVersion: Int?
    public var status: AgreementStatus
    /// Unified diff from the current version's text to the file's; empty when identical.
    public var diff: String
    /// The terms equal the current version's: nothing is stored.
    public var unchanged: Bool
    public var stored: Bool
    /// The file's `status` when it differs from the agreement's and was not applied:
    /// after the first version, status changes only by suspend, activate and revoke.
    public var fileStatusIgnored: AgreementStatus?
}
