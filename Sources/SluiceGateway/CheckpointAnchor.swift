import Foundation
import SluiceAudit
import SluiceStore

/// The latest signed checkpoint, kept in a file outside the database (beside the
/// certificates by default, `store.anchor` in `sluice.yaml`): a store put back from an
/// older copy (a file copied over, a volume snapshot rolled back) is behind it, and the
/// gateway refuses to start on it unless an operator accepts the rollback, which the
/// start's audit entry then records. The gateway rewrites it as it signs checkpoints.
public struct CheckpointAnchor: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The anchored checkpoint's note, if the file exists.
    public func read() throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Replaces the file with `note`, atomically and durably.
    public func write(_ note: String) throws {
        // A note ends with its newline already; the file holds exactly the note.
        try DurableFile.replace(path, withLine: String(note.dropLast(note.hasSuffix("\n") ? 1 : 0)), mode: 0o644)
    }

    /// Why the store cannot be trusted against the anchor, if it cannot: the anchor does
    /// not verify, or names a tree the store does not contain. Pure over what it is given.
    public static func problem(anchor note: String, verifiers: [NoteVerifierKey], storeSize: UInt64, rootAt: (UInt64) throws -> MerkleHash)
        throws -> Problem?
    {
        guard let opened = try? SignedNote.open(note, verifiers: verifiers), let kept = try? Checkpoint(text: opened.text) else {
            return .unverified
        }
        guard kept.size <= storeSize else { return .behind(kept: kept.size, store: storeSize) }
        let matches = try kept.size == 0 || rootAt(kept.size) == kept.root
        guard matches else { return .diverged(kept: kept.size) }
        return nil
    }

    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case unverified
        case behind(kept: UInt64, store: UInt64)
        case diverged(kept: UInt64)

        public var description: String {
            switch self {
            case .unverified: return "the checkpoint kept outside the store does not verify with the checkpoint keys"
            case .behind(let kept, let store):
                return "the store holds \(store) audit entries, but the checkpoint kept outside it covers \(kept): the store was rolled back"
            case .diverged(let kept):
                return "the store's first \(kept) audit entries are not those of the checkpoint kept outside it: the store was replaced"
            }
        }
    }
}
