/// What the gateway and the command-line tool read from the store, on one consistent
/// snapshot: packages, the audit log, the registry's agreements, agencies and
/// revocations, and data requests. Which database holds them is the implementation's
/// business (``GatewayStore``): nothing here names it.
public protocol StoreReader {
    var packages: any PackageStore { get }
    var audit: any AuditLog { get }
    var agreements: any AgreementStore { get }
    var agencies: any AgencyStore { get }
    var revocations: any RevocationStore { get }
    var dataRequests: any DataRequestStore { get }
    /// A number that changes whenever the registry does, for caches of ``registry()``.
    func registryGeneration() throws -> RegistryGeneration
}

extension StoreReader {
    /// The registry as it stands: agencies, their certificates and every agreement's
    /// current version and state.
    public func registry() throws -> RegistrySnapshot { try RegistrySnapshot.load(from: self) }
}
