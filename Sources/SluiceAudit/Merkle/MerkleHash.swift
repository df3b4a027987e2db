import CLibCrypto
import Crypto
import Foundation
import SluiceCore

/// A SHA-256 node of an RFC 9162 Merkle tree.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    // Held inline rather than as an array: verification and appending make and compare
    // hashes by the million, and an inline value costs no allocation.
    private var storage: SIMD32<UInt8>

    /// The 32 bytes of the hash.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Nil unless exactly 32 bytes: a shorter "hash" is never valid input to a proof.
    public init?(_ bytes: some Sequence<UInt8>) {
        var storage = SIMD32<UInt8>()
        var count = 0
        for byte in bytes {
            guard count < 32 else { return nil }
            storage[count] = byte
            count += 1
        }
        guard count == 32 else { return nil }
        self.storage = storage
    }

    /// Nil unless `raw` is exactly 32 bytes; copies them.
    public init?(raw: UnsafeRawBufferPointer) {
        guard raw.count == 32 else { return nil }
        storage = SIMD32()
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) }
    }

    private init(digest: SHA256.Digest) {
        storage = SIMD32()
        digest.withUnsafeBytes { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Whether `raw` holds exactly these 32 bytes.
    public func equals(raw: UnsafeRawBufferPointer) -> Bool {
        raw.count == 32 && withUnsafeBytes { memcmp($0.baseAddress!, raw.baseAddress!, 32) == 0 }
    }

    /// The hash of a leaf (RFC 9162 §2.1.1): SHA-256(0x00 ‖ entry).
    public static func leaf(_ entry: some DataProtocol) -> MerkleHash {
        var hash = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x00)) { hash.update(bufferPointer: $0) }
        hash.update(data: entry)
        return MerkleHash(digest: hash.finalize())
    }

    /// The hash of a leaf held in a buffer (the store's column, an encoder's output).
    public static func leaf(raw entry: UnsafeRawBufferPointer) -> MerkleHash {
        hashing(prefix: 0x00, entry)
    }

    /// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var pair = (left.storage, right.storage)
        return Swift.withUnsafeBytes(of: &pair) { hashing(prefix: 0x01, $0) }
    }

    /// SHA-256 of a prefix byte and `bytes`, on OpenSSL's stack-held context: swift-crypto's
    /// hash allocates a context per hash, which cost more than hashing a node or an entry
    /// (verification makes two such hashes per entry).
    private static func hashing(prefix: UInt8, _ bytes: UnsafeRawBufferPointer) -> MerkleHash {
        var context = SHA256_CTX()
        var result = MerkleHash(zero: ())
        var prefix = prefix
        SHA256_Init(&context)
        SHA256_Update(&context, &prefix, 1)
        SHA256_Update(&context, bytes.baseAddress, bytes.count)
        Swift.withUnsafeMutableBytes(of: &result.storage) { _ = SHA256_Final($0.baseAddress!.assumingMemoryBound(to: UInt8.self), &context) }
        return result
    }

    private init(zero: Void) {
        storage = SIMD32()
    }

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyTree = MerkleHash(digest: SHA256.hash(data: Data()))

    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { LowercaseHex.encode(bytes) }
}
