import Crypto
import Foundation
import Testing
import X509

@testable import SluiceCrypto

/// Published JOSE vectors: the RFCs' own examples for each step they cover.
@Suite("JOSE: published vectors") struct JOSEVectorTests {
    func b64(_ text: String) throws -> Data { try #require(Base64URL.decode(text)) }

    /// RFC 7518 Appendix C: ECDH-ES between the RFC's keys gives the printed Z, and the
    /// Concat KDF with AlgorithmID "A128GCM", PartyUInfo "Alice", PartyVInfo "Bob" gives
    /// the printed 128-bit key.
    @Test func rfc7518AppendixCConcatKDF() throws {
        let z: [UInt8] = [
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106, 72,
            246, 218, 167, 121, 140, 254, 144, 196,
        ]
        let alice = try P256.KeyAgreement.PrivateKey(rawRepresentation: b64("0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo"))
        let bob = try P256.KeyAgreement.PublicKey(
            rawRepresentation: b64("weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ") + b64("e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck"))
        let shared = try alice.sharedSecretFromKeyAgreement(with: bob).withUnsafeBytes { Array($0) }
        #expect(shared == z)
        let key = ConcatKDF.derive(
            sharedSecret: z, keyBits: 128, algorithm: "A128GCM", partyUInfo: Data("Alice".utf8), partyVInfo: Data("Bob".utf8))
        #expect(key.withUnsafeBytes { Base64URL.encode(Data($0)) } == "VqqN6vgjbSBcIijNcacQGg")
    }

    /// RFC 3394 §4.6: 256 bits of key data wrapped with a 256-bit KEK.
    @Test func rfc3394KeyWrap() throws {
        let kek = SymmetricKey(data: Array(0x00...0x1F) as [UInt8])
        let keyData = SymmetricKey(data: hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F"))
        let wrapped = try AES.KeyWrap.wrap(keyData, using: kek)
        #expect(Array(wrapped) == hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"))
        let unwrapped = try AES.KeyWrap.unwrap(wrapped, using: kek)
        #expect(unwrapped.withUnsafeBytes { Array($0) } == hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F"))
    }

    /// RFC 7515 Appendix A.3: the printed ES256 JWS verifies with the printed key, and a
    /// one-bit change to its payload does not.
    @Test func rfc7515AppendixA3ES256() throws {
        let x = try b64("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
        let y = try b64("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
        let key = Certificate.PublicKey(try P256.Signing.PublicKey(rawRepresentation: x + y))
        let jws =
            "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
        try CompactJWS(jws).verify(with: key)
        let altered = jws.replacingOccurrences(of: "eyJpc3MiOiJqb2UiLA0K", with: "eyJpc3MiOiJqb2YiLA0K")
        #expect(throws: JOSEError.badSignature) { try CompactJWS(altered).verify(with: key) }
    }

    /// RFC 8037 Appendix A.4: Ed25519 is deterministic, so signing the RFC's input with
    /// its key reproduces the printed signature; A.3 gives the key's RFC 7638 thumbprint.
    @Test func rfc8037Ed25519() throws {
        let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: b64("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"))
        #expect(Base64URL.encode(privateKey.publicKey.rawRepresentation) == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        let input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
        let signature = try SigningKey.ed25519(privateKey).sign(Data(input.utf8))
        #expect(Base64URL.encode(signature) == "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
        let key = Certificate.PublicKey(privateKey.publicKey)
        try CompactJWS(input + "." + Base64URL.encode(signature)).verify(with: key)
        #expect(try JSONWebKey(key).thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    /// RFC 7638 §3.1's RSA example key and its printed thumbprint.
    @Test func rfc7638Thumbprint() {
        let key = JSONWebKey(members: [
            "kty": "RSA", "e": "AQAB",
            "n":
                "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        ])
        #expect(key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { UInt8(text.dropFirst($0).prefix(2), radix: 16)! }
    }
}
