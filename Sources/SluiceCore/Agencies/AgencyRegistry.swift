/// The agencies a gateway knows, as listed in `Agreements/agencies.yaml`.
public struct AgencyRegistry: Sendable, Hashable {
    /// The file the registry was read from, as the user named it; messages cite it.
    public var file: String
    public var agencies: [Agency]

    public init(file: String, agencies: [Agency]) {
        self.file = file
        self.agencies = agencies
    }

    public func agency(_ id: String) -> Agency? {
        agencies.first { $0.id == id }
    }
}
