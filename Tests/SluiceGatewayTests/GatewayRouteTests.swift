import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore
import SwiftASN1
import Testing

@testable import SluiceGateway

/// Every route and every role, in process: the gateway's own router, middlewares, state,
/// SQLite store and audit trail, with only the TLS handshake left out — the caller's
/// certificate is named by a test header that exists only in this test's identity
/// source. The curl tests of the live gateway cover the TLS path.
@Suite("Routes in process") struct GatewayRouteTests {
    /// A development gateway in a temporary folder: certificates for the repository's
    /// example agencies, their agreements applied.
    final class Fixture: Sendable {
        let folder: String
        let state: GatewayState

        /// `postgres`: the store's database (otherwise the SQLite file in the folder).
        init(clock: @escaping @Sendable () -> Date = { Date() }, postgres: String? = nil) throws {
            folder = NSTemporaryDirectory() + "sluice-routes-" + UUID().uuidString
            let agreements = folder + "/Agreements"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.repositoryAgreements, toPath: agreements)
            let registry = try String(contentsOfFile: agreements + "/agencies.yaml", encoding: .utf8)
            let agencies = try AgencyRegistryDecoder().decode(registry, file: "agencies.yaml")
            var configuration = GatewayConfiguration()
            configuration.dataDirectory = folder + "/.sluice"
            configuration.certsDirectory = folder + "/Certs"
            configuration.agreementsDirectory = agreements
            configuration.store.postgres = postgres
            _ = try DevelopmentPKI(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory)
                .ensure(agencies: agencies.agencies)
            _ = try PseudonymSecret.ensure(at: PseudonymSecret.path(inDataDirectory: configuration.dataDirectory))
            _ = try CheckpointKeyFile(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory)
                .ensure(name: "routes.test/audit")
            state = try GatewayState(configuration: configuration, clock: clock)
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        static var repositoryAgreements: String {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Agreements").path
        }

        /// The test's identity source: the certificate `sluice init` made for the agency
        /// the `X-Test-Agency` header names, as the TLS layer would have presented it.
        var router: Router<GatewayRequestContext> { router(for: state) }

        /// The same identity source in front of another gateway's state (one on the same store).
        func router(for state: GatewayState) -> Router<GatewayRequestContext> {
            let certs = state.configuration.certsDirectory
            return GatewayRouter(state: state) { request, _ in
                guard let agency = request.headers[.init("X-Test-Agency")!] else { return nil }
                let certificate = try #require(try CertificateFile.read(certs + "/agencies/\(agency).pem").first)
                var der = DER.Serializer()
                try der.serialize(certificate)
                return state.presentedCertificates.identity(derEncoded: der.serializedBytes)
            }.build()
        }

