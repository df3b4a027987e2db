import GRDB

/// What the gateway and the command-line tool read from the store, on one consistent
/// snapshot: packages, the audit log, the registry's agreements, agencies and
/// revocations. The database behind it is the store's own business: nothing here names it.
public struct StoreReader {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    public var packages: PackageStore { PackageStore(db) }
    public var audit: AuditLog { AuditLog(db) }
    public var agreements: AgreementStore { AgreementStore(db) }
    public var agencies: AgencyStore { AgencyStore(db) }
    public var revocations: RevocationStore { RevocationStore(db) }
    public var dataRequests: DataRequestStore { DataRequestStore(db) }

    /// The registry as it stands: agencies, their certificates and every agreement's
    /// current version and state.
    public func registry() throws -> RegistrySnapshot { try RegistrySnapshot.load(db) }

    /// A number that changes whenever the registry does, for caches of ``registry()``.
    public func registryGeneration() throws -> RegistryGeneration { try RegistryGeneration.read(db) }
}
