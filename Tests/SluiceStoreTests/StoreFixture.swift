import Foundation
import SluiceAudit

@testable import SluiceStore

/// A gateway database in a fresh temporary folder, with a checkpoint key.
struct StoreFixture {
    let folder: String
    let database: GatewayDatabase
    let signer: NoteSignerKey
    let trail: AuditTrail

    init(everyEntries: UInt64 = 1000) throws {
        folder = NSTemporaryDirectory() + "sluice-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = try GatewayDatabase(path: GatewayDatabase.path(inDataDirectory: folder), create: true)
        signer = try NoteSignerKey.generate(name: "test.sluice.example/audit")
        trail = AuditTrail(store: database, signer: signer, policy: CheckpointPolicy(everyEntries: everyEntries, interval: 3600))
    }

    static func event(_ number: Int) -> AuditEvent {
        let actions: [AuditAction] = [.submitAccepted, .submitRejected, .packageFetched, .inboxListed]
        return AuditEvent(
            actor: AuditActor(
                kind: .agency, id: number % 2 == 0 ? "district-psb" : "district-procuratorate",
                certificateFingerprint: String(repeating: "ab", count: 32)),
            action: actions[number % actions.count], outcome: number % 4 == 1 ? .rejected : .success,
            agreementID: "psb-household-check", agreementVersion: 1, packageID: "pkg-\(number)",
            requestID: "req-\(number)", details: ["records": .count(number)])
    }

    /// Appends `count` events, `perTransaction` to a transaction: one bundle each when
    /// `bundled`, otherwise one bundle per entry, as single appends make them.
    func append(_ count: Int, perTransaction: Int = 1, bundled: Bool = false) throws {
        var number = 0
        while number < count {
            let end = min(count, number + perTransaction)
            _ = try trail.commit { transaction in
                if bundled {
                    try transaction.append(contentsOf: (number..<end).map(Self.event))
                } else {
                    for n in number..<end { try transaction.append(Self.event(n)) }
                }
            }
            number = end
        }
    }

    func verify(kept: Checkpoint? = nil) throws -> AuditVerification {
        try AuditVerifier(store: database, verifiers: [signer.verifier]).verify(keptCheckpoint: kept)
    }

    /// Runs SQL through the sqlite3 command-line tool, as someone holding the file would.
    func sqlite(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database.path, sql]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else { throw SQLiteToolFailure(message: message) }
    }

    struct SQLiteToolFailure: Error { var message: String }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
