import CFuzzerDriver
import Crypto
import Foundation
import SluiceCrypto

/// An envelope as a consumer receives it: compact JWE opened with the consumer's key
/// (header, algorithms, `crit`, key agreement, decryption, DEFLATE bounded by the
/// inflation limit), the JWS inside it, and the stored form of an envelope. The key is a
/// fixed test key (scalar 0x11…11); the seed corpus holds envelopes sealed to it by
/// jwcrypto, and GM envelopes sealed to the SM2 key below. Refusals are errors; anything
/// else is a finding.
// Read only, by the one thread libFuzzer runs inputs on.
nonisolated(unsafe) private let key = DecryptionKey.p256(try! P256.KeyAgreement.PrivateKey(rawRepresentation: Data(repeating: 0x11, count: 32)))
/// The GM profile's opener takes the same inputs with a fixed SM2 key (scalar 0x11…11),
/// which also verifies the inner JWS with itself; seeds sealed to it are in the corpus.
nonisolated(unsafe) private let sm2 = try! SM2Key(privateScalar: [UInt8](repeating: 0x11, count: 32))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let opened = try? CompactJWE.decrypt(text, with: key, inflationLimit: 1 << 20) {
        _ = try? CompactJWS(String(decoding: opened.plaintext, as: UTF8.self))
    }
    if let opened = try? GMJOSE.decrypt(text, with: sm2, inflationLimit: 1 << 20) {
        _ = try? GMJOSE.verify(String(decoding: opened.plaintext, as: UTF8.self), with: sm2)
    }
    _ = try? CompactJWS(text)
    _ = try? SealedEnvelope(stored: Data(bytes))
    return 0
}

/// The executable's entry point, named as SwiftPM links it: libFuzzer's driver.
@_cdecl("FuzzEnvelope_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    sluice_fuzz_main(argc, argv, { data, size in fuzzEnvelope(data!, size) })
}
