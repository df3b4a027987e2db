import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluiceStore
import SluiceTestSupport
import Synchronization
import Testing

@testable import SluiceGateway

/// Two gateways on one PostgreSQL store, in process, behave as one: what one stores the
/// other serves, an Idempotency-Key holds across them, a registry change made through one
/// applies to the next request on the other, and a gateway whose database is lost answers
/// 503 and recovers by itself.
@Suite("Gateways sharing a PostgreSQL store") struct SharedStoreRouteTests {
    typealias Routes = GatewayRouteTests

    static func submit(_ client: any TestClientProtocol, key: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/agreements/psb-household-check/packages", method: .post,
            headers: Routes.headers(Routes.psb, [("Content-Type", "application/x-ndjson"), ("Idempotency-Key", key)]),
            body: ByteBuffer(string: Routes.record + "\n"))
    }

    @Test func twoGatewaysOnOneDatabaseActAsOne() async throws {
        let cluster = try PostgresCluster.shared.get()
        let database = try cluster.makeDatabase()
        let first = try Routes.Fixture(postgres: database.url)
        let second = try GatewayState(configuration: first.state.configuration, clock: { Date() })

        let submitted = try await Self.submitThroughFirst(first, key: "shared-1")
        try await first.test(through: second) { client in
            // The package the first stored is in the consumer's inbox on the second.
            let inbox = try await client.execute(uri: "/v1/inbox", method: .get, headers: Routes.headers(Routes.procuratorate))
            #expect(inbox.status == .ok)
            let packages = try #require(try Routes.json(inbox)["packages"] as? [[String: Any]])
            #expect(packages.map { $0["package_id"] as? String } == [submitted])
            let fetched = try await client.execute(uri: "/v1/packages/\(submitted)", method: .get, headers: Routes.headers(Routes.procuratorate))
            #expect(fetched.status == .ok)
            // The same key through the other gateway: the first receipt, not a second package.
            let repeated = try await Self.submit(client, key: "shared-1")
            #expect(repeated.status == .ok)
            #expect(try Routes.json(repeated)["package_id"] as? String == submitted)
        }

        // Suspended through the first: the second refuses from its next request on.
        try await first.test { client in
            let suspended = try await client.execute(
                uri: "/v1/admin/agreements/psb-household-check/suspend", method: .post, headers: Routes.headers(Routes.admin),
                body: ByteBuffer(string: #"{"reason":"review"}"#))
            #expect(suspended.status == .ok)
        }
        try await first.test(through: second) { client in
            let refused = try await Self.submit(client, key: "shared-2")
            #expect(String(buffer: refused.body).contains("urn:sluice:problem:agreement-suspended"))
            let activated = try await client.execute(
                uri: "/v1/admin/agreements/psb-household-check/activate", method: .post, headers: Routes.headers(Routes.admin),
                body: ByteBuffer(string: #"{"reason":"review done"}"#))
            #expect(activated.status == .ok)
        }
        _ = try await Self.submitThroughFirst(first, key: "shared-3")

        // The database lost under the second: 503, then served again without a restart.
        try cluster.psql("ALTER ROLE \(database.name) NOLOGIN")
        try cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(database.name)'")
        try await first.test(through: second) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<2 {
                statuses.append(try await client.execute(uri: "/v1/inbox", method: .get, headers: Routes.headers(Routes.procuratorate)).status)
            }
            #expect(statuses.last == .serviceUnavailable)
        }
        try cluster.psql("ALTER ROLE \(database.name) LOGIN")
        // The gateway's storage watch looks again (every `store.check_seconds` when serving)
        // and ends the outage, with its entry in the trail.
        var clock = ClockJump(wall: Date(), boot: ClockJump.bootTime())
        var jumped: UInt64?
        await StorageWatch(state: second, logger: Logger(label: "test")).look(&clock, trailSizeAtJump: &jumped)
        #expect(second.storage.current == nil)
        try await first.test(through: second) { client in
            let inbox = try await client.execute(uri: "/v1/inbox", method: .get, headers: Routes.headers(Routes.procuratorate))
            #expect(inbox.status == .ok)
            #expect(try #require(try Routes.json(inbox)["packages"] as? [[String: Any]]).count == 2)
        }
        // One trail, written by both, that verifies.
        let verification = try AuditVerifier(store: second.store, verifiers: [second.trail.signer.verifier]).verify()
        #expect(verification.findings.isEmpty)
    }

    /// Submits one package through the first gateway; its id.
    static func submitThroughFirst(_ fixture: Routes.Fixture, key: String) async throws -> String {
        let id = Mutex<String?>(nil)
        try await fixture.test { client in
            let response = try await submit(client, key: key)
            #expect(response.status == .created)
            id.withLock { $0 = try? Routes.json(response)["package_id"] as? String }
        }
        return try #require(id.withLock { $0 })
    }
}
