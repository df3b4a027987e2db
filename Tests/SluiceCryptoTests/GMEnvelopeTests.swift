import Foundation
import SluiceCrypto
import Testing

/// The GM profile's envelope: sealed and opened here, every part tampered, the wrong keys
/// refused; and both ways with GmSSL and gmalg (Helpers/gm_peer.py), code nobody here wrote.
@Suite("GM-profile envelopes") struct GMEnvelopeTests {
    static let payload = Data(#"{"header":{"package_id":"p1"},"records":[{"name":"欧**","id_number":"h:…"}]}"#.utf8)

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    struct Parties {
        let gateway = try! SM2Key.generate()
        let consumer = try! SM2Key.generate()
        let stranger = try! SM2Key.generate()
    }

    @Test func sealedEnvelopesOpenWithTheConsumersKeyAndTheGatewaysSignature() throws {
        let parties = Parties()
        let compact = try GMEnvelopeSealer(signingKey: parties.gateway).seal(Self.payload, for: parties.consumer.publicKey)
        let header = try #require(
            (try JSONSerialization.jsonObject(with: Base64URL.decode(compact.split(separator: ".")[0])!)) as? [String: String])
        #expect(header == ["alg": "SM2", "enc": "SM4-CBC-HMAC-SM3", "cty": "JOSE", "kid": GMJOSE.keyID(parties.consumer)])
        let opened = try GMEnvelopeOpener(key: parties.consumer, signer: parties.gateway.publicKey).open(compact)
        #expect(opened == Self.payload)

        #expect(throws: JOSEError.decryptionFailed) { try GMEnvelopeOpener(key: parties.stranger, signer: parties.gateway).open(compact) }
        #expect(throws: JOSEError.badSignature) { try GMEnvelopeOpener(key: parties.consumer, signer: parties.stranger).open(compact) }
    }

