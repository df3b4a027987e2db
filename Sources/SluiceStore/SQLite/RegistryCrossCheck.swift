import Crypto
import Foundation
import GRDB
import SluiceAudit
import SluiceCore

/// Checks the registry tables against the audit trail that recorded every change to
/// them: each agreement version, each agency certificate and each agreement's sequence
/// of states must be what a successful audit entry says was stored. The triggers keep
/// the tables append-only; this is what finds a change made by someone who dropped them.
struct RegistryCrossCheck {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// The actions whose successful entries record a registry change.
    static var actions: Set<AuditAction> { AuditAction.registryChanges }

    /// Compares the registry with `changes`: every successful entry with one of
    /// ``actions``, as (sequence, JSON), in sequence order — collected while `verify`
    /// reads the log, so the check adds no second pass over it.
    func findings(recorded changes: [(sequence: UInt64, json: String)]) throws -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let entries = Self.records(changes)

        var applied: [String: [Int: AuditRecord]] = [:]
        for record in entries where record.action == .agreementApplied {
            guard let id = record.agreementID, let version = record.agreementVersion else { continue }
            applied[id, default: [:]][version] = record
        }
        for row in try Row.fetchAll(db, sql: "SELECT agreement_id, version, document, document_sha256 FROM agreement_versions ORDER BY rowid") {
            let (id, version, document, digest): (String, Int, String, String) = (row[0], row[1], row[2], row[3])
            let actual = LowercaseHex.encode(SHA256.hash(data: Data(document.utf8)))
            guard let record = applied[id]?[version] else {
                findings.append(
                    AuditFinding(
                        .registryChanged, entry: nil,
                        "agreement \(id) version \(version) is stored but no audit entry applied it: it was inserted behind the gateway's back"))
                continue
            }
            if actual != digest || (record.digest("document_sha256").map { $0 != actual } ?? false) {
                findings.append(
                    AuditFinding(
                        .registryChanged, entry: record.sequence,
                        "agreement \(id) version \(version) is not the text entry \(record.sequence) recorded: it was rewritten"))
            }
        }

        var added: [String: AuditRecord] = [:]
        for record in entries where record.action == .agencyAdded {
            if let fingerprint = record.digest("certificate_sha256") { added[fingerprint] = record }
        }
        for row in try Row.fetchAll(db, sql: "SELECT fingerprint, agency_id, certificate FROM agency_certificates ORDER BY rowid") {
            let (fingerprint, agency, der): (String, String, Data) = (row[0], row[1], row[2])
            guard let record = added[fingerprint], record.names("agency") == [agency] else {
                findings.append(
                    AuditFinding(
                        .registryChanged, entry: nil,
                        "the certificate \(fingerprint) of \(agency) is registered but no audit entry added it there: it was inserted behind the gateway's back"
                    ))
                continue
            }
            if LowercaseHex.encode(SHA256.hash(data: der)) != fingerprint {
                findings.append(
                    AuditFinding(
                        .registryChanged, entry: record.sequence, "the certificate registered as \(fingerprint) for \(agency) was replaced by another"
                    ))
            }
        }

        // States: the first version's status, then every successful change, in order.
        var expected: [String: [String]] = [:]
        for record in entries {
            guard let id = record.agreementID else { continue }
            switch record.action {
            case .agreementApplied: if let status = record.names("status")?.first { expected[id, default: []].append(status) }
            case .agreementSuspended, .agreementActivated, .agreementRevoked:
                if let status = record.names("to")?.first { expected[id, default: []].append(status) }
            default: break
            }
        }
        var stored: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT agreement_id, status FROM agreement_states ORDER BY seq") {
            stored[row[0] as String, default: []].append(row[1])
        }
        for id in Set(stored.keys).union(expected.keys).sorted() where stored[id] != expected[id] {
            findings.append(
                AuditFinding(
                    .registryChanged, entry: nil,
                    "the states stored for agreement \(id) are not the ones the audit trail recorded: a state was changed, added or removed"))
        }
        return findings
    }

    /// A successful registry change as its entry recorded it.
    struct AuditRecord {
        var sequence: UInt64
        var action: AuditAction
        var agreementID: String?
        var agreementVersion: Int?
        var details: [String: Any]

        func digest(_ name: String) -> String? { details[name] as? String }
        func names(_ name: String) -> [String]? { details[name] as? [String] }
    }

    private static func records(_ changes: [(sequence: UInt64, json: String)]) -> [AuditRecord] {
        changes.compactMap { change in
            guard let object = try? JSONSerialization.jsonObject(with: Data(change.json.utf8)) as? [String: Any],
                let action = (object["action"] as? String).flatMap(AuditAction.init(rawValue:)), actions.contains(action),
                object["outcome"] as? String == AuditOutcome.success.rawValue
            else { return nil }
            let agreement = object["agreement"] as? [String: Any]
            return AuditRecord(
                sequence: change.sequence, action: action, agreementID: agreement?["id"] as? String,
                agreementVersion: (agreement?["version"] as? NSNumber)?.intValue, details: object["details"] as? [String: Any] ?? [:])
        }
    }
}
