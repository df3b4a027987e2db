import Foundation
import PostgresNIO

/// ``StoreReader`` and ``StoreWriter`` on one of ``PostgresStore``'s connections, inside
/// the transaction it opened.
struct PostgresStoreReader: StoreWriter {
    let session: PostgresSession

    init(_ session: PostgresSession) {
        self.session = session
    }

    var packages: any PackageStore { PostgresPackageStore(session: session) }
    var audit: any AuditLog { PostgresAuditLog(session: session) }
    var agreements: any AgreementStore { PostgresAgreementStore(session: session) }
    var agencies: any AgencyStore { PostgresAgencyStore(session: session) }
    var revocations: any RevocationStore { PostgresRevocationStore(session: session) }
    var dataRequests: any DataRequestStore { PostgresDataRequestStore(session: session) }

    func registryGeneration() throws -> RegistryGeneration {
        let row = try session.row(
            """
            SELECT (SELECT MAX(seq) FROM agencies), (SELECT MAX(seq) FROM agency_certificates), (SELECT MAX(seq) FROM agreement_versions),
                   (SELECT MAX(seq) FROM agreement_states), (SELECT MAX(seq) FROM revoked_certificates)
            """)
        return RegistryGeneration(newest: try (0..<5).map { try row?.optionalInteger($0) })
    }

    func auditAppender(time: Date, acceptingCorrection: Bool) throws -> any AuditAppending {
        try AuditAppender(PostgresAuditTail(session: session), time: time, acceptingCorrection: acceptingCorrection)
    }
}
