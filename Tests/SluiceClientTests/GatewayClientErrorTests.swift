import Foundation
import Testing

@testable import SluiceClient

@Suite("Gateway client") struct GatewayClientErrorTests {
    @Test func aProblemDocumentBecomesOneReadableError() {
        let body = Data(
            #"{"type":"urn:sluice:problem:invalid-records","title":"Records failed validation","status":422,"detail":"2 values failed validation","errors":[{"record":3,"field":"id_number","reason":"not a valid cn_id"},{"record":9,"reason":"required but missing"}]}"#
                .utf8)
        let error = GatewayClientError(status: 422, problem: body, retryAfter: nil)
        #expect(error.problemType == "urn:sluice:problem:invalid-records")
        #expect(error.errors == ["record 3, field id_number: not a valid cn_id", "record 9: required but missing"])
        #expect(error.description.hasPrefix("HTTP 422: 2 values failed validation (urn:sluice:problem:invalid-records)"))
    }

    @Test func anAnswerThatIsNoProblemDocumentStillSaysTheStatus() {
        let error = GatewayClientError(status: 502, problem: Data("<html>bad gateway</html>".utf8), retryAfter: 5)
        #expect(error.description == "HTTP 502: HTTP 502\n  retry after 5 s")
    }

    @Test func missingIdentityFilesAreReportedBeforeAnyConnection() {
        var failure: GatewayClientError?
        do {
            _ = try GatewayClient(
                baseURL: "https://127.0.0.1:1",
                identity: .init(certificate: "/nonexistent.pem", key: "/nonexistent.key", trust: "/nonexistent-ca.pem"))
        } catch { failure = error }
        #expect(failure?.detail.contains("/nonexistent.pem") == true)
    }
}
