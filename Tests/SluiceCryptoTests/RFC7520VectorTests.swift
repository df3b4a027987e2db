import Crypto
import Foundation
import Testing

@testable import SluiceCrypto

/// RFC 7520 (JOSE cookbook) vectors for the steps Sluice's envelopes share with them. The
/// cookbook has no example of exactly `ECDH-ES+A256KW` with `A256GCM`, so §5.4 checks the
/// same ECDH-ES key agreement, Concat KDF and AES key unwrap at 128 bits on P-384, then
/// AES-GCM with the protected header as AAD; §5.9 checks `zip: DEF` inflation.
@Suite("JOSE: RFC 7520 cookbook") struct RFC7520VectorTests {
    func b64(_ text: String) throws -> Data { try #require(Base64URL.decode(text)) }

    static let plaintext =
        "You can trust us to stick with you through thick and thin–to the bitter end. And you can trust us to keep any secret of yours–closer than you keep it yourself. But you cannot trust us to let you face trouble alone, and go off without a word. We are your friends, Frodo."

    /// §5.4: Key Agreement with Key Wrapping Using ECDH-ES and AES-KeyWrap with AES-GCM.
    @Test func section5_4ECDHESKeyWrapAndAESGCM() throws {
        let recipient = try P384.KeyAgreement.PrivateKey(rawRepresentation: b64("iTx2pk7wW-GqJkHcEkFQb2EFyYcO7RugmaW3mRrQVAOUiPommT0IdnYK2xDlZh-j"))
        #expect(
            recipient.publicKey.rawRepresentation
                == (try b64("YU4rRUzdmVqmRtWOs2OpDE_T5fsNIodcG8G5FWPrTPMyxpzsSOGaQLpe2FpxBmu2")
                    + b64("A8-yxCHxkfBz3hKZfI1jUYMjUhsEveZ9THuwFjH2sCNdtksRJU7D5-SkgaFL1ETP")))
        let protected =
            "eyJhbGciOiJFQ0RILUVTK0ExMjhLVyIsImtpZCI6InBlcmVncmluLnRvb2tAdHVja2Jvcm91Z2guZXhhbXBsZSIsImVwayI6eyJrdHkiOiJFQyIsImNydiI6IlAtMzg0IiwieCI6InVCbzRrSFB3Nmtiang1bDB4b3dyZF9vWXpCbWF6LUdLRlp1NHhBRkZrYllpV2d1dEVLNml1RURzUTZ3TmROZzMiLCJ5Ijoic3AzcDVTR2haVkMyZmFYdW1JLWU5SlUyTW84S3BvWXJGRHI1eVBOVnRXNFBnRXdaT3lRVEEtSmRhWTh0YjdFMCJ9LCJlbmMiOiJBMTI4R0NNIn0"
        let header = try #require(try JSONSerialization.jsonObject(with: b64(protected)) as? [String: Any])
        let ephemeral = try P384.KeyAgreement.PublicKey(rawRepresentation: CompactJWE.epkPoint(header, curve: "P-384", size: 48))
        let shared = try recipient.sharedSecretFromKeyAgreement(with: ephemeral)
        let contentKey = try CompactJWE.unwrap(b64("0DJjBXri_kBcC46IkU5_Jk9BqaQeHdv2"), shared: shared, header: header)
        #expect(contentKey.withUnsafeBytes { Data($0) } == (try b64("Nou2ueKlP70ZXDbq9UrRwg")))

        let box = try AES.GCM.SealedBox(
            nonce: AES.GCM.Nonce(data: b64("mH-G2zVqgztUtnW_")),
            ciphertext: b64(
                "tkZuOO9h95OgHJmkkrfLBisku8rGf6nzVxhRM3sVOhXgz5NJ76oID7lpnAi_cPWJRCjSpAaUZ5dOR3Spy7QuEkmKx8-3RCMhSYMzsXaEwDdXta9Mn5B7cCBoJKB0IgEnj_qfo1hIi-uEkUpOZ8aLTZGHfpl05jMwbKkTe2yK3mjF6SBAsgicQDVCkcY9BLluzx1RmC3ORXaM0JaHPB93YcdSDGgpgBWMVrNU1ErkjcMqMoT_wtCex3w03XdLkjXIuEr2hWgeP-nkUZTPU9EoGSPj6fAS-bSz87RCPrxZdj_iVyC6QWcqAu07WNhjzJEPc4jVntRJ6K53NgPQ5p99l3Z408OUqj4ioYezbS6vTPlQ"
            ),
            tag: b64("WuGzxmcreYjpHGJoa17EBg"))
        let opened = try AES.GCM.open(box, using: contentKey, authenticating: Data(protected.utf8))
        #expect(String(decoding: opened, as: UTF8.self) == Self.plaintext)

        // The same unwrap refuses a wrapped key that was altered, and our `decrypt` still
        // refuses the algorithm itself: only ECDH-ES+A256KW opens envelopes.
        var altered = try b64("0DJjBXri_kBcC46IkU5_Jk9BqaQeHdv2")
        altered[3] ^= 1
        #expect(throws: JOSEError.self) { try CompactJWE.unwrap(altered, shared: shared, header: header) }
        #expect(!CompactJWE.allowedKeyAlgorithms.contains("ECDH-ES+A128KW"))
    }

