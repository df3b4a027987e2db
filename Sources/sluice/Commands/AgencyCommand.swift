import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceClient
import SluiceCore
import SluiceCrypto
import SluiceStore
import X509

/// `sluice agency …`: the agencies in the gateway's registry and their certificates.
struct AgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency", abstract: "Register agencies and their certificates, list them, revoke certificates.",
        discussion: """
            Works through the gateway's API with --gateway (or --profile), or on the local data \
            directory as the gateway host's admin. People who administer or audit the gateway are \
            registered like agencies, with the admin or auditor role.
            """,
        subcommands: [AgencyAddCommand.self, AgencyListCommand.self, AgencyRevokeCommand.self, AgencyProvePossessionCommand.self])
}

/// `sluice agency add`.
struct AgencyAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Register an agency with its certificate, or add a new certificate to a registered agency.")

    @Argument(help: "Agency id (ASCII letters, digits, -, _ or .).") var agencyID: String
    @Option(help: "The agency's name.") var name: String
    @Option(name: .customLong("cert"), help: "The agency's client certificate (PEM) to register.") var certificate: String
    @Option(help: "A role: partner, admin or auditor (repeat, or separate with commas, for several).") var role: [String] = []
    @Option(
        name: .customLong("proof"),
        help: "For a further certificate of a registered agency: its proof of possession (`sluice agency prove-possession`).")
    var proof: String?
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var access: AgencyAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        let possession = try proof.map { path -> String in
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw CommandFailure.input("cannot read \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let pem = FileManager.default.contents(atPath: certificate).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw CommandFailure.input("cannot read \(certificate)")
        }
        // An SM2 certificate (what a registered agency's gm packages are sealed to) is
        // added the same way, with two admins.
        let sm2 = SM2Certificate.pemBlocks(pem).count == 1 ? try? SM2Certificate(pem: pem) : nil
        let parsed: [Certificate]
        if sm2 != nil {
            parsed = []
        } else {
            do { parsed = try CertificateFile.parse(pem, name: certificate) } catch { throw CommandFailure.input("\(error)") }
            guard parsed.count == 1 else { throw CommandFailure.input("\(certificate) must hold exactly one certificate, the agency's own") }
        }
        var roles: [AgencyRole] = []
        for text in role.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let value = AgencyRole(rawValue: text) else { throw CommandFailure.input("--role \(text) is not partner, admin or auditor") }
            roles.append(value)
        }
        let (id, name) = (agencyID, self.name)
        let addition = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                APIDocument.AgencyAddition.self,
                remote: { client in
                    try await client.post(
                        "/v1/admin/agencies",
                        body: try APIDocument.encoded(
                            APIDocument.AgencyAdditionRequest(
                                id: id, name: name, roles: roles.map(\.rawValue), certificate: pem, possessionProof: possession)))
                },
                local: { trail in
                    let enrolment = AgencyEnrolment(
                        trail: trail, by: Attribution(actor: AuditTrailOptions.localActor), policy: try trailOptions.enrolmentPolicy())
                    if let sm2 {
                        return APIDocument.AgencyAddition(try enrolment.addGMCertificate(agencyID: id, name: name, roles: roles, certificate: sm2))
                    }
                    return APIDocument.AgencyAddition(
                        try enrolment.add(id: id, name: name, roles: roles, certificate: parsed[0], possession: possession))
                })
        }
        if json { return try JSONOutput.print(addition) }
        if addition.pendingApproval == true {
            print("asked to add \(addition.sha256) to \(addition.agencyID): a second, different admin grants it with the same command")
        } else if !addition.certificateAdded {
            print("\(addition.sha256) was already registered for \(addition.agencyID); nothing changed")
        } else {
            print(
                (addition.agencyCreated ? "registered agency \(addition.agencyID)" : "added a certificate to \(addition.agencyID)")
                    + " (\(addition.sha256))")
        }
    }
}

