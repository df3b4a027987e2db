import SluiceStore
import Synchronization

/// The gateway's view of the registry: the last snapshot read, replaced as soon as a
/// request finds the registry's generation moved (an admin change through the API, or
/// the host admin's CLI on the same database). Each request takes one snapshot and uses
/// it throughout, so a submission runs entirely under one agreement version.
final class RegistryCache: Sendable {
    private let current: Mutex<RegistrySnapshot>

    init(_ snapshot: RegistrySnapshot) {
        current = Mutex(snapshot)
    }

    /// The snapshot for this moment, reloaded within `store`'s read if it is stale.
    func snapshot(_ store: any StoreReader) throws -> RegistrySnapshot {
        let generation = try store.registryGeneration()
        let cached = current.withLock { $0 }
        if cached.generation == generation { return cached }
        let fresh = try store.registry()
        current.withLock { $0 = fresh }
        return fresh
    }

    /// The last snapshot read, for work outside a request (metrics, purges).
    var latest: RegistrySnapshot { current.withLock { $0 } }
}
