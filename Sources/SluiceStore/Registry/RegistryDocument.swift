import Foundation
import SluiceCore

/// The JSON documents of the admin API, built in one place so the gateway's answers and
/// the host admin's local CLI print exactly the same thing.
public enum RegistryDocument {
    public static func agreements(_ snapshot: RegistrySnapshot) -> RecordValue {
        let items: [RecordValue] = snapshot.agreements.values.sorted { $0.agreement.id < $1.agreement.id }.map { applied in
            let agreement = applied.agreement
            return .object(
                RecordObject([
                    ("id", .string(agreement.id)), ("version", number(applied.version)), ("status", .string(agreement.status.rawValue)),
                    ("title", .string(agreement.title)), ("provider", .string(agreement.provider)), ("consumer", .string(agreement.consumer)),
                    ("valid_from", .string(agreement.validFrom.description)), ("valid_until", .string(agreement.validUntil.description)),
                ]))
        }
        return .object(RecordObject([("agreements", .array(items))]))
    }

    public static func application(_ application: AgreementApplication) -> RecordValue {
        .object(
            RecordObject([
                ("agreement_id", .string(application.agreementID)), ("version", number(application.version)),
                ("previous_version", application.previousVersion.map(number) ?? .null), ("status", .string(application.status.rawValue)),
                ("unchanged", .bool(application.unchanged)), ("stored", .bool(application.stored)), ("diff", .string(application.diff)),
                ("file_status_ignored", application.fileStatusIgnored.map { .string($0.rawValue) } ?? .null),
            ]))
    }

    public static func history(_ id: String, versions: [AgreementVersion], changes: [AgreementStateChange]) -> RecordValue {
        .object(
            RecordObject([
                ("agreement_id", .string(id)),
                (
                    "versions",
                    .array(
                        versions.map { version in
                            .object(
                                RecordObject([
                                    ("version", number(version.version)), ("applied_at", .string(version.appliedAt)),
                                    ("applied_by", .string(version.appliedBy)),
                                    ("applied_by_certificate", version.appliedByCertificate.map { .string($0) } ?? .null),
                                    ("document_sha256", .string(version.documentSHA256)),
                                ]))
                        })
                ),
                ("states", .array(changes.map(stateChange))),
            ]))
    }

    public static func version(_ version: AgreementVersion) -> RecordValue {
        .object(
            RecordObject([
                ("agreement_id", .string(version.agreementID)), ("version", number(version.version)),
                ("applied_at", .string(version.appliedAt)), ("applied_by", .string(version.appliedBy)),
                ("applied_by_certificate", version.appliedByCertificate.map { .string($0) } ?? .null),
                ("document_sha256", .string(version.documentSHA256)), ("document", .string(version.document)),
            ]))
    }

    public static func stateChange(_ change: AgreementStateChange) -> RecordValue {
        .object(
            RecordObject([
                ("agreement_id", .string(change.agreementID)), ("status", .string(change.status.rawValue)),
                ("reason", .string(change.reason ?? "")), ("changed_at", .string(change.changedAt)), ("changed_by", .string(change.changedBy)),
                ("changed_by_certificate", change.changedByCertificate.map { .string($0) } ?? .null),
            ]))
    }

    public static func agencies(_ agencies: [RegisteredAgency]) -> RecordValue {
        let items: [RecordValue] = agencies.map { agency in
            .object(
                RecordObject([
                    ("id", .string(agency.id)), ("name", .string(agency.name)), ("roles", .array(agency.roles.map { .string($0.rawValue) })),
                    ("added_at", .string(agency.addedAt)), ("added_by", .string(agency.addedBy)),
                    (
                        "certificates",
                        .array(
                            agency.certificates.map { certificate in
                                .object(
                                    RecordObject([
                                        ("sha256", .string(certificate.fingerprint)), ("added_at", .string(certificate.addedAt)),
                                        ("revoked_at", certificate.revokedAt.map { .string($0) } ?? .null),
                                    ]))
                            })
                    ),
                ]))
        }
        return .object(RecordObject([("agencies", .array(items))]))
    }

    public static func agencyAddition(_ addition: AgencyAddition) -> RecordValue {
        .object(
            RecordObject([
                ("agency_id", .string(addition.agencyID)), ("sha256", .string(addition.fingerprint)),
                ("agency_created", .bool(addition.agencyCreated)), ("certificate_added", .bool(addition.certificateAdded)),
                ("pending_approval", .bool(addition.pendingApproval)),
            ]))
    }

    public static func revocation(agencyID: String, fingerprint: String, newlyRevoked: Bool) -> RecordValue {
        .object(
            RecordObject([
                ("agency_id", .string(agencyID)), ("sha256", .string(fingerprint.lowercased().replacingOccurrences(of: ":", with: ""))),
                ("newly_revoked", .bool(newlyRevoked)),
            ]))
    }

    public static func bytes(_ value: RecordValue) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.append(value, to: &bytes)
        bytes.append(0x0A)
        return bytes
    }

    private static func number(_ value: Int) -> RecordValue { .number(String(value)) }
}