    /// §5.9: Compressed Content — the cookbook's DEFLATE output inflates to the plaintext,
    /// after AES key unwrap and AES-GCM with its values; the inflation limit holds.
    @Test func section5_9CompressedContent() throws {
        let key = SymmetricKey(data: try b64("GZy6sIZ6wl9NJOKB-jnmVQ"))
        let contentKey = try AES.KeyWrap.unwrap(b64("5vUT2WOtQxKWcekM_IzVQwkGgzlFDwPi"), using: key)
        #expect(contentKey.withUnsafeBytes { Data($0) } == (try b64("hC-MpLZSuwWv8sexS6ydfw")))
        let protected = "eyJhbGciOiJBMTI4S1ciLCJraWQiOiI4MWIyMDk2NS04MzMyLTQzZDktYTQ2OC04MjE2MGFkOTFhYzgiLCJlbmMiOiJBMTI4R0NNIiwiemlwIjoiREVGIn0"
        let box = try AES.GCM.SealedBox(
            nonce: AES.GCM.Nonce(data: b64("p9pUq6XHY0jfEZIl")),
            ciphertext: b64(
                "HbDtOsdai1oYziSx25KEeTxmwnh8L8jKMFNc1k3zmMI6VB8hry57tDZ61jXyezSPt0fdLVfe6Jf5y5-JaCap_JQBcb5opbmT60uWGml8blyiMQmOn9J--XhhlYg0m-BHaqfDO5iTOWxPxFMUedx7WCy8mxgDHj0aBMG6152PsM-w5E_o2B3jDbrYBKhpYA7qi3AyijnCJ7BP9rr3U8kxExCpG3mK420TjOw"
            ),
            tag: b64("VILuUwuIxaLVmh5X-T7kmA"))
        let compressed = try AES.GCM.open(box, using: contentKey, authenticating: Data(protected.utf8))
        #expect(
            compressed
                == (try b64(
                    "bY_BDcIwDEVX-QNU3QEOrIA4pqlDokYxchxVvbEDGzIJbioOSJwc-f___HPjBu8KVFpVtAplVE1-wZo0YjNZo3C7R5v72pV5f5X382VWjYQpqZKAyjziZOr2B7kQPSy6oZIXUnDYbVKN4jNXi2u0yB7t1qSHTjmMODf9QgvrDzfTIQXnyQRuUya4zIWG3vTOdir0v7BRHFYWq3k1k1A_gSDJqtcBF-GZxw8"
                )))
        let inflated = try Deflate.decompress(compressed, limit: 1 << 20)
        #expect(String(decoding: inflated, as: UTF8.self) == Self.plaintext)
        #expect(throws: (any Error).self) { try Deflate.decompress(compressed, limit: 100) }
    }
}
