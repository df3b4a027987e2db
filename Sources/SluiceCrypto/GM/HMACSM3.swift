import CGMCrypto
import Foundation

/// HMAC-SM3 (RFC 2104 with SM3's 64-byte block) fed in pieces, so that a large payload is
/// authenticated where it lies, without being copied into one buffer first.
final class HMACSM3 {
    private var inner: OpaquePointer?
    private let outerPad: [UInt8]

    init(key: [UInt8]) {
        var block = key.count > 64 ? SM3.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        guard let state = sluice_sm3_begin() else { preconditionFailure("libcrypto has no SM3") }
        inner = state
        outerPad = block.map { $0 ^ 0x5C }
        let innerPad = block.map { $0 ^ 0x36 }
        _ = sluice_sm3_update(inner, innerPad, 64)
    }

    deinit { sluice_sm3_free(inner) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let inner, let base = bytes.baseAddress else { return }
        _ = sluice_sm3_update(inner, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The MAC; the hasher is spent afterwards.
    func finish() -> [UInt8] {
        guard let state = inner else { preconditionFailure("an HMAC-SM3 finished twice") }
        inner = nil
        var innerDigest = [UInt8](repeating: 0, count: 32)
        precondition(sluice_sm3_finish(state, &innerDigest) == 1, "SM3 failed")
        return SM3.hash(outerPad + innerDigest)
    }
}
