import Crypto
import Foundation
import Testing

@testable import SluiceCrypto

/// The precomputed-pad HMAC against RFC 4231's HMAC-SHA-256 cases and against
/// swift-crypto's own `HMAC` on random keys and messages.
@Suite("HMAC-SHA-256") struct HMACSHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        key.withUnsafeBytes { HMACSHA256(key: $0) }.authenticationCode(for: message)
    }

    // RFC 4231 §4.2–4.8 (case 5 is a truncated MAC and is left out).
    @Test(arguments: [
        (
            [UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            [UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            Array(1...25), [UInt8](repeating: 0xCD, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            [UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            [UInt8](repeating: 0xAA, count: 131),
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func rfc4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(Self.hex(Self.mac(key: key, message: message)) == expected)
    }

    @Test func agreesWithSwiftCryptoOnRandomKeysAndMessages() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<500 {
            let key = (0..<Int.random(in: 0...150, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let message = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let reference = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
            #expect(Self.mac(key: key, message: message) == reference, "round \(round): key \(key.count) bytes, message \(message.count) bytes")
        }
    }

    @Test func oneKeyServesManyMessagesWithoutCarryingState() {
        let key = [UInt8](repeating: 0x0B, count: 20)
        let mac = key.withUnsafeBytes { HMACSHA256(key: $0) }
        let first = mac.authenticationCode(for: Array("Hi There".utf8))
        _ = mac.authenticationCode(for: [UInt8](repeating: 0x41, count: 1000))
        #expect(mac.authenticationCode(for: Array("Hi There".utf8)) == first)
    }
}

/// Pseudonyms partners already hold must not change: these were computed with Python's
/// `hmac` and `hashlib` (HKDF by RFC 5869, then HMAC-SHA-256, first 15 bytes in base32).
@Suite("Agreement pseudonyms") struct AgreementPseudonymizerTests {
    @Test(arguments: [
        ("psb-household-check", "13800138000", "46h7tbvuelauwwblivbzrlig"),
        ("psb-household-check", "张三", "haw6mfnfcym4motsnlhcrpfm"),
        ("court-case-exchange", "13800138000", "4fpeyod6y7j3vpzznwzmtioe"),
    ])
    func matchesAnIndependentComputation(agreement: String, value: String, expected: String) {
        let secret = PseudonymSecret(bytes: Array(UInt8(1)...UInt8(32)))
        #expect(AgreementPseudonymizer(secret: secret, agreementID: agreement).pseudonym(of: value) == expected)
    }
}

/// The pseudonyms' base32 against RFC 4648's own examples (section 10), in lower case
/// and without padding as pseudonyms write it.
@Suite("Base32") struct Base32Tests {
    @Test(arguments: [
        ("", ""), ("f", "my"), ("fo", "mzxq"), ("foo", "mzxw6"), ("foob", "mzxw6yq"), ("fooba", "mzxw6ytb"),
        ("foobar", "mzxw6ytboi"),
    ])
    func matchesRFC4648(input: String, expected: String) {
        let bytes = Array(input.utf8)
        #expect(bytes.withUnsafeBufferPointer(Base32.encode) == expected)
    }

    @Test func usesEveryDigitOfTheAlphabet() {
        // The values 0 to 31 in turn, five bits each: twenty bytes.
        var bits: [Bool] = []
        for value in 0..<32 { for shift in (0..<5).reversed() { bits.append((value >> shift) & 1 == 1) } }
        let bytes = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        #expect(bytes.withUnsafeBufferPointer(Base32.encode) == "abcdefghijklmnopqrstuvwxyz234567")
    }
}
