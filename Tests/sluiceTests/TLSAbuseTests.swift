import Foundation
import Testing

/// What a client can try at the TLS layer beyond a missing or foreign certificate
/// (``ServeCommandTests``): a certificate out of its validity, the gateway's own
/// certificates presented as a client's, protocol versions below 1.2, renegotiation. Each
/// is refused before any handler runs, counted in `/metrics`, and reaches the trail only as
/// a bounded `auth.failed` entry.
@Suite("TLS abuse against a running gateway", .serialized) struct TLSAbuseTests {
    static func counter(_ metrics: String, _ prefix: String) -> Double {
        metrics.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
    }

    /// curl with `certificate` and `key` (paths in the gateway's folder): the status, 0
    /// when the handshake failed.
    static func request(_ gateway: GatewayProcess, certificate: String, key: String) throws -> Int {
        try gateway.curl([
            "-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", gateway.folder + "/Certs/dev-ca.pem", "--cert", gateway.folder + "/" + certificate,
            "--key", gateway.folder + "/" + key, gateway.url + "/v1/inbox",
        ]).status
    }

    @Test func certificatesOutOfTheirTimeOrForAnotherUseAreRefusedInTheHandshake() throws {
        let gateway = try GatewayProcess(configuration: "auth_failures: { interval_seconds: 3600 }\n")
        for kind in ["expired", "not-yet-valid"] {
            let made = try gateway.raw([
                "make-certificate", kind, gateway.folder + "/Certs/dev-ca.pem", gateway.folder + "/.sluice/keys/dev-ca.key.pem",
                gateway.folder + "/\(kind).pem", gateway.folder + "/\(kind).key",
            ])
            #expect(made.isEmpty, "\(made)")
            #expect(try Self.request(gateway, certificate: "\(kind).pem", key: "\(kind).key") == 0, "\(kind) certificate accepted")
        }
        // The gateway's TLS certificate (for servers) and its signing certificate (for
        // envelopes and receipts), each with its own key, presented as a client's.
        #expect(try Self.request(gateway, certificate: "Certs/gateway-tls.pem", key: ".sluice/keys/gateway-tls.key.pem") == 0)
        #expect(try Self.request(gateway, certificate: "Certs/gateway-signing.pem", key: ".sluice/keys/gateway-signing.key.pem") == 0)

        let metrics = try gateway.curl(as: "security-officer", [gateway.url + "/metrics"]).body
        #expect(Self.counter(metrics, "sluice_authentication_failures_total{reason=\"untrusted-certificate\"}") >= 4, "\(metrics.prefix(600))")
        #expect(gateway.stop() == 0)
        // None reached a handler: the only entries they made are bounded auth.failed ones.
        let trail = try gateway.exportedTrail()
        let failures = TrustBoundaryTests.entries(trail, action: "auth.failed")
        #expect(!failures.isEmpty && failures.count <= 3, "\(failures.count)")
        #expect(TrustBoundaryTests.entries(trail, action: "inbox.listed").isEmpty)
    }

    @Test func tlsBelowOnePointTwoAndRenegotiationAreRefused() throws {
        let gateway = try GatewayProcess(configuration: "auth_failures: { interval_seconds: 3600 }\n")
        let identity = [
            gateway.folder + "/Certs/dev-ca.pem", gateway.folder + "/Certs/agencies/district-psb.pem",
            gateway.folder + "/.sluice/keys/agencies/district-psb.key.pem",
        ]
        for version in ["1.0", "1.1"] {
            let answer = try gateway.raw(["old-version", "127.0.0.1", gateway.port] + identity + [version])
            #expect(answer.hasPrefix("REFUSED"), "TLS \(version): \(answer)")
        }

        // A client-initiated renegotiation on TLS 1.2 (openssl s_client's R command), then
        // a request on the same connection: no answer, the connection ended.
        let openssl = try #require(SluiceProcess.tool("openssl"))
        let script = gateway.folder + "/renegotiate.sh"
        try """
        (printf 'R\\n'; sleep 1; printf 'GET /v1/inbox HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n'; sleep 1) |
          "$1" s_client -tls1_2 -connect "127.0.0.1:$2" -CAfile "$3" -cert "$4" -key "$5" 2>&1
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let renegotiated = try SluiceProcess.run("/bin/sh", [script, openssl, gateway.port] + identity, in: gateway.folder)
        #expect(renegotiated.stdout.contains("RENEGOTIATING"), "\(renegotiated.stdout.suffix(400))")
        #expect(!renegotiated.stdout.contains("HTTP/1.1 200"), "a request after a renegotiation was answered")

        let metrics = try gateway.curl(as: "security-officer", [gateway.url + "/metrics"]).body
        #expect(Self.counter(metrics, "sluice_authentication_failures_total{reason=\"protocol-version\"}") >= 2, "\(metrics.prefix(600))")
        #expect(Self.counter(metrics, "sluice_authentication_failures_total{reason=\"renegotiation-refused\"}") == 1, "\(metrics.prefix(600))")
        #expect(gateway.stop() == 0)
        let trail = try gateway.exportedTrail()
        let reasons = Set(TrustBoundaryTests.entries(trail, action: "auth.failed").compactMap { $0["reason"] as? String })
        #expect(reasons == ["protocol-version", "renegotiation-refused"], "\(reasons)")
        #expect(TrustBoundaryTests.entries(trail, action: "inbox.listed").isEmpty, "the request after the renegotiation reached a handler")
    }
}
