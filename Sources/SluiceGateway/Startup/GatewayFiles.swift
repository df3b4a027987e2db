import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// What the gateway reads from its data and certificate directories before it can serve:
/// its signing identity, the pseudonym secret, the checkpoint key, the enrolment policy and
/// the store with its audit trail. Every key file is held to owner-only modes; a
/// failure says what to fix.
struct GatewayFiles {
    var keys: GatewayKeys
    var enrolment: EnrolmentPolicy
    var pseudonymSecret: PseudonymSecret
    var store: any GatewayStore
    var trail: AuditTrail

    init(configuration: GatewayConfiguration) throws(GatewayStartupError) {
        do {
            let signingKey = try SigningKey(file: PrivateKeyFile(path: configuration.resolvedSigningKey))
            let chain = try CertificateFile.read(configuration.resolvedSigningCertificate)
            // The TLS key is held to the same rule as the others: readable by its owner only.
            _ = try OwnerOnlyFile(path: configuration.resolvedTLSKey).read()
            enrolment = try configuration.enrolmentPolicy()
            keys = try GatewayKeys(
                signingKey: signingKey, chain: chain, retired: try KeyRotation.retiredChains(configuration),
                gm: try Self.gmSigning(configuration, authorities: enrolment.gmAuthorities))
            pseudonymSecret = try PseudonymSecret.read(from: PseudonymSecret.path(inDataDirectory: configuration.dataDirectory))
            let checkpointKey = try CheckpointKeyFile(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory)
                .readSigner()
            store = try configuration.storeLocation().open(create: true)
            // With an SM2 signing key, every checkpoint is co-signed by it as well.
            let cosigner = try keys.gm.map { try SM2NoteKey(name: checkpointKey.name, key: $0.receipts.signingKey) }
            trail = AuditTrail(store: store, signer: checkpointKey, cosigner: cosigner, policy: configuration.checkpointPolicy)
        } catch StoreError.unavailable(let condition, let reason) {
            throw GatewayStartupError("\(condition.explanation) (\(reason))")
        } catch {
            throw GatewayStartupError("\(error) (for a development setup, run `sluice init` first)")
        }
    }

    /// The gateway's SM2 signing identity: from `gm.certificate` and `gm.key` when set (then
    /// required), else from the development layout when its files exist, else none. The
    /// certificate must hold the key, carry the document-signing usage and chain to `gm.ca`.
    static func gmSigning(_ configuration: GatewayConfiguration, authorities: [SM2Certificate]) throws -> GatewayKeys.GMSigning? {
        let configured = configuration.gmSigningKey != nil || configuration.gmSigningCertificate != nil
        let keyFile = OwnerOnlyFile(path: configuration.resolvedGMSigningKey)
        guard configured || (keyFile.exists && FileManager.default.fileExists(atPath: configuration.resolvedGMSigningCertificate)) else { return nil }
        let key = try SM2Key(pem: String(decoding: try keyFile.read(), as: UTF8.self))
        let certificateText = FileManager.default.contents(atPath: configuration.resolvedGMSigningCertificate).map {
            String(decoding: $0, as: UTF8.self)
        }
        let chain = SM2Certificate.pemBlocks(certificateText ?? "").compactMap { try? SM2Certificate(derEncoded: $0) }
        guard key.isPrivate, let certificate = chain.first, certificate.publicKey.publicPoint == key.publicPoint else {
            throw GatewayStartupError(
                "gm.certificate (\(configuration.resolvedGMSigningCertificate)) must be the SM2 certificate of gm.key (\(configuration.resolvedGMSigningKey))"
            )
        }
        guard certificate.hasExtendedKeyUsage(SM2CertificateIssuer.documentSigning) == true else {
            throw GatewayStartupError(
                "gm.certificate must carry the document-signing usage (1.3.6.1.5.5.7.3.36), as the gateway's signing certificate does")
        }
        do { try SM2ChainCheck(anchors: authorities).verify(certificate, intermediates: Array(chain.dropFirst())) } catch {
            throw GatewayStartupError("gm.certificate: \(error)")
        }
        return GatewayKeys.GMSigning(
            sealer: try GMEnvelopeSealer(signingKey: key), receipts: try GMReceiptIssuer(signingKey: key), certificate: certificate)
    }

    /// The registry as stored, filled from the agreements folder on a first start (an empty
    /// registry); afterwards the registry is the truth and the files are the admins'
    /// drafts, applied with `sluice agreement apply`. Returns the folder's catalog too, for
    /// ``StartupWarnings``.
    func registry(configuration: GatewayConfiguration) throws(GatewayStartupError) -> (RegistrySnapshot, AgreementCatalog) {
        let catalog = AgreementCatalog.load(
            paths: [configuration.agreementsDirectory],
            registryPath: configuration.agreementsDirectory + "/" + AgreementCatalog.registryFileName)
        do {
            _ = try RegistryBootstrap(trail: trail, actor: AuditActor(kind: .gateway, id: trail.signer.name), policy: enrolment)
                .importIfEmpty(catalog, certsDirectory: configuration.certsDirectory)
            return (try store.read { store in try store.registry() }, catalog)
        } catch {
            throw GatewayStartupError(
                "the registry is empty and \(configuration.agreementsDirectory) cannot fill it: \(error); run `sluice agreement validate \(configuration.agreementsDirectory)`"
            )
        }
    }
}

extension GatewayConfiguration {
    /// The SM2 co-signer of checkpoints for a command that signs them at the gateway's
    /// console: the gateway's SM2 signing key under the log's `name`, when it has one.
    public func checkpointCosigner(name: String) throws -> SM2NoteKey? {
        let keyFile = OwnerOnlyFile(path: resolvedGMSigningKey)
        guard gmSigningKey != nil || keyFile.exists else { return nil }
        return try SM2NoteKey(name: name, key: try SM2Key(pem: String(decoding: try keyFile.read(), as: UTF8.self)))
    }
}
