import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore
import SwiftASN1
import X509

/// Replacing one of the gateway's keys: the checkpoint key of the audit log, or the
/// signing key of envelopes and receipts. The rotation is an audit entry, and the two
/// keys are linked by signatures: the checkpoint holding the entry is signed by the old
/// and the new checkpoint key; a signing-key rotation yields a statement signed by the
/// old key naming the new one. What either key signed before stays verifiable.
public struct KeyRotation: Sendable {
    public enum Key: String, Sendable, CaseIterable {
        case signing
        case checkpoint
    }

    public let configuration: GatewayConfiguration
    public let trail: AuditTrail
    public let attribution: Attribution

    public init(configuration: GatewayConfiguration, trail: AuditTrail, by attribution: Attribution) {
        self.configuration = configuration
        self.trail = trail
        self.attribution = attribution
    }

    /// What a rotation did.
    public struct Outcome: Sendable {
        public var what: Key
        public var oldKeyID: String
        public var newKeyID: String
        /// The checkpoint that holds the rotation's entry.
        public var checkpoint: StoredCheckpoint
        /// For the signing key: the JWS by the old key naming the new key and certificate.
        public var statement: String?
        /// For the signing key: the new key and chain, for a running gateway to take up.
        public var signingKey: SigningKey?
        public var chain: [Certificate]
        /// For the first step of a rotation the agency's CA certifies: the PKCS #10 request.
        public var certificateRequest: String?
    }

    public static let statementType = "sluice-key-rotation+jws"

    /// A new checkpoint key under the same log name. The verifier file lists the new key
    /// first and keeps the old one; the private key file is replaced atomically.
    public func rotateCheckpointKey() throws -> Outcome {
        let keyFile = CheckpointKeyFile(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory)
        let old = trail.signer
        let new = try NoteSignerKey.generate(name: old.name)
        // Published before the checkpoint it signs exists, so no checkpoint is ever
        // signed by a key the verifier file lacks.
        try keyFile.publish(old.verifier)
        try keyFile.publish(new.verifier)
        let (oldID, newID) = (String(format: "%08x", old.verifier.keyID), String(format: "%08x", new.verifier.keyID))
        let checkpoint = try trail.rotate(
            to: new,
            recording: attribution.event(
                .keyRotated, .success, reason: "checkpoint key replaced",
                details: ["key": .names(["checkpoint"]), "old_key_id": .digest(oldID), "new_key_id": .digest(newID)]))
        try keyFile.install(new)
        return Outcome(
            what: .checkpoint, oldKeyID: oldID, newKeyID: newID, checkpoint: checkpoint, statement: nil, signingKey: nil, chain: [],
            certificateRequest: nil)
    }

