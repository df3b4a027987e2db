import CGMCrypto
import Foundation

/// SM3 (GB/T 32905), the national hash: 32-byte digests.
public enum SM3 {
    public static func hash(_ data: some DataProtocol) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array(data)
        let ok = bytes.withUnsafeBufferPointer { sluice_sm3($0.baseAddress, $0.count, &digest) }
        precondition(ok == 1, "libcrypto has no SM3")
        return digest
    }

    /// HMAC-SM3 (RFC 2104 with SM3) of `data` under `key`.
    public static func authenticationCode(_ data: some DataProtocol, key: some DataProtocol) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        let keyBytes = Array(key)
        let bytes = Array(data)
        let ok = keyBytes.withUnsafeBufferPointer { key in
            bytes.withUnsafeBufferPointer { data in sluice_hmac_sm3(key.baseAddress, key.count, data.baseAddress, data.count, &mac) }
        }
        precondition(ok == 1, "libcrypto has no HMAC-SM3")
        return mac
    }
}
