import Foundation
import Testing

@Suite("sluice audit") struct AuditCommandTests {
    /// A data directory after `init`, with a few recorded reads and a signed checkpoint.
    static func trail() throws -> (folder: String, options: [String]) {
        let folder = try SluiceProcess.temporaryFolder()
        let options = ["--data-dir", folder + "/data", "--certs", folder + "/certs"]
        let initialised = try SluiceProcess.run(SluiceProcess.executable, ["init"] + options)
        #expect(initialised.status == 0, "stderr: \(initialised.stderr)")
        for action in ["audit.entries_read", "auth.failed", "submit.rejected"] {
            let query = try SluiceProcess.run(SluiceProcess.executable, ["audit", "query", "--action", action] + options)
            #expect(query.status == 0, "stderr: \(query.stderr)")
        }
        let signed = try SluiceProcess.run(SluiceProcess.executable, ["audit", "checkpoint", "--sign"] + options)
        #expect(signed.status == 0, "stderr: \(signed.stderr)")
        return (folder, options)
    }

    static func audit(_ arguments: [String], _ options: [String]) throws -> SluiceProcess.Result {
        try SluiceProcess.run(SluiceProcess.executable, ["audit"] + arguments + options)
    }

    @Test func readsAreRecordedAndQueryable() throws {
        let (folder, options) = try Self.trail()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tail = try Self.audit(["tail", "-n", "2", "--json"], options)
        #expect(tail.status == 0)
        let lines = tail.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("\"action\":\"audit.entries_read\"") == true)
        #expect(lines.last?.contains("\"kind\":\"local_admin\"") == true)

        let query = try Self.audit(["query", "--action", "audit.checkpoint_read"], options)
        #expect(query.status == 0)
        #expect(query.stdout.hasPrefix("SEQ  TIME"))
        #expect(query.stdout.contains("audit.checkpoint_read"))
        #expect(query.stderr.contains("1 entry"))

        let paged = try Self.audit(["query", "--limit", "2"], options)
        #expect(paged.stderr.contains("more from --from-index 2"))
        let badAction = try Self.audit(["query", "--action", "submit.maybe"], options)
        #expect(badAction.status == 2)
    }

    @Test func verifyPassesOnAnIntactTrailAndProvesAKeptCheckpoint() throws {
        let (folder, options) = try Self.trail()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let kept = folder + "/kept.note"
        let checkpoint = try Self.audit(["checkpoint"], options)
        try checkpoint.stdout.write(toFile: kept, atomically: true, encoding: .utf8)
        let keptSize = try #require(checkpoint.stdout.split(separator: "\n").dropFirst().first.flatMap { Int($0) })
        let verify = try Self.audit(["verify", "--checkpoint", kept], options)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("ok    the log extends your checkpoint of \(keptSize) entries"))

        let json = try Self.audit(["verify", "--json"], options)
        let result = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(result?["passed"] as? Bool == true)

        try "not a note\n".write(toFile: kept, atomically: true, encoding: .utf8)
        let unreadable = try Self.audit(["verify", "--checkpoint", kept], options)
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.contains("kept.note"))
    }

    @Test func verifyExitsOneAndNamesTheEntryAfterTampering() throws {
        let (folder, options) = try Self.trail()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sqlite = try #require(SluiceProcess.tool("sqlite3"), "the sqlite3 tool plays the attacker with the file")
        let reads = try Self.audit(["query", "--action", "audit.entries_read", "--json"], options)
        let first = try JSONSerialization.jsonObject(with: Data(try #require(reads.stdout.split(separator: "\n").first).utf8)) as? [String: Any]
        let target = try #require(first?["sequence"] as? Int)
        let tampered = try SluiceProcess.run(
            sqlite,
            [
                folder + "/data/sluice.sqlite",
                "DROP TRIGGER audit_bundles_no_update; UPDATE audit_bundles SET entries = replace(entries, 'entries_read', 'entries_reaD') WHERE first = (SELECT MAX(first) FROM audit_bundles WHERE first <= \(target));",
            ])
        #expect(tampered.status == 0, "\(tampered.stderr)")
        let verify = try Self.audit(["verify"], options)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("FAIL  entry \(target) was changed after it was written"))
        #expect(verify.stderr.contains("failed verification"))
    }

    @Test func proveAndExportAgreeWithEachOther() throws {
        let (folder, options) = try Self.trail()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let prove = try Self.audit(["prove", "--index", "1"], options)
        #expect(prove.status == 0, "\(prove.stderr)")
        let proof = try JSONSerialization.jsonObject(with: Data(prove.stdout.utf8)) as? [String: Any]
        #expect(proof?["leaf_index"] as? Int == 1)
        #expect((proof?["inclusion_proof"] as? [String])?.isEmpty == false)
        let export = try Self.audit(["export", "--format", "jsonl", "--from-index", "1"], options)
        #expect(export.stdout.split(separator: "\n").first.map(String.init) == proof?["entry"] as? String)
        let none = try Self.audit(["prove", "--index", "999"], options)
        #expect(none.status == 2)
        #expect(none.stderr.contains("there is no entry 999"))
        let neither = try Self.audit(["prove"], options)
        #expect(neither.status == 2)
    }

    @Test func withoutADatabaseTheCommandsSaySoAndExitTwo() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tail = try Self.audit(["tail"], ["--data-dir", folder + "/nothing"])
        #expect(tail.status == 2)
        #expect(tail.stderr.contains("no gateway database"))
    }
}
