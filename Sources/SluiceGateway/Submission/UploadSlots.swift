import Synchronization

/// How many submissions each agency may have in flight at once. A submission holds its
/// decoded and masked records in memory until it commits; without a cap one provider
/// opening many uploads could hold the gateway's memory (and the others' turn) alone.
final class UploadSlots: Sendable {
    let perAgency: Int
    private let inFlight = Mutex<[String: Int]>([:])

    init(perAgency: Int) {
        self.perAgency = perAgency
    }

    /// A held slot; give it back with ``release()`` when the submission has its answer.
    struct Slot: Sendable {
        let slots: UploadSlots
        let agency: String

        func release() {
            slots.inFlight.withLock { counts in
                let left = (counts[agency] ?? 1) - 1
                counts[agency] = left > 0 ? left : nil
            }
        }
    }

    /// A slot for `agency`, or nil when it already has `perAgency` uploads in flight.
    func acquire(agency: String) -> Slot? {
        inFlight.withLock { counts in
            let current = counts[agency] ?? 0
            guard current < perAgency else { return nil }
            counts[agency] = current + 1
            return Slot(slots: self, agency: agency)
        }
    }
}
