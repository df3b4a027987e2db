import Crypto
import Foundation
import SluiceCore
import SluiceCrypto
import Testing

@testable import SluiceGateway

@Suite("Submission intake, agreement gate, configuration") struct SubmissionIntakeTests {
    static let today = CalendarDate(iso8601: "2026-11-29")!

    static func agreement(status: String = "active", from: String = "2025-01-01", until: String = "2026-12-31", maxBytes: Int = 1000)
        throws -> Agreement
    {
        try AgreementDecoder().decode(
            """
            id: t
            title: t
            provider: a
            consumer: b
            purpose: p
            legal_basis: l
            valid_from: \(from)
            valid_until: \(until)
            status: \(status)
            on_unlisted_field: reject
            limits: { max_records: 3, max_package_bytes: \(maxBytes), rate_per_minute: 10 }
            retention_days: 1
            fields:
              - { name: case_no, type: string, required: true }
              - { name: phone, type: cn_mobile, mask: redact }
            """, file: "t.yaml")
    }

    static func intake(_ agreement: Agreement, limits: GatewayConfiguration.Limits = .init()) -> SubmissionIntake {
        SubmissionIntake(
            agreement: agreement, format: .ndjson, limits: limits,
            pseudonymizer: AgreementPseudonymizer(secret: PseudonymSecret(bytes: [UInt8](repeating: 1, count: 32)), agreementID: "t"),
            today: today)
    }

    static func kind(_ body: () throws -> Void) -> GatewayProblem.Kind? {
        do { try body() } catch let problem as GatewayProblem { return problem.kind } catch { return nil }
        return nil
    }

    @Test func recordsStreamInMaskedWithTheBodysDigest() throws {
        var intake = Self.intake(try Self.agreement())
        let body = Array("{\"case_no\":\"A1\",\"phone\":\"13812345678\"}\n{\"case_no\":\"A2\"}\n".utf8)
        for chunk in stride(from: 0, to: body.count, by: 7) { try intake.feed(body[chunk..<min(body.count, chunk + 7)]) }
        let result = try intake.finish()
        #expect(result.records.count == 2)
        #expect(result.records[0]["phone"] == .string("[REDACTED]"))
        #expect(result.bodySHA256 == SHA256Hex.of(body))
        #expect(result.bodyBytes == body.count)
    }

    @Test func theBodyLimitStopsTheStreamAsSoonAsItIsPassed() throws {
        var intake = Self.intake(try Self.agreement(maxBytes: 64))
        try intake.feed(Array(repeating: UInt8(ascii: " "), count: 60))
        #expect(Self.kind { try intake.feed(Array(repeating: UInt8(ascii: " "), count: 10)) } == .bodyTooLarge)
    }

    @Test func recordDepthAndCountLimitsAre422WithTheRecordNumber() throws {
        var limits = GatewayConfiguration.Limits()
        limits.maxDepth = 2
        var deep = Self.intake(try Self.agreement(), limits: limits)
        var problem: GatewayProblem?
        do { try deep.feed(Array("{\"case_no\":{\"a\":{\"b\":1}}}\n".utf8)) } catch { problem = error }
        #expect(problem?.kind == .limitExceeded)
        #expect(problem?.errors.first?.record == 1)

        var many = Self.intake(try Self.agreement())
        let four = String(repeating: "{\"case_no\":\"x\"}\n", count: 4)
        #expect(Self.kind { try many.feed(Array(four.utf8)) } == .limitExceeded)
    }

    @Test func unlistedFieldsAndInvalidValuesAreNamedNeverShown() throws {
        var unlisted = Self.intake(try Self.agreement())
        var problem: GatewayProblem?
        do { try unlisted.feed(Array("{\"case_no\":\"A1\",\"secret_field\":\"13812345678\"}\n".utf8)) } catch { problem = error }
        #expect(problem?.kind == .unlistedFields)
        #expect(problem?.fields == ["secret_field"])

        var invalid = Self.intake(try Self.agreement())
        try invalid.feed(Array("{\"case_no\":\"A1\"}\n{\"case_no\":\"A2\",\"phone\":\"12345\"}\n".utf8))
        problem = nil
        do { _ = try invalid.finish() } catch { problem = error }
        #expect(problem?.kind == .invalidRecords)
        #expect(problem?.errors.map(\.record) == [2])
        #expect(problem?.errors.first?.field == "phone")
        let document = String(decoding: problem?.document(requestID: "r") ?? [], as: UTF8.self)
        #expect(!document.contains("12345"))
        #expect(document.contains("\"type\":\"urn:sluice:problem:invalid-records\""))
    }