    @Test(arguments: 0..<5) func everyPartTamperedIsRefused(_ part: Int) throws {
        let parties = Parties()
        let compact = try GMEnvelopeSealer(signingKey: parties.gateway).seal(Self.payload, for: parties.consumer.publicKey)
        var parts = compact.split(separator: ".").map(String.init)
        var bytes = Array(Base64URL.decode(parts[part])!)
        if part == 0 {
            // A header that still parses: `cty` changed, so only the tag can tell.
            bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "JOSE", with: "JOSF").utf8)
        } else {
            bytes[bytes.count / 2] ^= 0x01
        }
        parts[part] = Base64URL.encode(bytes)
        #expect(throws: JOSEError.self) { try GMEnvelopeOpener(key: parties.consumer, signer: parties.gateway).open(parts.joined(separator: ".")) }
    }

    @Test func otherAlgorithmsAndAForgedInnerSignatureAreRefused() throws {
        let parties = Parties()
        // The international profile's algorithms in a GM envelope's header.
        let sealed = try GMJOSE.encrypt(Self.payload, to: parties.consumer, contentType: nil, compressed: false)
        var header = String(decoding: Base64URL.decode(sealed.encodedHeader)!, as: UTF8.self)
        header = header.replacingOccurrences(of: "SM4-CBC-HMAC-SM3", with: "A256GCM")
        let swapped = SealedEnvelope(
            encodedHeader: Base64URL.encode(Array(header.utf8)), encryptedKey: sealed.encryptedKey, iv: sealed.iv, ciphertext: sealed.ciphertext,
            tag: sealed.tag)
        #expect(throws: JOSEError.algorithmNotAllowed("JWE enc A256GCM")) { try GMJOSE.decrypt(swapped.compact, with: parties.consumer) }
        // A JWS signed by someone else, encrypted properly to the consumer: decrypts, then fails.
        let forged = try GMJOSE.sign(Self.payload, with: parties.stranger)
        let envelope = try GMJOSE.encrypt(Data(forged.utf8), to: parties.consumer, contentType: "JOSE", compressed: false)
        #expect(throws: JOSEError.badSignature) { try GMEnvelopeOpener(key: parties.consumer, signer: parties.gateway).open(envelope.compact) }
        // `alg: none` and an international JWS are not GM signatures.
        let unsigned = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Self.payload) + "."
        #expect(throws: JOSEError.algorithmNotAllowed("JWS alg none")) { try GMJOSE.verify(unsigned, with: parties.gateway) }
    }

    @Test func largePayloadsAreDeflatedAndTheInflationLimitHolds() throws {
        let parties = Parties()
        let large = Data(String(repeating: #"{"name":"欧**","notes":"案情"}"#, count: 20_000).utf8)
        let compact = try GMEnvelopeSealer(signingKey: parties.gateway).seal(large, for: parties.consumer)
        #expect(compact.utf8.count < large.count / 4, "deflated")
        #expect(try GMEnvelopeOpener(key: parties.consumer, signer: parties.gateway).open(compact) == large)
        #expect(throws: JOSEError.self) {
            try GMEnvelopeOpener(key: parties.consumer, signer: parties.gateway, inflationLimit: 64 << 10).open(compact)
        }
    }

    // MARK: With GmSSL and gmalg

    static func peer(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let helper = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Helpers/gm_peer.py").path
        return try ExternalTool.run(["python3", helper] + arguments)
    }

    static func scalar(_ key: SM2Key) throws -> String {
        // The PEM is what a partner holds; the peer takes the scalar, read back from it here.
        let pem = try key.pem(includingPrivate: true)
        return try hex(privateScalar(pem))
    }

    /// The private scalar from PKCS#8 PEM, as the peer wants it: the 32 bytes after the
    /// ECPrivateKey's `04 20` octet-string header.
    static func privateScalar(_ pem: String) throws -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: body).map(Array.init))
        let marker: [UInt8] = [0x02, 0x01, 0x01, 0x04, 0x20]
        let start = try #require((0..<(der.count - marker.count)).first { Array(der[$0..<($0 + marker.count)]) == marker })
        return Array(der[(start + marker.count)..<(start + marker.count + 32)])
    }

    @Test(arguments: [false, true]) func gmsslAndGmalgOpenWhatSluiceSeals(_ large: Bool) throws {
        let parties = Parties()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let payload = large ? Data(String(repeating: #"{"name":"欧**"}"#, count: 10_000).utf8) : Self.payload
        let file = folder.path + "/envelope.jwe"
        try GMEnvelopeSealer(signingKey: parties.gateway).seal(payload, for: parties.consumer.publicKey).write(
            toFile: file, atomically: true, encoding: .utf8)
        let opened = try Self.peer(["open", file, try Self.scalar(parties.consumer), Self.hex(parties.gateway.publicPoint)])
        #expect(opened.status == 0, "\(opened.output)")
        #expect(opened.output.hasSuffix("ok\n"))
        #expect(opened.output.hasPrefix(Self.hex(SM3.hash(payload))), "\(opened.output)")
    }

    @Test(arguments: [false, true]) func sluiceOpensWhatGmsslSeals(_ zip: Bool) throws {
        let parties = Parties()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.path + "/payload.json"
        try Self.payload.write(to: URL(fileURLWithPath: file))
        let sealed = try Self.peer(
            ["seal", file, try Self.scalar(parties.gateway), Self.hex(parties.gateway.publicPoint), Self.hex(parties.consumer.publicPoint)]
                + (zip ? ["--zip"] : []))
        #expect(sealed.status == 0, "\(sealed.output)")
        let compact = sealed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try GMEnvelopeOpener(key: parties.consumer, signer: parties.gateway).open(compact) == Self.payload)
        #expect(throws: JOSEError.badSignature) { try GMEnvelopeOpener(key: parties.consumer, signer: parties.stranger).open(compact) }
    }

    /// `mask: hash` in a gm agreement: HKDF and HMAC with SM3, as GmSSL computes them; not
    /// the international profile's pseudonym of the same value.
    @Test func gmPseudonymsAreHMACSM3AsGmsslComputesThem() throws {
        let secretBytes = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        let secret = PseudonymSecret(bytes: secretBytes)
        let value = "11010519491231002X"
        let gm = AgreementPseudonymizer(secret: secret, agreementID: "tax-arrears-records", profile: .gm).pseudonym(of: value)
        let jose = AgreementPseudonymizer(secret: secret, agreementID: "tax-arrears-records", profile: .jose).pseudonym(of: value)
        #expect(gm.count == 24 && gm != jose)
        let peer = try Self.peer(["pseudonym", Self.hex(secretBytes), "tax-arrears-records", value])
        #expect(peer.status == 0, "\(peer.output)")
        #expect(peer.output.trimmingCharacters(in: .whitespacesAndNewlines) == gm)
    }
}
