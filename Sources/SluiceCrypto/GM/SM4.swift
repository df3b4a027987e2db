import CGMCrypto
import Foundation

/// SM4 (GB/T 32907), the national block cipher: 128-bit keys and blocks. Sluice uses it in
/// CBC mode with PKCS#7 padding, inside ``SM4CBCHMACSM3``.
public enum SM4 {
    public static let keySize = 16
    public static let blockSize = 16

    /// CBC with PKCS#7 padding. Decryption throws on a bad key size or bad padding (the
    /// caller has checked the MAC before: padding errors are then never an oracle).
    public static func cbc(encrypt: Bool, key: [UInt8], iv: [UInt8], _ input: [UInt8]) throws(GMError) -> [UInt8] {
        guard key.count == keySize, iv.count == blockSize else { throw .invalidKey("SM4 takes a 16-byte key and a 16-byte IV") }
        var output = [UInt8](repeating: 0, count: input.count + blockSize)
        var written = 0
        let ok = input.withUnsafeBufferPointer { bytes in
            sluice_sm4_cbc(encrypt ? 1 : 0, key, iv, bytes.baseAddress, bytes.count, &output, &written)
        }
        guard ok == 1 else { throw .operationFailed(encrypt ? "SM4-CBC encryption" : "SM4-CBC decryption") }
        output.removeSubrange(written...)
        return output
    }

    /// One block, unchained (for the standard's test vectors).
    public static func block(encrypt: Bool, key: [UInt8], _ input: [UInt8]) throws(GMError) -> [UInt8] {
        guard key.count == keySize, input.count == blockSize else { throw .invalidKey("SM4 takes a 16-byte key and a 16-byte block") }
        var output = [UInt8](repeating: 0, count: blockSize)
        guard sluice_sm4_block(encrypt ? 1 : 0, key, input, &output) == 1 else { throw .operationFailed("SM4") }
        return output
    }
}
