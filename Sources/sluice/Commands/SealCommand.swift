import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceGateway
import SluiceMasking
import X509

/// `sluice seal`: filter, mask, sign and encrypt a file offline, for a transfer across
/// an air gap. The result is a standard JWE any JOSE library opens.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Filter, mask and seal a file offline into a signed, encrypted envelope."
    )

    @Option(help: "An agreement file, or the id of an agreement in --dir.")
    var agreement: String
    @Option(help: "The records to seal (csv, ndjson or json).")
    var input: String
    @Option(help: "Input format (default: from the file extension).")
    var format: RecordFormat?
    @Option(name: .customLong("recipient-cert"), help: "The consumer's certificate (PEM); the envelope opens only with its key.")
    var recipientCertificate: String
    @Option(
        name: .customLong("trust"),
        help: "The agency CA the recipient's certificate must be issued by (default: the gateway's client CA, Certs/dev-ca.pem in development).")
    var trust: String?
    @Option(name: .customLong("signing-key"), help: "The gateway's signing key (PEM, mode 0600).")
    var signingKey: String
    @Option(name: .customLong("signing-cert"), help: "The gateway's signing certificate, then any intermediates (PEM).")
    var signingCertificate: String
    @Option(help: "Where to write the envelope (default: standard output).")
    var output: String?

    @OptionGroup var folder: AgreementFolderOptions
    @OptionGroup var data: DataDirectoryOptions

    func run() throws {
        let agreement = try MaskingRun.agreement(self.agreement, folder: folder)
        if let output { try OutputFile.checkWritable(output) }
        let seal = agreement.cryptoProfile == .gm ? try gmSealer() : try joseSealer()
        let (pseudonymizer, note) = try MaskingRun.pseudonymizer(for: agreement, dataDirectory: try data.resolved())
        if let note { StandardError.print("sluice: " + note) }

        var records: [RecordObject] = []
        let summary = try MaskingRun(agreement: agreement, pseudonymizer: pseudonymizer).run(
            input: input, format: try format ?? MaskingRun.format(ofFile: input), emit: { records.append($0) })
        StandardError.print(MaskingReport.text(summary, agreement: agreement))
        guard summary.isClean else { throw CommandFailure(message: "nothing sealed: fix the input first", exitCode: 2) }

        let header = PackageHeader(
            packageID: TimeOrderedID.make(), agreementID: agreement.id, agreementVersion: nil,
            provider: agreement.provider, consumer: agreement.consumer, createdAt: Self.now(),
            fields: agreement.deliveredFieldNames)
        let payload = PackagePayload(
            header: header, masking: summary.payloadObject(recordingUnlistedName: pseudonymizer.fieldNameDigest), records: records
        ).encodedData()
        let envelope = try seal(payload)
        if let output {
            try OutputFile.write((envelope + "\n").utf8, to: output)
            StandardError.print("sealed package \(header.packageID) (\(counted(records.count, "record"))) into \(output)")
        } else {
            print(envelope)
        }
    }

    /// Seals in the international profile, to a recipient certificate the agency CA issued.
    private func joseSealer() throws -> (Data) throws -> String {
        let recipient: Certificate
        let sealer: EnvelopeSealer
        do {
            guard let first = try CertificateFile.read(recipientCertificate).first else { throw CommandFailure.input("no recipient") }
            recipient = first
            let authorities = try CertificateFile.read(trust ?? Self.configuredClientCA())
            if let why = AgencyCertificateCheck(authorities: authorities).refusal(of: recipient) {
                throw CommandFailure.checkFailed("\(recipientCertificate) cannot receive packages: \(why)")
            }
            sealer = try EnvelopeSealer(
                signingKey: SigningKey(file: PrivateKeyFile(path: signingKey)), chain: CertificateFile.read(signingCertificate))
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
        return { payload in try sealer.seal(payload, for: recipient) }
    }

    /// Seals in the GM profile: an SM2 recipient certificate from the SM2 CA (`--trust`,
    /// default `gm.ca`), the gateway's SM2 signing key and certificate.
    private func gmSealer() throws -> (Data) throws -> String {
        do {
            let recipient = try SM2Certificate(pem: try String(contentsOfFile: recipientCertificate, encoding: .utf8))
            let anchorsPath = try trust ?? GatewayConfigurationLoader().load().resolvedGMCA
            let anchors = SM2Certificate.pemBlocks(try String(contentsOfFile: anchorsPath, encoding: .utf8)).compactMap {
                try? SM2Certificate(derEncoded: $0)
            }
            if let why = GMRecipientCheck(anchors: anchors).refusal(of: recipient) {
                throw CommandFailure.checkFailed("\(recipientCertificate) cannot receive gm packages: \(why)")
            }
            let key = try SM2Key(pem: String(decoding: try OwnerOnlyFile(path: signingKey).read(), as: UTF8.self))
            let certificate = try SM2Certificate(pem: try String(contentsOfFile: signingCertificate, encoding: .utf8))
            guard certificate.publicKey.publicPoint == key.publicPoint else {
                throw CommandFailure.input("\(signingCertificate) is not the SM2 certificate of \(signingKey)")
            }
            let sealer = try GMEnvelopeSealer(signingKey: key)
            return { payload in try sealer.seal(payload, for: recipient.publicKey) }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure.input("gm profile: \(error)")
        }
    }

    /// The agency CA of `sluice.yaml` (`tls.client_ca`), else the development CA.
    static func configuredClientCA() throws -> String {
        do { return try GatewayConfigurationLoader().load().resolvedClientCA } catch {
            throw CommandFailure.input("fix \(GatewayConfigurationLoader.fileName) or give --trust: \(error)")
        }
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