    /// A new signing key, made by the gateway itself (no private key ever travels to it),
    /// with its certificate chain. On a development gateway the development CA issues the
    /// certificate at once. Otherwise the rotation takes two steps: without `newChainPEM`
    /// the gateway keeps a pending key beside the current one and answers with a
    /// certificate signing request for the agency's CA; with the chain that CA issued for
    /// it, the pending key goes into service.
    public func rotateSigningKey(newChainPEM: String?) throws -> Outcome {
        let oldKey = try SigningKey(file: PrivateKeyFile(path: configuration.resolvedSigningKey))
        let oldChain = try CertificateFile.read(configuration.resolvedSigningCertificate)
        let staging = PrivateKeyFile(path: configuration.resolvedSigningKey + ".next")
        let newKey: SigningKey
        let newChain: [Certificate]
        let pki = DevelopmentPKI(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory)
        if let newChainPEM {
            guard staging.exists else {
                throw AdministrationError.invalidInput(
                    "there is no pending signing key: rotate without a certificate first, and have your CA certify the request it gives")
            }
            newKey = try SigningKey(file: staging)
            do { newChain = try CertificateFile.parse(newChainPEM, name: "the new signing certificate") } catch {
                throw AdministrationError.invalidInput("the new signing certificate must be PEM: \(error)")
            }
        } else if PrivateKeyFile(path: pki.caKeyPath).exists {
            let key = P256.Signing.PrivateKey()
            newKey = .p256(key)
            newChain = [try pki.issueSigningCertificate(for: Certificate.PrivateKey(key))]
            if staging.exists { try FileManager.default.removeItem(atPath: staging.path) }
            try staging.write(Certificate.PrivateKey(key))
        } else {
            return try prepare(staging, oldKey: oldKey)
        }
        guard let leaf = newChain.first, leaf.publicKey == newKey.publicKey else {
            throw AdministrationError.invalidInput("the new certificate is not for the pending signing key")
        }
        if let why = GatewaySigningProfile.refusal(of: leaf) {
            throw AdministrationError.invalidInput("the new certificate cannot sign for the gateway: \(why)")
        }
        guard leaf.notValidBefore <= Date(), Date() < leaf.notValidAfter else {
            throw AdministrationError.invalidInput("the new certificate is not valid now")
        }
        let leafFingerprint = try CertificateFingerprint(leaf).description
        if try trail.store.read({ store in try store.agencies.owner(of: leafFingerprint) }) != nil {
            throw AdministrationError.invalidInput("the new certificate is registered for an agency; the gateway signs with a certificate of its own")
        }
        let oldID = try JSONWebKey(oldKey.publicKey).thumbprint
        let newID = try JSONWebKey(newKey.publicKey).thumbprint
        guard oldID != newID else { throw AdministrationError.invalidInput("the new signing key is the current one") }
        let now = AuditTime.format(Date())
        var payload: [UInt8] = []
        JSONWriter.append(
            .object(
                RecordObject([
                    ("key", .string("signing")), ("old_kid", .string(oldID)), ("new_kid", .string(newID)),
                    ("new_certificate_sha256", .string(leafFingerprint)), ("rotated_at", .string(now)),
                ])), to: &payload, sortingKeys: true)
        let statement = try CompactJWS.sign(
            Data(payload), with: oldKey,
            encodedHeader: try CompactJWS.encodedHeader(for: oldKey, chain: oldChain, extraHeader: ["typ": Self.statementType]))

        // The new key waits beside the old; the audit entry and its checkpoint commit;
        // then the files are swapped in, the old certificate kept as retired.
        let keyPath = configuration.resolvedSigningKey
        let committed = try trail.commit { transaction in
            try transaction.append(
                attribution.event(
                    .keyRotated, .success, reason: "signing key replaced",
                    details: [
                        "key": .names(["signing"]), "old_kid": .digest(oldID), "new_kid": .digest(newID),
                        "new_certificate_sha256": .digest(leafFingerprint),
                        "statement_sha256": .digest(LowercaseHex.encode(SHA256.hash(data: Data(statement.utf8)))),
                    ]))
            return try transaction.signCheckpoint()
        }
        let certificatePath = configuration.resolvedSigningCertificate
        let retiredFolder = Self.retiredFolder(configuration)
        try FileManager.default.createDirectory(atPath: retiredFolder, withIntermediateDirectories: true)
        try Self.writeChain(oldChain, to: retiredFolder + "/gateway-signing-\(oldID.prefix(12)).pem")
        try Self.writeChain(newChain, to: certificatePath)
        guard rename(staging.path, keyPath) == 0 else {
            throw KeyFileError.unreadable(path: keyPath, reason: String(cString: strerror(errno)))
        }
        return Outcome(
            what: .signing, oldKeyID: oldID, newKeyID: newID, checkpoint: committed.value, statement: statement, signingKey: newKey,
            chain: newChain, certificateRequest: nil)
    }

    /// The first step of a rotation the agency's CA certifies: a pending key (kept when
    /// one is already waiting) and a signing request for it, asking for the gateway
    /// signing profile. Audited; nothing changes in service.
    private func prepare(_ staging: PrivateKeyFile, oldKey: SigningKey) throws -> Outcome {
        if !staging.exists { try staging.write(Certificate.PrivateKey(P256.Signing.PrivateKey())) }
        let pending = try PrivateKeyFile(path: staging.path).read()
        let subject =
            try CertificateFile.read(configuration.resolvedSigningCertificate).first?.subject
            ?? DistinguishedName { CommonName("Sluice gateway signing") }
        let extensions = try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            try ExtendedKeyUsage([GatewaySigningProfile.documentSigning])
        }
        let request = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: pending,
            attributes: CertificateSigningRequest.Attributes([try .init(ExtensionRequest(extensions: extensions))]))
        let pem = try request.serializeAsPEM().pemString + "\n"
        let oldID = try JSONWebKey(oldKey.publicKey).thumbprint
        let newID = try JSONWebKey(pending.publicKey).thumbprint
        let committed = try trail.commit { transaction in
            try transaction.append(
                attribution.event(
                    .keyRotated, .success, reason: "signing key requested",
                    details: ["key": .names(["signing"]), "old_kid": .digest(oldID), "pending_kid": .digest(newID)]))
            return try transaction.signCheckpoint()
        }
        return Outcome(
            what: .signing, oldKeyID: oldID, newKeyID: newID, checkpoint: committed.value, statement: nil, signingKey: nil, chain: [],
            certificateRequest: pem)
    }

    /// Where retired signing chains are kept: beside the signing certificate, in `retired/`.
    static func retiredFolder(_ configuration: GatewayConfiguration) -> String {
        (configuration.resolvedSigningCertificate as NSString).deletingLastPathComponent + "/retired"
    }

    /// The retired signing chains, newest first: packages and receipts signed before a
    /// rotation name them, so partners are given them with the current one.
    static func retiredChains(_ configuration: GatewayConfiguration) throws -> [[Certificate]] {
        let folder = retiredFolder(configuration)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var dated: [(Date, [Certificate])] = []
        for name in names where name.hasPrefix("gateway-signing-") && name.hasSuffix(".pem") {
            let path = folder + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            dated.append((modified, try CertificateFile.read(path)))
        }
        return dated.sorted { $0.0 > $1.0 }.map(\.1)
    }

    /// The answer of the admin API and of `sluice keys rotate --json`.
    static func writeChain(_ chain: [Certificate], to path: String) throws {
        let pem = try chain.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
        try Data(pem.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