/// `sluice agency list`.
struct AgencyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The registered agencies, their roles and certificates.")

    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var access: GatewayAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        struct Page: Codable { var agencies: [APIDocument.RegisteredAgency] }
        let page = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                Page.self, remote: { try await $0.get("/v1/admin/agencies") },
                local: { trail in APIDocument.AgencyList(try trail.store.read { store in try store.agencies.all() }) })
        }
        if json { return try JSONOutput.print(page) }
        var table = TextTable("ID", "NAME", "ROLES", "CERTIFICATE SHA-256", "PROFILE", "STATE")
        for agency in page.agencies {
            for certificate in agency.certificates {
                table.append(
                    agency.id, agency.name, agency.roles.joined(separator: ","), certificate.sha256, certificate.profile,
                    certificate.revokedAt.map { "revoked \($0)" } ?? "active")
            }
            if agency.certificates.isEmpty { table.append(agency.id, agency.name, agency.roles.joined(separator: ","), "-", "-", "no certificate") }
        }
        print(table.render())
    }
}

/// `sluice agency revoke`: take an agency's certificate out of service, at once.
struct AgencyRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke an agency's certificate; the gateway refuses it from the next request on.",
        discussion: "Revocation cannot be undone: register a new certificate with `sluice agency add` instead.")

    @Argument(help: "Agency id.") var agencyID: String
    @Option(name: .customLong("cert"), help: "SHA-256 fingerprint (hex) of the certificate to revoke, as `sluice agency list` shows it.")
    var fingerprint: String
    @Option(help: "Why, for the audit trail.") var reason: String
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var access: AgencyAccessOptions
    @OptionGroup var trailOptions: AuditTrailOptions

    func run() async throws {
        let (id, fingerprint, reason) = (agencyID, self.fingerprint, self.reason)
        let answer = try await AdminConnection.with(access.access, trailOptions) { connection in
            try await connection.decoded(
                APIDocument.Revocation.self,
                remote: { client in
                    try await client.post(
                        "/v1/admin/agencies/\(GatewayClient.segment(id))/revoke",
                        body: try APIDocument.encoded(APIDocument.RevocationRequest(fingerprint: fingerprint, reason: reason)))
                },
                local: { trail in
                    APIDocument.Revocation(
                        agencyID: id, fingerprint: fingerprint,
                        newlyRevoked: try AgencyEnrolment(
                            trail: trail, by: Attribution(actor: AuditTrailOptions.localActor), policy: try trailOptions.enrolmentPolicy()
                        )
                        .revoke(agencyID: id, fingerprint: fingerprint, reason: reason))
                })
        }
        if json { return try JSONOutput.print(answer) }
        print(
            answer.newlyRevoked
                ? "revoked \(answer.agencyID)'s certificate \(answer.sha256); the gateway refuses it from the next request"
                : "that certificate was already revoked")
    }
}

/// `sluice agency prove-possession`: run by the agency itself, with the key of a
/// certificate the gateway already holds for it, so an admin can register a new one.
struct AgencyProvePossessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove-possession",
        abstract: "Sign, as an agency, that a new certificate is yours too, for `sluice agency add --proof`.",
        discussion: """
            Packages for an agency are sealed to its newest certificate, so the gateway adds a \
            further certificate only with this statement, signed with the key of one the agency \
            already has registered. It names the agency and the new certificate's fingerprint and \
            is good for 7 days.
            """)

    @Argument(help: "Your agency id.") var agencyID: String
    @Option(name: .customLong("key"), help: "The private key of your certificate registered now (PEM, mode 0600).") var key: String
    @Option(name: .customLong("new-cert"), help: "The new certificate to register (PEM).") var newCertificate: String
    @Option(help: "Where to write the statement (default: standard output).") var output: String?

    func run() throws {
        if let output { try OutputFile.checkWritable(output) }
        let statement: String
        do {
            guard let certificate = try CertificateFile.read(newCertificate).first else { throw CommandFailure.input("no certificate") }
            statement = try CertificatePossession.statement(
                agency: agencyID, newCertificate: certificate, signedWith: try SigningKey(file: PrivateKeyFile(path: key)))
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
        if let output {
            try OutputFile.write(Array((statement + "\n").utf8), to: output)
        } else {
            print(statement)
        }
    }
}