        func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: router).test(.router, body)
        }

        /// A request through another gateway's state.
        func test(through state: GatewayState, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: router(for: state)).test(.router, body)
        }

        /// The newest audit entries, oldest first, as JSON objects.
        func lastEntries(_ count: Int) throws -> [[String: Any]] {
            try state.store.read { store in
                let size = try store.audit.size()
                return try (size - min(UInt64(count), size)..<size).compactMap { sequence in
                    try store.audit.entry(at: sequence).flatMap { entry in
                        try JSONSerialization.jsonObject(with: Data(entry.json.utf8)) as? [String: Any]
                    }
                }
            }
        }

        func auditSize() throws -> UInt64 { try state.store.read { store in try store.audit.size() } }
    }

    static let psb = "district-psb", procuratorate = "district-procuratorate", admin = "gateway-admin", auditor = "security-officer"

    static func headers(_ agency: String?, _ extra: [(String, String)] = []) -> HTTPFields {
        var fields = HTTPFields()
        if let agency { fields[.init("X-Test-Agency")!] = agency }
        for (name, value) in extra { fields[.init(name)!] = value }
        return fields
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static let record = #"{"case_no":"A1","name":"欧阳娜娜","id_number":"11010519491231002X","phone":"13812345678"}"#

    @Test func aPackageGoesFromProviderToConsumerThroughEveryPartnerRoute() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let submitted = try await client.execute(
                uri: "/v1/agreements/psb-household-check/packages", method: .post,
                headers: Self.headers(Self.psb, [("Content-Type", "application/x-ndjson"), ("Idempotency-Key", "k-1")]),
                body: ByteBuffer(string: Self.record + "\n"))
            #expect(submitted.status == .created)
            let receipt = try Self.json(submitted)
            let packageID = try #require(receipt["package_id"] as? String)
            #expect(receipt["receipt_type"] as? String == ReceiptIssuer.type)

            // The same key and body again: the first receipt, 200.
            let repeated = try await client.execute(
                uri: "/v1/agreements/psb-household-check/packages", method: .post,
                headers: Self.headers(Self.psb, [("Content-Type", "application/x-ndjson"), ("Idempotency-Key", "k-1")]),
                body: ByteBuffer(string: Self.record + "\n"))
            #expect(repeated.status == .ok)
            #expect(try Self.json(repeated)["package_id"] as? String == packageID)

            let agreements = try await client.execute(uri: "/v1/agreements", method: .get, headers: Self.headers(Self.procuratorate))
            #expect(agreements.status == .ok)
            let listed = try #require(try Self.json(agreements)["agreements"] as? [[String: Any]])
            #expect(listed.contains { $0["id"] as? String == "psb-household-check" })

            let inbox = try await client.execute(uri: "/v1/inbox", method: .get, headers: Self.headers(Self.procuratorate))
            #expect(inbox.status == .ok)
            let packages = try #require(try Self.json(inbox)["packages"] as? [[String: Any]])
            #expect(packages.map { $0["package_id"] as? String } == [packageID])

            let fetched = try await client.execute(uri: "/v1/packages/\(packageID)", method: .get, headers: Self.headers(Self.procuratorate))
            #expect(fetched.status == .ok)
            #expect(fetched.headers[.contentType] == "application/jose")
            #expect(String(buffer: fetched.body).split(separator: ".").count == 5)

            // The provider is not the consumer: the package does not exist for it.
            let stranger = try await client.execute(uri: "/v1/packages/\(packageID)", method: .get, headers: Self.headers(Self.psb))
            #expect(stranger.status == .notFound)

            let acknowledged = try await client.execute(
                uri: "/v1/packages/\(packageID)/ack", method: .post, headers: Self.headers(Self.procuratorate))
            #expect(acknowledged.status == .ok)
            #expect(try Self.json(acknowledged)["first_time"] as? Bool == true)
        }
        let actions = try fixture.lastEntries(7).map { $0["action"] as? String }
        #expect(
            actions == [
                "submit.accepted", "submit.accepted", "agreement.listed", "inbox.listed", "package.fetched", "access.denied",
                "package.acknowledged",
            ])
    }

    /// Each route, called by each role that may not call it: 403 and an audited denial,
    /// before the handler runs (nothing else is written).
    @Test func everyRouteRefusesTheRolesItIsNotFor() async throws {
        let fixture = try Fixture()
        let routes = GatewayRouter(state: fixture.state).routes
        try await fixture.test { client in
            for route in routes {
                guard case .roles(let roles) = route.access else { continue }
                let path = route.path.replacingOccurrences(of: ":agreement", with: "psb-household-check")
                    .replacingOccurrences(of: ":package", with: "p").replacingOccurrences(of: ":agency", with: Self.psb)
                    .replacingOccurrences(of: ":version", with: "1")
                for (agency, role) in [(Self.psb, AgencyRole.partner), (Self.admin, .admin), (Self.auditor, .auditor)] where !roles.contains(role) {
                    let before = try fixture.auditSize()
                    let response = try await client.execute(
                        uri: path, method: route.method, headers: Self.headers(agency), body: ByteBuffer(string: "{}"))
                    #expect(response.status == .forbidden, "\(route.method) \(route.path) as \(role)")
                    if route.path.hasPrefix("/console") {
                        // The console's pages answer the officer's browser with a page.
                        #expect(String(buffer: response.body).contains(#"data-problem="role-required""#))
                    } else {
                        #expect(try Self.json(response)["type"] as? String == GatewayProblem.Kind.roleRequired.typeURI)
                    }
                    let entries = try fixture.lastEntries(Int(try fixture.auditSize() - before))
                    #expect(entries.map { $0["action"] as? String } == ["access.denied"], "\(route.method) \(route.path) as \(role)")
                }
            }
        }
    }

    /// Each route, called by a role it is for, gets past the role check.
    @Test func everyRouteLetsItsOwnRolesThrough() async throws {
        let fixture = try Fixture()
        let routes = GatewayRouter(state: fixture.state).routes
        try await fixture.test { client in
            for route in routes {
                let path = route.path.replacingOccurrences(of: ":agreement", with: "psb-household-check")
                    .replacingOccurrences(of: ":package", with: "p").replacingOccurrences(of: ":agency", with: "nobody")
                    .replacingOccurrences(of: ":version", with: "1")
                let allowed: [AgencyRole] = if case .roles(let roles) = route.access { roles } else { [.partner, .admin, .auditor] }
                // Requests are made by the agreement's consumer, packages by its provider.
                let partner = route.path == "/v1/agreements/:agreement/requests" ? Self.procuratorate : Self.psb
                for role in allowed {
                    let agency = role == .partner ? partner : role == .admin ? Self.admin : Self.auditor
                    // Bodies are left empty: a state change must not happen here.
                    let response = try await client.execute(uri: path, method: route.method, headers: Self.headers(agency))
                    #expect(response.status != .forbidden, "\(route.method) \(route.path) as \(role): \(String(buffer: response.body))")
                    #expect(response.status.code < 500, "\(route.method) \(route.path) as \(role): \(String(buffer: response.body))")
                }
            }
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllowAndUnknownPathsAre404() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let wrong = try await client.execute(uri: "/v1/inbox", method: .delete, headers: Self.headers(Self.procuratorate))
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET")
            let both = try await client.execute(uri: "/v1/admin/agreements", method: .put, headers: Self.headers(Self.admin))
            #expect(both.headers[.allow] == "GET, POST")
            let unknown = try await client.execute(uri: "/v1/nothing-here", method: .get, headers: Self.headers(Self.procuratorate))
            #expect(unknown.status == .notFound)
            // A trailing slash names the same path, as the router reads it.
            let slashed = try await client.execute(uri: "/v1/inbox/", method: .get, headers: Self.headers(Self.procuratorate))
            #expect(slashed.status == .ok)
            let console = try await client.execute(uri: "/console/", method: .post, headers: Self.headers(Self.auditor))
            #expect(console.status == .methodNotAllowed && console.headers[.allow] == "GET")
        }
        let reasons = try fixture.lastEntries(5).map { $0["reason"] as? String }
        #expect(reasons == ["method-not-allowed", "method-not-allowed", "no-such-route", nil, "method-not-allowed"])
    }

    @Test func aRequestWithoutACertificateIsRefusedBeforeAnyRoute() async throws {
        let fixture = try Fixture()
        let before = try fixture.auditSize()
        try await fixture.test { client in
            for path in ["/healthz", "/v1/inbox", "/v1/admin/agencies", "/v1/audit/entries", "/v1/nothing-here"] {
                let response = try await client.execute(uri: path, method: .get, headers: Self.headers(nil))
                #expect(response.status == .forbidden, "\(path)")
                #expect(try Self.json(response)["type"] as? String == GatewayProblem.Kind.unknownCertificate.typeURI)
            }
        }
        // Counted in the bounded ledger, not one entry per request.
        #expect(try fixture.auditSize() == before)
    }

    /// The table the 405 answers come from holds exactly the API's paths.
    @Test func theRouteTableKnowsEachPathAndNothingElse() throws {
        let fixture = try Fixture()
        let table = RouteTable(GatewayRouter(state: fixture.state).routes)
        let expected: [(String, [String]?)] = [
            ("/healthz", ["GET"]), ("/metrics", ["GET"]), ("/v1/agreements", ["GET"]), ("/v1/inbox", ["GET"]),
            ("/v1/agreements/a/packages", ["POST"]), ("/v1/packages/p", ["GET"]), ("/v1/packages/p/ack", ["POST"]),
            ("/v1/admin/agreements", ["GET", "POST"]), ("/v1/admin/agencies", ["GET", "POST"]),
            ("/v1/admin/agreements/a/history", ["GET"]), ("/v1/admin/agreements/a/versions/2", ["GET"]),
            ("/v1/admin/agreements/a/suspend", ["POST"]), ("/v1/admin/agreements/a/activate", ["POST"]),
            ("/v1/admin/agreements/a/revoke", ["POST"]), ("/v1/admin/agencies/x/revoke", ["POST"]), ("/v1/admin/keys/rotate", ["POST"]),
            ("/v1/audit/entries", ["GET"]), ("/v1/audit/checkpoint", ["GET"]), ("/v1/audit/export", ["GET"]),
            ("/v1/audit/proof/inclusion", ["GET"]), ("/v1/audit/proof/consistency", ["GET"]), ("/v1/audit/verification", ["GET", "POST"]),
            ("/console", ["GET"]), ("/console/", ["GET"]), ("/v1/inbox/", ["GET"]), ("/console/entries", ["GET"]), ("/console/entries/5", ["GET"]),
            ("/console/integrity", ["GET"]),
            ("/console/requests", ["GET"]),
            ("/console/assets/console.js", ["GET"]), ("/console/other", nil),
            ("/v1/agreements/a/requests", ["POST"]), ("/v1/requests", ["GET"]), ("/v1/requests/r", ["GET"]),
            ("/v1/requests/r/packages", ["POST"]), ("/v1/requests/r/decline", ["POST"]), ("/v1/requests/r/answer", nil),
            ("/v1/packages/", nil), ("/v1/packages", nil), ("/v1/inbox/x", nil), ("/v1/admin/agreements/a/delete", nil), ("/", nil),
            ("/v1/audit/proof/other", nil), ("/v2/inbox", nil), ("/v1/admin/keys/rotate/now", nil),
        ]
        for (path, methods) in expected {
            #expect(table.allowedMethods(for: path) == methods, "\(path)")
        }
    }
}
