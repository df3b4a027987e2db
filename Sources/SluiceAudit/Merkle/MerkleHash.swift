import Crypto
import Foundation

/// A SHA-256 node of an RFC 9162 Merkle tree.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Nil unless exactly 32 bytes: a shorter "hash" is never valid input to a proof.
    public init?(_ bytes: some Sequence<UInt8>) {
        let array = Array(bytes)
        guard array.count == 32 else { return nil }
        self.bytes = array
    }

    private init(digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    /// The hash of a leaf (RFC 9162 §2.1.1): SHA-256(0x00 ‖ entry).
    public static func leaf(_ entry: some DataProtocol) -> MerkleHash {
        var hash = SHA256()
        hash.update(data: leafPrefix)
        hash.update(data: entry)
        return MerkleHash(digest: hash.finalize())
    }

    private static let leafPrefix: [UInt8] = [0x00]
    private static let nodePrefix: [UInt8] = [0x01]

    /// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hash = SHA256()
        hash.update(data: nodePrefix)
        hash.update(data: left.bytes)
        hash.update(data: right.bytes)
        return MerkleHash(digest: hash.finalize())
    }

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyTree = MerkleHash(digest: SHA256.hash(data: Data()))

    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