    @Test func agreementsLetPackagesThroughOnlyWhenActiveAndInTheirWindow() throws {
        #expect(AgreementGate.refusal(for: try Self.agreement(), on: Self.today) == nil)
        #expect(AgreementGate.refusal(for: try Self.agreement(status: "suspended"), on: Self.today)?.kind == .agreementSuspended)
        #expect(AgreementGate.refusal(for: try Self.agreement(status: "revoked"), on: Self.today)?.kind == .agreementRevoked)
        #expect(AgreementGate.refusal(for: try Self.agreement(status: "draft"), on: Self.today)?.kind == .agreementDraft)
        #expect(AgreementGate.refusal(for: try Self.agreement(until: "2026-11-28"), on: Self.today)?.kind == .agreementExpired)
        #expect(AgreementGate.refusal(for: try Self.agreement(until: "2026-11-29"), on: Self.today) == nil, "the last day is inclusive")
        #expect(
            AgreementGate.refusal(for: try Self.agreement(from: "2026-11-30", until: "2027-01-01"), on: Self.today)?.kind == .agreementNotYetValid)
    }

    @Test func configurationFileEnvironmentAndErrors() throws {
        let folder = NSTemporaryDirectory() + "sluice-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/sluice.yaml"
        try """
        listen: 0.0.0.0:9443
        data_dir: /var/lib/sluice
        limits:
          max_body_bytes: 10 MiB
        checkpoint:
          every_entries: 50
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let loaded = try GatewayConfigurationLoader().load(file: file, environment: ["SLUICE_LISTEN": "127.0.0.1:7443"])
        #expect(loaded.host == "127.0.0.1")
        #expect(loaded.port == 7443)
        #expect(loaded.dataDirectory == "/var/lib/sluice")
        #expect(loaded.limits.maxBodyBytes == 10 << 20)
        #expect(loaded.checkpointEveryEntries == 50)
        #expect(loaded.resolvedTLSKey == "/var/lib/sluice/keys/gateway-tls.key.pem")

        try "listen: 0.0.0.0:9443\nlisen: x\nlimits:\n  max_body: 5\n".write(toFile: file, atomically: true, encoding: .utf8)
        var failure: ValidationFailure?
        do { _ = try GatewayConfigurationLoader().load(file: file, environment: [:]) } catch { failure = error }
        let messages = failure?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 2)
        #expect(messages.first?.contains("sluice.yaml:2") == true)
        #expect(messages.first?.contains("did you mean \"listen\"") == true)
        #expect(messages.last?.contains("limits.max_body") == true)
    }
}

enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        var hash = Crypto.SHA256()
        hash.update(data: Data(bytes))
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

@Suite("Rate limits") struct RateLimitTests {
    @Test func aBucketAllowsItsRatePerMinuteAndSaysHowLongToWait() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var bucket = TokenBucket(perMinute: 6, now: start)
        for _ in 0..<6 { #expect(bucket.take(now: start) == nil) }
        let wait = bucket.take(now: start)
        #expect(wait.map { abs($0 - 10) < 0.001 } == true, "one token every 10 s")
        #expect(bucket.take(now: start.addingTimeInterval(10)) == nil)
        #expect(bucket.take(now: start.addingTimeInterval(10)) != nil)
    }

    @Test func eachAgencyAndAgreementHasItsOwnBucket() {
        let limiter = SubmissionRateLimiter()
        let now = Date()
        #expect(limiter.admit(agency: "a", agreement: "x", perMinute: 1, now: now) == nil)
        #expect(limiter.admit(agency: "a", agreement: "x", perMinute: 1, now: now) == 60)
        #expect(limiter.admit(agency: "a", agreement: "y", perMinute: 1, now: now) == nil)
        #expect(limiter.admit(agency: "b", agreement: "x", perMinute: 1, now: now) == nil)
    }
}
