import Foundation

/// Where a gateway's store lives: the one value that picks which ``GatewayStore`` the
/// gateway and the command-line tool open. The SQLite file in the data directory is the
/// default and, for now, the only kind.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// One SQLite file (``GatewayDatabase``).
    case sqlite(path: String)

    /// The default: `sluice.sqlite` in the gateway's data directory.
    public static func dataDirectory(_ directory: String) -> StoreLocation {
        .sqlite(path: GatewayDatabase.path(inDataDirectory: directory))
    }

    /// Opens the store, bringing its schema up to date; `create` makes a new one where
    /// there is none (otherwise that is ``StoreError/missing(path:)``).
    public func open(create: Bool = false) throws(StoreError) -> any GatewayStore {
        switch self {
        case .sqlite(let path): try GatewayDatabase(path: path, create: create)
        }
    }

    /// Whether a store is there already.
    public var exists: Bool {
        switch self {
        case .sqlite(let path): FileManager.default.fileExists(atPath: path)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        }
    }
}
