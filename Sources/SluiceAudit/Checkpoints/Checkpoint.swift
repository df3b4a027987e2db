import Foundation

/// A C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the log's origin, its size, and
/// the base64 root hash, one per line, optionally followed by extension lines.
public struct Checkpoint: Sendable, Hashable {
    /// Names the log; Sluice uses the gateway's name, e.g. `sluice.district.example/audit`.
    public var origin: String
    public var size: UInt64
    public var root: MerkleHash
    public var extensions: [String]

    public init(origin: String, size: UInt64, root: MerkleHash, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// The note text: the body a signed note signs.
    public var text: String {
        ([origin, String(size), root.base64] + extensions).joined(separator: "\n") + "\n"
    }

    public init(text: String) throws(NoteError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count >= 4, !lines[0].isEmpty else {
            throw .malformed("a checkpoint has an origin, a size and a root hash, each on its own line")
        }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else { throw .malformed("the tree size is not a decimal number") }
        guard let root = Data(base64Encoded: String(lines[2])).flatMap({ MerkleHash($0) }) else {
            throw .malformed("the root is not a base64 SHA-256 hash")
        }
        self.init(origin: String(lines[0]), size: size, root: root, extensions: lines[3..<(lines.count - 1)].map(String.init))
    }
}
