import Foundation

/// Where a gateway's store lives: the one value that picks which ``GatewayStore`` the
/// gateway and the command-line tool open. The SQLite file in the data directory is the
/// default; a PostgreSQL database is for several gateways that act as one.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// One SQLite file (``GatewayDatabase``).
    case sqlite(path: String)
    /// A PostgreSQL database (``PostgresStore``), which any number of gateways share.
    case postgres(PostgresLocation)

    /// The default: `sluice.sqlite` in the gateway's data directory.
    public static func dataDirectory(_ directory: String) -> StoreLocation {
        .sqlite(path: GatewayDatabase.path(inDataDirectory: directory))
    }

    /// Opens the store, bringing its schema up to date; `create` makes a new one where
    /// there is none (otherwise that is ``StoreError/missing(path:)``).
    public func open(create: Bool = false) throws(StoreError) -> any GatewayStore {
        switch self {
        case .sqlite(let path): try GatewayDatabase(path: path, create: create)
        case .postgres(let location): try PostgresStore(location: location, create: create)
        }
    }

    /// Whether a store is there already.
    public var exists: Bool {
        switch self {
        case .sqlite(let path): FileManager.default.fileExists(atPath: path)
        case .postgres(let location): PostgresStore.exists(at: location)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}
