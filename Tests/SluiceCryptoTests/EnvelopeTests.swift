import Crypto
import Foundation
import Testing
import X509
import _CryptoExtras

@testable import SluiceCrypto

@Suite("Sealed envelopes") struct EnvelopeTests {
    struct Parties {
        let ca: CertificateIssuer
        let caKey: Certificate.PrivateKey
        let sealer: EnvelopeSealer
        let gateway: Certificate
        let consumer: Certificate
        let consumerKey: DecryptionKey

        init(signer: SigningKey = .p256(P256.Signing.PrivateKey()), gatewayIssued: Date = Date(), gatewayDays: Int = 30) throws {
            caKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
            ca = try CertificateIssuer.selfSigned(subject: try DistinguishedName { CommonName("Test CA") }, key: caKey, validFor: 30)
            gateway = try ca.issue(
                subject: try DistinguishedName { CommonName("gateway") }, publicKey: signer.publicKey, profile: .documentSigning,
                validFor: gatewayDays, now: gatewayIssued)
            sealer = try EnvelopeSealer(signingKey: signer, chain: [gateway])
            let recipient = P256.KeyAgreement.PrivateKey()
            consumer = try ca.issue(
                subject: try DistinguishedName { CommonName("consumer") },
                publicKey: Certificate.PublicKey(try P256.Signing.PublicKey(rawRepresentation: recipient.publicKey.rawRepresentation)),
                profile: .tlsClient, validFor: 30)
            consumerKey = .p256(recipient)
        }

        /// An opener that holds `signers` as the gateway's signing certificates (by default
        /// the gateway's one).
        func opener(signers: [Certificate]? = nil, anchors: [Certificate]? = nil) -> EnvelopeOpener {
            EnvelopeOpener(key: consumerKey, trustAnchors: anchors ?? [ca.certificate], signers: signers ?? [gateway])
        }
    }

