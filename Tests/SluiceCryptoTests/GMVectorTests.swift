import Foundation
import SluiceCrypto
import Testing

/// The national standards' own examples, through the C module over libcrypto.
///
/// Sources (published by the Standardization Administration of China, free to read; the
/// values are facts of the algorithms, quoted here as test data):
/// - SM3: GB/T 32905-2016, Annex A, examples 1 and 2.
/// - SM4: GB/T 32907-2016, Annex A, example 1 (one block; example 2, a million rounds,
///   runs in `sluice-bench seal --gm-vectors`, not here).
/// - SM2: GB/T 32918.5-2017 (= GM/T 0003.5-2012), the signature example on the recommended
///   curve: its key pair, message "message digest", signer id "1234567812345678", and the
///   signature (r, s) made with the example's k.
@Suite("GB/T vectors for SM2, SM3 and SM4") struct GMVectorTests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test func sm3Examples() {
        #expect(SM3.hash(Array("abc".utf8)) == Self.hex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"))
        #expect(
            SM3.hash(Array(String(repeating: "abcd", count: 16).utf8)) == Self.hex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
        )
    }

    @Test func sm4Example() throws {
        let key = Self.hex("0123456789abcdeffedcba9876543210")
        let cipher = try SM4.block(encrypt: true, key: key, key)
        #expect(cipher == Self.hex("681edf34d206965e86b3e94f536e4246"))
        #expect(try SM4.block(encrypt: false, key: key, cipher) == key)
    }

    static let privateScalar = hex("3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8")
    static let publicPoint = hex(
        "04" + "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
            + "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13")
    static let signature = hex(
        "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
            + "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa")

    @Test func sm2SignatureExample() throws {
        let key = try SM2Key(privateScalar: Self.privateScalar)
        #expect(key.publicPoint == Self.publicPoint, "the public point of the example's private key")
        let verifier = try SM2Key(publicPoint: Self.publicPoint)
        let message = Array("message digest".utf8)
        #expect(verifier.isValidSignature(Self.signature, for: message))
        // The signer id is part of what is signed: OpenSSL's empty default does not verify.
        #expect(!verifier.isValidSignature(Self.signature, for: message, signerID: []))
        #expect(!verifier.isValidSignature(Self.signature, for: Array("message digesT".utf8)))
        var altered = Self.signature
        altered[63] ^= 1
        #expect(!verifier.isValidSignature(altered, for: message))
        // Our own signature over the same message verifies (k is random, so r ‖ s differs).
        let ours = try key.signature(for: message)
        #expect(ours != Self.signature && verifier.isValidSignature(ours, for: message))
    }

    @Test func sm2EncryptionRoundTripsAndRefusesOtherKeys() throws {
        let key = try SM2Key.generate()
        let other = try SM2Key.generate()
        let contentKey = (0..<32).map { UInt8($0) }
        let sealed = try key.publicKey.encrypt(contentKey)
        // ASN.1 SM2Cipher: SEQUENCE of x, y, the 32-byte C3 hash and the C2 ciphertext.
        #expect(sealed.first == 0x30 && sealed.count > 32 + 32 + 32 + 32)
        #expect(try key.decrypt(sealed) == contentKey)
        #expect(throws: GMError.self) { try other.decrypt(sealed) }
        var altered = sealed
        altered[altered.count - 1] ^= 1
        #expect(throws: GMError.self) { try key.decrypt(altered) }
        #expect(throws: GMError.self) { try key.publicKey.decrypt(sealed) }
    }

    @Test func sm2KeysRoundTripThroughPEMAndRefuseOtherCurvesAndBadPoints() throws {
        let key = try SM2Key.generate()
        let reread = try SM2Key(pem: try key.pem(includingPrivate: true))
        #expect(reread.isPrivate && reread.publicPoint == key.publicPoint)
        let publicOnly = try SM2Key(pem: try key.pem(includingPrivate: false))
        #expect(!publicOnly.isPrivate && publicOnly.publicPoint == key.publicPoint)
        var offCurve = key.publicPoint
        offCurve[64] ^= 1
        #expect(throws: GMError.self) { try SM2Key(publicPoint: offCurve) }
        #expect(throws: GMError.self) { try SM2Key(privateScalar: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: GMError.self) { try SM2Key(privateScalar: [UInt8](repeating: 0xFF, count: 32)) }
        // A P-256 key is not an SM2 key, whatever its PEM says.
        let p256 = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2
            OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r
            1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G
            -----END PRIVATE KEY-----
            """
        #expect(throws: GMError.self) { try SM2Key(pem: p256) }
    }
}
