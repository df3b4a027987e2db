import Foundation
import GRDB

/// ``StoreReader`` and ``StoreWriter`` on one of ``GatewayDatabase``'s connections, inside
/// the transaction it opened: a read transaction for ``GatewayDatabase/read(_:)``, a write
/// transaction for ``GatewayDatabase/write(_:)``.
struct SQLiteStoreReader: StoreWriter {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    var packages: any PackageStore { SQLitePackageStore(db) }
    var audit: any AuditLog { SQLiteAuditLog(db) }
    var agreements: any AgreementStore { SQLiteAgreementStore(db) }
    var agencies: any AgencyStore { SQLiteAgencyStore(db) }
    var revocations: any RevocationStore { SQLiteRevocationStore(db) }
    var dataRequests: any DataRequestStore { SQLiteDataRequestStore(db) }

    func registryGeneration() throws -> RegistryGeneration { try RegistryGeneration.read(db) }

    func auditAppender(time: Date, acceptingCorrection: Bool) throws -> any AuditAppending {
        try AuditAppender(SQLiteAuditTail(db), time: time, acceptingCorrection: acceptingCorrection)
    }
}

extension RegistryGeneration {
    static func read(_ db: Database) throws -> RegistryGeneration {
        // A cached statement: the gateway asks on every request.
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT (SELECT MAX(rowid) FROM agencies), (SELECT MAX(rowid) FROM agency_certificates),
                           (SELECT MAX(rowid) FROM agreement_versions), (SELECT MAX(seq) FROM agreement_states),
                           (SELECT MAX(rowid) FROM revoked_certificates)
                    """))
        return RegistryGeneration(newest: (0..<5).map { row?[$0] })
    }
}
