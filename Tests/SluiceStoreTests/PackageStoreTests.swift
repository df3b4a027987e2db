import Foundation
import GRDB
import SluiceCrypto
import Testing

@testable import SluiceStore

@Suite("Packages and their envelopes") struct PackageStoreTests {
    static func package(_ id: String, envelopeBytes: Int) -> StoredPackage {
        StoredPackage(
            id: id, agreementID: "psb-household-check", agreementVersion: 1, provider: "district-psb", consumer: "district-procuratorate",
            createdAt: "2026-11-30T00:00:00Z", expiresAt: "2026-12-30T00:00:00Z", records: 1, envelopeBytes: envelopeBytes,
            bodySHA256: String(repeating: "0", count: 64), idempotencyKey: nil, receipt: "receipt")
    }

    /// Rows written before envelopes were kept in parts hold the compact text; both kinds
    /// are served as the same compact JWE, and a damaged BLOB or text is an error, not an
    /// envelope.
    @Test func envelopesStoredAsTextOrInPartsAreServedAsTheirCompactText() throws {
        let fixture = try StoreFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let parts = SealedEnvelope(
            encodedHeader: "eyJhbGciOiJ4In0", encryptedKey: Data([9, 8, 7]), iv: Data(repeating: 1, count: 12),
            ciphertext: Data((0..<1000).map { UInt8($0 & 0xFF) }), tag: Data(repeating: 2, count: 16))
        let legacy = parts.compact
        try fixture.database.writeDatabase { db in
            let store = SQLitePackageStore(db)
            try store.insert(Self.package("p-parts", envelopeBytes: parts.compactCount), envelope: parts)
            try store.insert(Self.package("p-text", envelopeBytes: legacy.utf8.count), envelope: parts)
            try store.insert(Self.package("p-damaged", envelopeBytes: 10), envelope: parts)
            // As rows were written before envelopes were kept in parts.
            try db.execute(sql: "UPDATE packages SET envelope = ? WHERE id = 'p-text'", arguments: [legacy])
        }
        try fixture.database.readDatabase { db in
            let store = SQLitePackageStore(db)
            #expect(try store.envelope(id: "p-parts")?.compact == legacy)
            #expect(try store.envelope(id: "p-text")?.compact == legacy)
            #expect(try store.envelope(id: "p-none") == nil)
            let types = try String.fetchAll(db, sql: "SELECT typeof(envelope) FROM packages ORDER BY seq")
            #expect(types == ["blob", "text", "blob"])
        }
        // A BLOB cut short (as a damaged file would give) is refused with the package named.
        let stored = parts.storedBytes
        try fixture.database.writeDatabase { db in
            try db.execute(sql: "UPDATE packages SET envelope = ? WHERE id = 'p-damaged'", arguments: [Data(stored.dropLast(3))])
        }
        try fixture.database.readDatabase { db in
            var message = ""
            do { _ = try SQLitePackageStore(db).envelope(id: "p-damaged") } catch { message = String(describing: error) }
            #expect(message.contains("package p-damaged") && message.contains("truncated"), "\(message)")
        }
        // So is compact text that lost its last part.
        try fixture.database.writeDatabase { db in
            try db.execute(
                sql: "UPDATE packages SET envelope = ? WHERE id = 'p-text'", arguments: [String(legacy[..<legacy.lastIndex(of: ".")!])])
        }
        try fixture.database.readDatabase { db in
            var message = ""
            do { _ = try SQLitePackageStore(db).envelope(id: "p-text") } catch { message = String(describing: error) }
            #expect(message.contains("package p-text") && message.contains("5 parts"), "\(message)")
        }
    }
}