    let payload = Data(#"{"package_id":"p-1","records":[{"name":"张*"}]}"#.utf8)

    func failure(_ body: () async throws -> Void) async -> JOSEError? {
        do {
            try await body()
            return nil
        } catch let error as JOSEError {
            return error
        } catch {
            return .malformed("unexpected \(error)")
        }
    }

    @Test(arguments: ["P-256", "P-384", "Ed25519"])
    func sealsAndOpensWithEachSigningKey(kind: String) async throws {
        let signer: SigningKey =
            kind == "P-256"
            ? .p256(P256.Signing.PrivateKey()) : kind == "P-384" ? .p384(P384.Signing.PrivateKey()) : .ed25519(Curve25519.Signing.PrivateKey())
        let parties = try Parties(signer: signer)
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        #expect(sealed.split(separator: ".").count == 5)
        let opened = try await parties.opener().open(sealed)
        #expect(opened.payload == payload)
        #expect(opened.signer == parties.gateway)
    }

    @Test func rsaRecipientsUseOAEP256() async throws {
        let parties = try Parties()
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try parties.ca.issue(
            subject: try DistinguishedName { CommonName("rsa consumer") }, publicKey: Certificate.PublicKey(rsa.publicKey),
            profile: .tlsClient, validFor: 30)
        let sealed = try parties.sealer.seal(payload, for: certificate)
        let header = try #require(Base64URL.decode(sealed.split(separator: ".")[0]))
        #expect(String(decoding: header, as: UTF8.self).contains(#""alg":"RSA-OAEP-256""#))
        let opener = EnvelopeOpener(
            key: try DecryptionKey(pem: rsa.pemRepresentation), trustAnchors: [parties.ca.certificate], signers: [parties.gateway])
        #expect(try await opener.open(sealed).payload == payload)
    }

    @Test func aFlippedBitAnywhereIsRefused() async throws {
        let parties = try Parties()
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let parts = sealed.split(separator: ".").map(String.init)
        for index in parts.indices {
            var bytes = try #require(Base64URL.decode(parts[index]))
            guard !bytes.isEmpty else { continue }
            bytes[bytes.count / 2] ^= 0x01
            var altered = parts
            altered[index] = Base64URL.encode(bytes)
            let error = await failure { _ = try await parties.opener().open(altered.joined(separator: ".")) }
            #expect(error != nil, "part \(index) altered but opened")
        }
    }

    @Test func theWrongRecipientKeyCannotOpen() async throws {
        let parties = try Parties()
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let stranger = EnvelopeOpener(key: .p256(P256.KeyAgreement.PrivateKey()), trustAnchors: [parties.ca.certificate])
        #expect(await failure { _ = try await stranger.open(sealed) } == .decryptionFailed)
    }

    @Test func aSignerOutsideTheTrustAnchorsIsRefused() async throws {
        let parties = try Parties()
        let other = try Parties()
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let error = await failure { _ = try await parties.opener(anchors: [other.ca.certificate]).open(sealed) }
        guard case .untrustedSigner = error else {
            Issue.record("expected untrustedSigner, got \(String(describing: error))")
            return
        }
    }

    @Test func anExpiredSignerIsRefused() async throws {
        let parties = try Parties(gatewayIssued: Date().addingTimeInterval(-10 * 86_400), gatewayDays: 1)
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let error = await failure { _ = try await parties.opener().open(sealed) }
        guard case .untrustedSigner(let why) = error, why.contains("expired") else {
            Issue.record("expected an expiry refusal, got \(String(describing: error))")
            return
        }
    }

    /// An agency's certificate chains to the same CA as the gateway's: a provider sealing
    /// its own unmasked records with it must not pass for the gateway.
    @Test func anAgencyOfTheSameCASigningAsTheGatewayIsRefused() async throws {
        let parties = try Parties()
        let agencyKey = SigningKey.p256(P256.Signing.PrivateKey())
        let agency = try parties.ca.issue(
            subject: try DistinguishedName { CommonName("district-psb") }, publicKey: agencyKey.publicKey, profile: .tlsClient,
            validFor: 30)
        let forged = try EnvelopeSealer(signingKey: agencyKey, chain: [agency]).seal(payload, for: parties.consumer)
        let error = await failure { _ = try await parties.opener().open(forged) }
        guard case .unexpectedSigner = error else {
            Issue.record("expected unexpectedSigner, got \(String(describing: error))")
            return
        }
        // Nor does a partner who was handed the agency's certificate as the gateway's.
        let named = await failure { _ = try await parties.opener(signers: [agency]).open(forged) }
        guard case .notGatewaySigner(let why) = named, why.contains("district-psb") else {
            Issue.record("expected notGatewaySigner naming the signer, got \(String(describing: named))")
            return
        }
        // Nor one that carries the agency's chain in `x5c` to a partner holding no certificate.
        let carried = try CompactJWE.encrypt(
            Data(try CompactJWS.sign(payload, with: agencyKey, chain: [agency]).utf8), to: parties.consumer.publicKey, contentType: "JOSE")
        let chained = await failure { _ = try await parties.opener(signers: []).open(carried) }
        guard case .notGatewaySigner = chained else {
            Issue.record("expected notGatewaySigner, got \(String(describing: chained))")
            return
        }
    }

    @Test func aSigningCertificateThatAlsoAuthenticatesClientsIsRefused() async throws {
        let parties = try Parties()
        let key = SigningKey.p256(P256.Signing.PrivateKey())
        let both = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.publicKey, notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(86_400), issuer: parties.ca.certificate.subject,
            subject: try DistinguishedName { CommonName("both") },
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([GatewaySigningProfile.documentSigning, .clientAuth])
            }, issuerPrivateKey: parties.caKey)
        let sealed = try EnvelopeSealer(signingKey: key, chain: [both]).seal(payload, for: parties.consumer)
        let error = await failure { _ = try await parties.opener(signers: [both]).open(sealed) }
        guard case .notGatewaySigner = error else {
            Issue.record("expected notGatewaySigner, got \(String(describing: error))")
            return
        }
    }

    @Test func anUnexpectedSignerIsRefused() async throws {
        let parties = try Parties()
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let error = await failure { _ = try await parties.opener(signers: [parties.consumer]).open(sealed) }
        guard case .unexpectedSigner = error else {
            Issue.record("expected unexpectedSigner, got \(String(describing: error))")
            return
        }
    }

    /// The inner JWS names its signer by thumbprint only, so common JOSE libraries read its
    /// header with their defaults (joserfc refuses protected headers over 512 bytes).
    @Test func theSignedHeaderIsSmallAndNamesItsCertificate() async throws {
        let parties = try Parties(signer: .p384(P384.Signing.PrivateKey()))
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let inner = try CompactJWS(String(decoding: try CompactJWE.decrypt(sealed, with: parties.consumerKey).1, as: UTF8.self))
        #expect(inner.protectedHeader.utf8.count < 256)
        #expect(inner.header["x5c"] == nil)
        let expected = Base64URL.encode(Data(SHA256.hash(data: try parties.gateway.derBytes())))
        #expect(inner.header["x5t#S256"] as? String == expected)
        #expect(inner.header["kid"] as? String == (try JSONWebKey(parties.gateway.publicKey).thumbprint))
    }

    @Test func aPartnerWithoutTheSigningCertificateIsToldToGiveIt() async throws {
        let parties = try Parties()
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let error = await failure { _ = try await parties.opener(signers: []).open(sealed) }
        guard case .signerNotGiven = error else {
            Issue.record("expected signerNotGiven, got \(String(describing: error))")
            return
        }
    }

    /// After a key rotation, packages sealed with the retired key still open for a partner
    /// that holds both certificates, and not for one that holds only the new.
    @Test func aRetiredSigningCertificateStillOpensItsPackages() async throws {
        let parties = try Parties()
        let sealedBefore = try parties.sealer.seal(payload, for: parties.consumer)
        let newKey = SigningKey.p256(P256.Signing.PrivateKey())
        let newCertificate = try parties.ca.issue(
            subject: try DistinguishedName { CommonName("gateway") }, publicKey: newKey.publicKey, profile: .documentSigning, validFor: 30)
        let sealedAfter = try EnvelopeSealer(signingKey: newKey, chain: [newCertificate]).seal(payload, for: parties.consumer)
        let both = parties.opener(signers: [newCertificate, parties.gateway])
        #expect(try await both.open(sealedBefore).signer == parties.gateway)
        #expect(try await both.open(sealedAfter).signer == newCertificate)
        let error = await failure { _ = try await parties.opener(signers: [newCertificate]).open(sealedBefore) }
        guard case .unexpectedSigner(let why) = error, why.contains("retired") else {
            Issue.record("expected unexpectedSigner, got \(String(describing: error))")
            return
        }
    }

    /// A JWS whose `x5t#S256` names one certificate while its `x5c` carries another.
    @Test func aThumbprintThatDoesNotNameTheCarriedCertificateIsRefused() async throws {
        let parties = try Parties()
        let other = try Parties()
        let key = parties.sealer.signingKey
        var header: [String: Any] = [
            "alg": key.algorithm, "x5t#S256": try SignerCheck.thumbprint(of: other.gateway),
            "x5c": [Data(try parties.gateway.derBytes()).base64EncodedString()],
        ]
        header["kid"] = try JSONWebKey(key.publicKey).thumbprint
        let encoded = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let inner = try CompactJWS.sign(payload, with: key, encodedHeader: encoded)
        let sealed = try CompactJWE.encrypt(Data(inner.utf8), to: parties.consumer.publicKey, contentType: "JOSE")
        let error = await failure { _ = try await parties.opener(signers: []).open(sealed) }
        guard case .malformed(let why) = error, why.contains("x5t#S256") else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
    }

    /// An attacker who can encrypt to the consumer (anyone: the key is public) forges
    /// inner tokens; each must be refused for what it is.
    @Test func forgedInnerTokensAreRefused() async throws {
        let parties = try Parties()
        func sealRaw(_ inner: String) throws -> String {
            try CompactJWE.encrypt(Data(inner.utf8), to: parties.consumer.publicKey, contentType: "JOSE")
        }
        func encoded(_ json: String) -> String { Base64URL.encode(Data(json.utf8)) }
        let body = Base64URL.encode(payload)

        let none = try sealRaw(encoded(#"{"alg":"none"}"#) + "." + body + ".")
        #expect(await failure { _ = try await parties.opener().open(none) } == .algorithmNotAllowed("JWS alg none"))

        // HS256 "signed" with the gateway's public key bytes: algorithm confusion.
        let hmacKey = SymmetricKey(data: parties.gateway.publicKey.subjectPublicKeyInfoBytes)
        let input = encoded(#"{"alg":"HS256"}"#) + "." + body
        let mac = Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: hmacKey)))
        let confused = try sealRaw(input + "." + mac)
        #expect(await failure { _ = try await parties.opener().open(confused) } == .algorithmNotAllowed("JWS alg HS256"))

        let signed = try CompactJWS.sign(payload, with: parties.sealer.signingKey, chain: [parties.gateway])
        let critical =
            encoded(#"{"alg":"ES256","crit":["exp-sluice"],"exp-sluice":1}"#) + "." + String(signed.split(separator: ".")[1]) + "."
            + String(signed.split(separator: ".")[2])
        #expect(await failure { _ = try await parties.opener().open(try sealRaw(critical)) } == .unsupportedCritical("exp-sluice"))
    }

    @Test func malformedAndDisallowedOuterTokens() async throws {
        let parties = try Parties()
        let sealed = try parties.sealer.seal(payload, for: parties.consumer)
        let truncated = String(sealed.prefix(sealed.count / 2))
        guard case .malformed = await failure({ _ = try await parties.opener().open(truncated) }) else {
            Issue.record("a truncated token was not reported as malformed")
            return
        }
        var parts = sealed.split(separator: ".").map(String.init)
        parts[0] = Base64URL.encode(Data(#"{"alg":"dir","enc":"A256GCM"}"#.utf8))
        #expect(await failure { _ = try await parties.opener().open(parts.joined(separator: ".")) } == .algorithmNotAllowed("JWE alg dir"))
        parts[0] = Base64URL.encode(Data(#"{"alg":"ECDH-ES+A256KW","enc":"A256GCM","zip":"LZW"}"#.utf8))
        #expect(await failure { _ = try await parties.opener().open(parts.joined(separator: ".")) } == .algorithmNotAllowed("JWE zip LZW"))
    }

    /// The gateway stores envelopes in parts and writes the compact text when one is
    /// fetched: the text must be the one `seal` makes, the parts must read back whole, and
    /// anything that is not that layout must be refused rather than served.
    @Test(arguments: [0, 100, 200_000])
    func envelopesInPartsReadBackAndOpenAsTheirCompactText(extra: Int) async throws {
        let parties = try Parties()
        let content = payload + Data(repeating: UInt8(ascii: " "), count: extra)
        let parts = try parties.sealer.sealedParts(content, for: JWERecipient(parties.consumer))
        let compact = parts.compact
        #expect(compact.utf8.count == parts.compactCount)
        let pieces = compact.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(pieces.count == 5)
        #expect(pieces[0] == parts.encodedHeader)
        #expect(pieces[3] == Base64URL.encode(parts.ciphertext))
        #expect(try await parties.opener().open(compact).payload == content)

        let stored = Array(parts.storedBytes)
        #expect(stored.count < compact.utf8.count)
        let back = try SealedEnvelope(stored: Data(stored))
        // Read from the middle of a larger buffer too (a slice whose indices do not start at 0).
        let padded = Data([0xAA, 0xBB] + stored + [0xCC])
        #expect(try SealedEnvelope(stored: padded[2..<(padded.count - 1)]) == parts)
        #expect(back == parts)
        #expect(back.compact == compact)
        // Rows written before the parts were kept hold the compact text; it reads back too.
        #expect(try SealedEnvelope(compact: compact) == parts)
        let lastDot = compact.lastIndex(of: ".")!
        for damaged in [
            String(compact[..<lastDot]), compact + ".",
            compact.replacingOccurrences(of: ".", with: "", options: [], range: lastDot..<compact.endIndex),
            String(compact.dropLast()) + "=", "", "....",
        ] {
            var refused = false
            do { _ = try SealedEnvelope(compact: damaged) } catch { refused = true }
            #expect(refused, "\(damaged.utf8.count) bytes")
        }

        var wrongVersion = stored
        wrongVersion[0] = 2
        var longerPart = stored
        longerPart[4] &+= 1
        var badHeader = stored
        badHeader[5] = UInt8(ascii: "=")
        for damaged in [Array(stored.dropLast()), stored + [0], wrongVersion, longerPart, badHeader, [], [1, 0, 0]] {
            var refused = false
            do { _ = try SealedEnvelope(stored: Data(damaged)) } catch { refused = true }
            #expect(refused, "\(damaged.count) bytes")
        }
    }

    /// `compresses(payloadBytes:)` is what servers decide where to seal by: it must say
    /// what sealing then does, on both sides of the threshold (48 KiB of payload, whose
    /// encoding is exactly 64 KiB).
    @Test func compressesSaysWhichPayloadsAreDeflated() throws {
        let parties = try Parties()
        for length in [1, 49_151, 49_152, 49_153, 49_154, 200_000] {
            let payload = Data(repeating: UInt8(ascii: "a"), count: length)
            let (header, _) = try CompactJWE.decrypt(try parties.sealer.seal(payload, for: parties.consumer), with: parties.consumerKey)
            #expect((header["zip"] as? String == "DEF") == EnvelopeSealer.compresses(payloadBytes: length), "length \(length)")
        }
        #expect(!EnvelopeSealer.compresses(payloadBytes: 49_152))
        #expect(EnvelopeSealer.compresses(payloadBytes: 49_153))
    }

    @Test func largePayloadsAreDeflatedAndInflateBack() async throws {
        let parties = try Parties()
        let records = Data((0..<5000).map { #"{"name":"张*","n":\#($0)}"# }.joined(separator: ",").utf8)
        let sealed = try parties.sealer.seal(records, for: parties.consumer)
        let header = try #require(Base64URL.decode(sealed.split(separator: ".")[0]))
        #expect(String(decoding: header, as: UTF8.self).contains(#""zip":"DEF""#))
        #expect(sealed.utf8.count < records.count / 2)
        #expect(try await parties.opener().open(sealed).payload == records)
    }

    /// Large payloads are signed and deflated a slice at a time; what comes out must be
    /// the JWS the whole-string signer makes, for every key kind and for lengths around
    /// the slice size (encodings that end with and without a partial group).
    @Test(arguments: ["P-256", "P-384", "Ed25519"])
    func theStreamedJWSIsTheOrdinaryOne(kind: String) async throws {
        let signer: SigningKey =
            kind == "P-256"
            ? .p256(P256.Signing.PrivateKey()) : kind == "P-384" ? .p384(P384.Signing.PrivateKey()) : .ed25519(Curve25519.Signing.PrivateKey())
        let parties = try Parties(signer: signer)
        var generator = SystemRandomNumberGenerator()
        for length in [65_536, 3 * 49_152 - 1, 3 * 49_152, 3 * 49_152 + 1, 3 * 49_152 + 2, 400_001] {
            let payload = Data((0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) })
            let sealed = try parties.sealer.seal(payload, for: parties.consumer)
            let (header, plaintext) = try CompactJWE.decrypt(sealed, with: parties.consumerKey)
            #expect(header["zip"] as? String == "DEF", "length \(length)")
            let inner = try CompactJWS(String(decoding: plaintext, as: UTF8.self))
            let reference = try CompactJWS(
                CompactJWS.sign(
                    payload, with: signer,
                    encodedHeader: try CompactJWS.encodedHeader(
                        for: signer, naming: parties.gateway, extraHeader: ["typ": EnvelopeSealer.payloadType])))
            #expect(inner.protectedHeader == reference.protectedHeader, "length \(length)")
            #expect(inner.payload == payload, "length \(length)")
            try inner.verify(with: parties.gateway.publicKey)
            #expect(try await parties.opener().open(sealed).payload == payload, "length \(length)")
        }
    }

    /// The protected header is written by hand: it must be exactly the sorted, compact
    /// JSON a generic writer makes of the same members, with the recipient's thumbprint
    /// as `kid` and an ephemeral key of the recipient's curve, for EC and RSA recipients.
    @Test(arguments: ["P-256", "P-384", "RSA"])
    func theProtectedHeaderIsSortedCompactJSON(kind: String) throws {
        let recipient: Certificate.PublicKey
        switch kind {
        case "P-256": recipient = Certificate.PublicKey(P256.Signing.PrivateKey().publicKey)
        case "P-384": recipient = Certificate.PublicKey(P384.Signing.PrivateKey().publicKey)
        default: recipient = Certificate.PublicKey(try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey)
        }
        for (contentType, compress) in [("JOSE", true), ("a \"quoted\" type", false)] {
            let sealed = try CompactJWE.encrypt(Data("payload".utf8), to: recipient, contentType: contentType, compress: compress)
            let encoded = String(sealed.prefix { $0 != "." })
            let json = try #require(Base64URL.decode(encoded))
            let members = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect(json == (try JSONSerialization.data(withJSONObject: members, options: [.sortedKeys, .withoutEscapingSlashes])))
            #expect(members["enc"] as? String == "A256GCM")
            #expect(members["kid"] as? String == (try JSONWebKey(recipient).thumbprint))
            #expect(members["cty"] as? String == contentType)
            #expect(members["zip"] as? String == (compress ? "DEF" : nil))
            let epk = members["epk"] as? [String: String]
            if kind == "RSA" {
                #expect(members["alg"] as? String == "RSA-OAEP-256")
                #expect(epk == nil)
            } else {
                #expect(members["alg"] as? String == "ECDH-ES+A256KW")
                #expect(epk?["kty"] == "EC")
                #expect(epk?["crv"] == kind)
                #expect(epk?.keys.sorted() == ["crv", "kty", "x", "y"])
            }
        }
    }

    /// A small envelope that would inflate to 64 MiB is refused at the opener's limit,
    /// before the inflated content is held.
    @Test func oversizedInflationIsRefused() async throws {
        let parties = try Parties()
        let bomb = try CompactJWE.encrypt(Data(count: 64 << 20), to: parties.consumer.publicKey, contentType: "JOSE", compress: true)
        #expect(bomb.utf8.count < 1 << 20)
        let opener = EnvelopeOpener(key: parties.consumerKey, trustAnchors: [parties.ca.certificate], inflationLimit: 1 << 20)
        #expect(await failure { _ = try await opener.open(bomb) } == .tooLarge(limit: 1 << 20))
    }
}
