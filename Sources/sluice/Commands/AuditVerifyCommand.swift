import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceClient
import SluiceCrypto
import SluiceStore

/// `sluice audit verify`: recompute the whole trail and check everything stored about it.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit trail and check every entry, hash and signed checkpoint.",
        discussion: """
            Exit 0 when everything checks out, 1 when anything does not (each finding is \
            named, the first bad entry first), 2 when the input cannot be read.
            """)

    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var access: GatewayAccessOptions

    @Option(name: .customLong("checkpoint"), help: "A signed checkpoint you kept earlier: prove the log still extends it.")
    var keptCheckpointPath: String?

    @Option(
        name: .customLong("verifier-key"),
        help: "Checkpoint verifier key (name+id+key); repeat for rotated keys. Default: Certs/audit-checkpoint.vkey.")
    var verifierKeyPaths: [String] = []

    @Option(
        name: .customLong("sm2-certificate"),
        help: "The gateway's SM2 signing certificate, whose key co-signs checkpoints (default: the gm certificate of sluice.yaml, if present).")
    var sm2CertificatePath: String?

    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let verifiers = try trailOptions.verifierKeys(verifierKeyPaths)
        let kept = try keptCheckpointPath.map { try Self.readKeptCheckpoint($0, verifiers: verifiers) }
        let remote = try await AuditConnection.with(access.access, trailOptions) { connection -> Bool in
            guard case .remote(let client) = connection else { return false }
            try await verifyRemotely(client, verifiers: verifiers, kept: kept)
            return true
        }
        if remote { return }
        let database = try trailOptions.openStore()
        let progress = ProgressLine(label: "verifying")
        let result: AuditVerification
        do {
            var verifier = AuditVerifier(store: database, verifiers: verifiers)
            verifier.cosigner = try cosigner(named: verifiers.first?.name)
            result = try verifier.verify(keptCheckpoint: kept) { done, total in
                progress.update(done: done, total: total)
            }
        } catch {
            progress.finish()
            throw CommandFailure.input("cannot read the audit trail: \(error)")
        }
        progress.finish()
        try record(result)
        if json {
            struct Output: Encodable {
                var passed: Bool
                var entries: UInt64
                var checkpoints: Int
                var checkpoints_cosigned_sm2: Int
                var latest_good_checkpoint: UInt64?
                var entries_after_latest_checkpoint: UInt64
                var findings: [Finding]
                struct Finding: Encodable {
                    var kind: String
                    var entry: UInt64?
                    var message: String
                }
            }
            try JSONOutput.print(
                Output(
                    passed: result.passed, entries: result.size, checkpoints: result.checkpointsChecked,
                    checkpoints_cosigned_sm2: result.checkpointsCosigned,
                    latest_good_checkpoint: result.latestGoodCheckpoint,
                    entries_after_latest_checkpoint: result.uncheckpointedEntries,
                    findings: result.findings.map { .init(kind: $0.kind.rawValue, entry: $0.entry, message: $0.message) }))
        } else {
            for finding in result.findings { print("FAIL  " + finding.message) }
            if result.passed {
                print(
                    "ok    \(counted(result.size, "entry", "entries")) recomputed; \(counted(result.checkpointsChecked, "signed checkpoint")) verified"
                )
                if result.checkpointsCosigned > 0 {
                    print("ok    \(counted(result.checkpointsCosigned, "checkpoint")) of them co-signed with the gateway's SM2 key (SM2 with SM3)")
                }
                if let kept { print("ok    the log extends your checkpoint of \(counted(kept.size, "entry", "entries"))") }
                if result.uncheckpointedEntries > 0 {
                    let count = result.uncheckpointedEntries
                    print("note  " + (count == 1 ? "the last entry is" : "the last \(count) entries are") + " not yet in a signed checkpoint")
                }
            }
        }
        if !result.passed {
            throw CommandFailure.checkFailed("the audit trail failed verification: \(counted(result.findings.count, "finding"))")
        }
    }

    /// Through the API: the export recomputed against the latest signed checkpoint, and a
    /// kept checkpoint proved to be extended by it. What only the database holds (stored
    /// subtrees, every older checkpoint) is checked by `verify` on the gateway host.
    private func verifyRemotely(_ client: GatewayClient, verifiers: [NoteVerifierKey], kept: Checkpoint?) async throws {
        var findings: [String] = []
        let note: String
        var consistency: APIDocument.AuditProof?
        if let kept {
            let data = try await client.auditProof(index: nil, consistencyFrom: kept.size)
            guard let proof = try? JSONDecoder().decode(APIDocument.AuditProof.self, from: data) else {
                throw CommandFailure.checkFailed("the gateway's consistency proof is not readable")
            }
            note = proof.checkpoint
            consistency = proof
        } else {
            note = try await client.auditCheckpoint(sign: false).note
        }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint(text: try SignedNote.open(note, verifiers: verifiers).text) } catch {
            throw CommandFailure.checkFailed("the gateway's latest checkpoint does not verify with the checkpoint key: \(error)")
        }
        if let kept, let consistency {
            let proof = (consistency.consistencyProof ?? []).compactMap { Data(base64Encoded: $0).flatMap { MerkleHash($0) } }
            do {
                try ProofVerification.verifyConsistency(
                    oldSize: kept.size, newSize: checkpoint.size, oldRoot: kept.root, newRoot: checkpoint.root, proof: proof)
            } catch {
                findings.append("the log does not extend your checkpoint of \(counted(kept.size, "entry", "entries")): \(error)")
            }
        }
        var check = ExportedLogCheck(checkpoint: checkpoint)
        let progress = ProgressLine(label: "verifying")
        try await client.auditExport(fromIndex: 0, since: nil) { line in
            check.add(line: line)
            if check.size % 65_536 == 0 { progress.update(done: check.size, total: max(check.size, checkpoint.size)) }
        }
        progress.finish()
        check.finish()
        findings += check.findings
        if json {
            struct Output: Encodable {
                var passed: Bool
                var entries: UInt64
                var checkpoint_size: UInt64
                var findings: [String]
            }
            try JSONOutput.print(Output(passed: findings.isEmpty, entries: check.size, checkpoint_size: checkpoint.size, findings: findings))
        } else {
            for finding in findings { print("FAIL  " + finding) }
            if findings.isEmpty {
                print(
                    "ok    \(counted(check.size, "entry", "entries")) exported and recomputed; the signed checkpoint of \(counted(checkpoint.size, "entry", "entries")) matches"
                )
                if let kept { print("ok    the log extends your checkpoint of \(counted(kept.size, "entry", "entries"))") }
                print("note  through the API; `sluice audit verify` on the gateway host also checks stored subtrees and every older checkpoint")
            }
        }
        if !findings.isEmpty {
            throw CommandFailure.checkFailed("the audit trail failed verification: \(counted(findings.count, "finding"))")
        }
    }

    static func readKeptCheckpoint(_ path: String, verifiers: [NoteVerifierKey]) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure.input("cannot read \(path)") }
        do {
            let opened = try SignedNote.open(String(decoding: data, as: UTF8.self), verifiers: verifiers)
            return try Checkpoint(text: opened.text)
        } catch {
            throw CommandFailure.input("\(path): \(error); it is not a checkpoint signed by this gateway's checkpoint key")
        }
    }

    private func record(_ result: AuditVerification) throws {
        let trail = try trailOptions.openTrail()
        let event = AuditEvent(
            actor: AuditTrailOptions.localActor, action: .auditVerified, outcome: result.passed ? .success : .failed,
            reason: result.passed ? nil : "\(counted(result.findings.count, "finding")); first: \(result.findings[0].kind.rawValue)",
            details: ["entries": .count(Int(result.size)), "kept_checkpoint": .flag(keptCheckpointPath != nil)])
        do { try trail.record(event) } catch {
            StandardError.print("sluice: warning: the verification could not be recorded in the audit trail: \(error)")
        }
    }

    /// The SM2 key that co-signs checkpoints: from `--sm2-certificate`, else the gateway's
    /// gm certificate when this host has one.
    private func cosigner(named name: String?) throws -> SM2NoteKey? {
        guard let name else { return nil }
        let path: String
        if let sm2CertificatePath {
            path = sm2CertificatePath
        } else {
            path = try trailOptions.gatewayConfiguration().resolvedGMSigningCertificate
            guard FileManager.default.fileExists(atPath: path) else { return nil }
        }
        do {
            return try SM2NoteKey(name: name, key: try SM2Certificate(pem: try String(contentsOfFile: path, encoding: .utf8)).publicKey)
        } catch {
            throw CommandFailure.input("\(path) is not an SM2 certificate: \(error)")
        }
    }
}
