import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluiceCrypto
import SluiceStore
import Synchronization
import Testing

@testable import SluiceGateway

/// Requests between agencies, in process: the consumer asks, the provider reads the sealed
/// subjects and answers within the request's scope or declines; nobody else sees the
/// request; no subject's value reaches the trail.
@Suite("Requests between agencies") struct DataRequestRouteTests {
    typealias Routes = GatewayRouteTests
    static let asked = ["11010519491231002X", "110105198001010016"]
    static let notAsked = "440304198511112224"

    static func requestBody(
        purpose: String = "刑事案件审查", caseNumber: String? = "京检刑诉〔2025〕12号", officer: String = "王强",
        subjects: [[String: String]] = [["id_number": asked[0], "name": "欧阳娜娜"], ["id_number": asked[1], "name": "张淑珍"]]
    ) throws -> ByteBuffer {
        var object: [String: Any] = ["purpose": purpose, "officer": officer, "subjects": subjects]
        if let caseNumber { object["case_number"] = caseNumber }
        return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func record(_ id: String, name: String = "欧阳娜娜") -> String {
        #"{"case_no":"A1","name":"\#(name)","id_number":"\#(id)","phone":"13812345678"}"#
    }

    static func ask(
        _ client: any TestClientProtocol, agreement: String = "psb-household-check", as agency: String = Routes.procuratorate, key: String? = nil,
        body: ByteBuffer
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/agreements/\(agreement)/requests", method: .post,
            headers: Routes.headers(agency, [("Content-Type", "application/json")] + (key.map { [("Idempotency-Key", $0)] } ?? [])), body: body)
    }

    static func answer(_ client: any TestClientProtocol, _ id: String, as agency: String = Routes.psb, records: [String]) async throws -> TestResponse
    {
        try await client.execute(
            uri: "/v1/requests/\(id)/packages", method: .post, headers: Routes.headers(agency, [("Content-Type", "application/x-ndjson")]),
            body: ByteBuffer(string: records.joined(separator: "\n") + "\n"))
    }

    /// Whether `text` holds none of `values`: a Bool, so that a failure message shows no value.
    static func holdsNone(of values: [String], in text: String) -> Bool { !values.contains { text.contains($0) } }

    /// Every entry of the trail as its exact text.
    static func trailText(_ fixture: Routes.Fixture) throws -> String {
        try fixture.state.store.read { store in
            try (0..<store.audit.size()).compactMap { try store.audit.entry(at: $0)?.json }.joined(separator: "\n")
        }
    }

    @Test func aRequestIsAskedReadSealedAndAnsweredInScope() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            let created = try await Self.ask(client, body: try Self.requestBody())
            #expect(created.status == .created, "\(String(buffer: created.body))")
            let receipt = try Routes.json(created)
            let id = try #require(receipt["request_id"] as? String)
            // The receipt is the gateway's JWS: the request, the count of subjects, never who.
            let jws = try CompactJWS(try #require(receipt["receipt"] as? String))
            #expect(jws.header["typ"] as? String == DataRequestReceipt.type)
            let payload = try #require(try JSONSerialization.jsonObject(with: jws.payload) as? [String: Any])
            #expect(payload["subjects"] as? Int == 2 && payload["request_id"] as? String == id)
            #expect(payload["case_number"] as? String == "京检刑诉〔2025〕12号")
            #expect(!String(decoding: jws.payload, as: UTF8.self).contains(Self.asked[0]))

            // The provider sees it among its open requests, and reads the subjects sealed to it.
            let listed = try await client.execute(uri: "/v1/requests", method: .get, headers: Routes.headers(Routes.psb))
            #expect(listed.status == .ok)
            let requests = try #require(try Routes.json(listed)["requests"] as? [[String: Any]])
            #expect(requests.map { $0["request_id"] as? String } == [id])
            #expect(requests.first?["state"] as? String == "open" && requests.first?["overdue"] as? Bool == false)
            #expect(requests.first?["subjects"] as? Int == 2)

            let shown = try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.psb))
            #expect(shown.status == .ok)
            let sealed = try #require(try Routes.json(shown)["sealed_subjects"] as? String)
            let key = try DecryptionKey(file: PrivateKeyFile(path: fixture.folder + "/.sluice/keys/agencies/district-psb.key.pem"))
            let opened = try await EnvelopeOpener(
                key: key, trustAnchors: try CertificateFile.read(fixture.folder + "/Certs/dev-ca.pem"),
                signers: try CertificateFile.read(fixture.folder + "/Certs/gateway-signing.pem")
            ).open(sealed)
            #expect(opened.type == DataRequestOpening.sealedType)
            let subjects = try #require(
                (try JSONSerialization.jsonObject(with: opened.payload) as? [String: Any])?["subjects"] as? [[String: String]])
            let sameSubjects = subjects.map { $0["id_number"] } == Self.asked
            #expect(sameSubjects, "the subjects sealed to the provider are not those asked")
            // The consumer reads the request, not the subjects sealed to the provider.
            let consumerView = try Routes.json(
                try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.procuratorate)))
            #expect(consumerView["sealed_subjects"] is NSNull)

            // An answer about the first subject: through the pipeline, masked, linked.
            let answered = try await Self.answer(client, id, records: [Self.record(Self.asked[0])])
            #expect(answered.status == .created, "\(String(buffer: answered.body))")
            let packageID = try #require(try Routes.json(answered)["package_id"] as? String)
            let after = try Routes.json(
                try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.procuratorate)))
            let summary = try #require(after["request"] as? [String: Any])
            #expect(summary["state"] as? String == "answered" && summary["packages"] as? [String] == [packageID])
            let inbox = try Routes.json(try await client.execute(uri: "/v1/inbox", method: .get, headers: Routes.headers(Routes.procuratorate)))
            let package = try #require((inbox["packages"] as? [[String: Any]])?.first)
            #expect(package["package_id"] as? String == packageID && package["answers_request"] as? String == id)
        }
        let trail = try Self.trailText(fixture)
        #expect(Self.holdsNone(of: Self.asked + ["欧阳娜娜", "张淑珍"], in: trail), "a subject's value is in the trail")
        #expect(trail.contains("\"request.created\"") && trail.contains("\"answers_request\""))
    }

    /// A consumer's retry with its Idempotency-Key gets the first request back (200), not a
    /// second one; the same key with another body is refused.
    @Test func aRepeatedRequestWithItsKeyIsTheSameRequest() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            let first = try await Self.ask(client, key: "case-12-a", body: try Self.requestBody())
            #expect(first.status == .created)
            let again = try await Self.ask(client, key: "case-12-a", body: try Self.requestBody())
            #expect(again.status == .ok)
            #expect(try Routes.json(again)["request_id"] as? String == (try Routes.json(first)["request_id"] as? String))
            #expect(try Routes.json(again)["receipt"] as? String == (try Routes.json(first)["receipt"] as? String))
            let reused = try await Self.ask(client, key: "case-12-a", body: try Self.requestBody(caseNumber: "京检刑诉〔2025〕13号"))
            #expect(reused.status == .conflict)
            #expect(try Routes.json(reused)["type"] as? String == "urn:sluice:problem:idempotency-key-reused")
            // The key is the consumer's own under this agreement: another key makes another request.
            #expect(try await Self.ask(client, key: "case-12-b", body: try Self.requestBody()).status == .created)
        }
        let count = try fixture.state.store.read { try $0.dataRequests.page(of: .everyone, openOnly: false, after: nil, limit: 10).requests.count }
        #expect(count == 2)
        let repeated = try fixture.lastEntries(3)[0]
        #expect(repeated["action"] as? String == "request.created" && (repeated["details"] as? [String: Any])?["repeated"] as? Bool == true)
    }

    /// Paging through open requests while one of them is answered skips none of the others.
    @Test func pagesOfOpenRequestsSkipNoneWhenOneIsAnswered() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            var made: [String] = []
            for _ in 0..<3 {
                made.append(try #require(try Routes.json(try await Self.ask(client, body: try Self.requestBody()))["request_id"] as? String))
            }
            let first = try Routes.json(try await client.execute(uri: "/v1/requests?limit=1", method: .get, headers: Routes.headers(Routes.psb)))
            #expect((first["requests"] as? [[String: Any]])?.map { $0["request_id"] as? String } == [made[0]])
            let cursor = try #require(first["next_cursor"] as? String)
            #expect(try await Self.answer(client, made[0], records: [Self.record(Self.asked[0])]).status == .created)
            let second = try Routes.json(
                try await client.execute(uri: "/v1/requests?limit=1&cursor=\(cursor)", method: .get, headers: Routes.headers(Routes.psb)))
            #expect((second["requests"] as? [[String: Any]])?.map { $0["request_id"] as? String } == [made[1]])
        }
    }

    /// An answer with a record about someone nobody asked about is refused whole, and the
    /// refusal is audited with counts, never the person's values.
    @Test func anAnswerAboutSomeoneNotAskedAboutIsRefusedWhole() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            let id = try #require(try Routes.json(try await Self.ask(client, body: try Self.requestBody()))["request_id"] as? String)
            let refused = try await Self.answer(
                client, id, records: [Self.record(Self.asked[0]), Self.record(Self.notAsked, name: "李四海"), Self.record(Self.asked[1])])
            #expect(refused.status == .unprocessableContent)
            let problem = try Routes.json(refused)
            #expect(problem["type"] as? String == "urn:sluice:problem:out-of-scope")
            #expect((problem["errors"] as? [[String: Any]])?.map { $0["record"] as? Int } == [2])
            #expect(Self.holdsNone(of: [Self.notAsked], in: String(buffer: refused.body)), "the refusal repeats a value")
            let still = try Routes.json(try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.psb)))
            #expect((still["request"] as? [String: Any])?["state"] as? String == "open")
        }
        // The refusal, then the provider's read of the request.
        let last = try #require(try fixture.lastEntries(2).first)
        #expect(last["action"] as? String == "submit.rejected" && last["reason"] as? String == "out-of-scope")
        #expect((last["details"] as? [String: Any])?["out_of_scope_records"] as? Int == 1)
        let trail = try Self.trailText(fixture)
        #expect(Self.holdsNone(of: Self.asked + [Self.notAsked, "李四海"], in: trail), "a subject's value is in the trail")
    }

    @Test func aDeclineCarriesItsCodeAndANoteOnlyTheConsumerOpens() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            let id = try #require(try Routes.json(try await Self.ask(client, body: try Self.requestBody()))["request_id"] as? String)
            let unknownReason = try await client.execute(
                uri: "/v1/requests/\(id)/decline", method: .post, headers: Routes.headers(Routes.psb),
                body: ByteBuffer(string: #"{"reason":"busy"}"#))
            #expect(unknownReason.status == .badRequest)
            let declined = try await client.execute(
                uri: "/v1/requests/\(id)/decline", method: .post, headers: Routes.headers(Routes.psb),
                body: ByteBuffer(string: #"{"reason":"needs_approval","note":"须经分局负责人审批，预计三日内答复"}"#))
            #expect(declined.status == .ok)
            #expect(try Routes.json(declined)["state"] as? String == "declined")
            let view = try Routes.json(
                try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.procuratorate)))
            #expect((view["request"] as? [String: Any])?["decline_reason"] as? String == "needs_approval")
            let note = try #require(view["sealed_note"] as? String)
            let key = try DecryptionKey(file: PrivateKeyFile(path: fixture.folder + "/.sluice/keys/agencies/district-procuratorate.key.pem"))
            let opened = try await EnvelopeOpener(
                key: key, trustAnchors: try CertificateFile.read(fixture.folder + "/Certs/dev-ca.pem"),
                signers: try CertificateFile.read(fixture.folder + "/Certs/gateway-signing.pem")
            ).open(note)
            #expect(String(decoding: opened.payload, as: UTF8.self).contains("须经分局负责人审批"))
            // Declined is closed: no answer, no second decline.
            #expect(try await Self.answer(client, id, records: [Self.record(Self.asked[0])]).status == .conflict)
            let again = try await client.execute(
                uri: "/v1/requests/\(id)/decline", method: .post, headers: Routes.headers(Routes.psb),
                body: ByteBuffer(string: #"{"reason":"other"}"#))
            #expect(again.status == .conflict)
        }
        #expect(!(try Self.trailText(fixture)).contains("审批"), "the note is never recorded")
    }

    /// A request exists only for its parties: others get 404, each refusal audited.
    @Test func onlyTheRequestsPartiesSeeOrAnswerIt() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            // Not the consumer of the agreement: the provider cannot ask itself, a stranger cannot ask.
            #expect(try await Self.ask(client, as: Routes.psb, body: try Self.requestBody()).status == .forbidden)
            #expect(try await Self.ask(client, as: "district-tax", body: try Self.requestBody()).status == .notFound)
            let id = try #require(try Routes.json(try await Self.ask(client, body: try Self.requestBody()))["request_id"] as? String)
            for agency in ["district-tax", "district-amr"] {
                #expect(try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(agency)).status == .notFound)
                let listed = try Routes.json(try await client.execute(uri: "/v1/requests", method: .get, headers: Routes.headers(agency)))
                #expect((listed["requests"] as? [[String: Any]])?.isEmpty == true)
                #expect(try await Self.answer(client, id, as: agency, records: [Self.record(Self.asked[0])]).status == .notFound)
            }
            // The consumer cannot answer its own request.
            #expect(try await Self.answer(client, id, as: Routes.procuratorate, records: [Self.record(Self.asked[0])]).status == .notFound)
            // Security officers see the request, never the subjects.
            let officer = try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.auditor))
            #expect(officer.status == .ok)
            #expect(try Routes.json(officer)["sealed_subjects"] is NSNull)
        }
        let actions = try fixture.lastEntries(12).compactMap { $0["action"] as? String }
        #expect(actions.filter { $0 == "access.denied" || $0 == "request.refused" }.count >= 7)
    }

    @Test(arguments: [
        ("purpose", "another purpose"), ("case", "none"), ("case", "13812345678"), ("officer", "王强 11010519491231002X"),
        ("subject", "bad id"), ("subject", "unknown field"), ("subject", "no match field"), ("subject", "too many"),
    ])
    func aRequestThatDoesNotFitTheAgreementIsRefused(what: String, how: String) async throws {
        let fixture = try Routes.Fixture()
        let body: ByteBuffer
        switch (what, how) {
        case ("purpose", _): body = try Self.requestBody(purpose: how)
        case ("case", "none"): body = try Self.requestBody(caseNumber: nil)
        case ("case", _): body = try Self.requestBody(caseNumber: how)
        case ("officer", _): body = try Self.requestBody(officer: how)
        case (_, "bad id"): body = try Self.requestBody(subjects: [["id_number": "110105194912310021"]])
        case (_, "unknown field"): body = try Self.requestBody(subjects: [["id_number": Self.asked[0], "张三的手机": "13812345678"]])
        case (_, "no match field"): body = try Self.requestBody(subjects: [["name": "欧阳娜娜"]])
        default: body = try Self.requestBody(subjects: Array(repeating: ["id_number": Self.asked[0]], count: 51))
        }
        try await fixture.test { client in
            let refused = try await Self.ask(client, body: body)
            #expect(refused.status == .unprocessableContent, "\(String(buffer: refused.body))")
            #expect(try Routes.json(refused)["type"] as? String == "urn:sluice:problem:invalid-request")
            #expect(Self.holdsNone(of: ["张三的手机", "13812345678"], in: String(buffer: refused.body)), "the refusal repeats what was sent")
        }
        let last = try #require(try fixture.lastEntries(1).first)
        #expect(last["action"] as? String == "request.refused" && last["reason"] as? String == "invalid-request")
        let trail = try Self.trailText(fixture)
        #expect(Self.holdsNone(of: ["13812345678", Self.asked[0], "张三的手机", "110105194912310021"], in: trail), "a sent value is in the trail")
    }

    /// An agreement that takes only answers (`push: false`, the verification service):
    /// unrequested packages are refused, an answer of a number and a yes/no goes through.
    @Test func aVerificationServiceTakesOnlyAnswers() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            let pushed = try await client.execute(
                uri: "/v1/agreements/psb-identity-verification/packages", method: .post,
                headers: Routes.headers(Routes.psb, [("Content-Type", "application/x-ndjson")]),
                body: ByteBuffer(string: #"{"subject":1,"matches":true}"# + "\n"))
            #expect(pushed.status == .conflict)
            #expect(try Routes.json(pushed)["type"] as? String == "urn:sluice:problem:push-not-allowed")
            let created = try await Self.ask(
                client, agreement: "psb-identity-verification",
                body: try Self.requestBody(purpose: "身份核验", subjects: [["id_number": Self.asked[0], "name": "欧阳娜娜"]]))
            #expect(created.status == .created, "\(String(buffer: created.body))")
            let id = try #require(try Routes.json(created)["request_id"] as? String)
            let answered = try await Self.answer(client, id, records: [#"{"subject":1,"matches":true}"#])
            #expect(answered.status == .created, "\(String(buffer: answered.body))")
            // Anything beyond the number and the boolean is refused.
            let more = try await Self.answer(client, id, records: [#"{"subject":1,"matches":true,"name":"欧阳娜娜"}"#])
            #expect(more.status == .unprocessableContent)
        }
    }

    /// Overdue is open past the deadline: flagged in listings, listed alone with
    /// `overdue=true`, counted in `/metrics`; an answer ends it.
    @Test func openRequestsPastTheirDeadlineAreOverdue() async throws {
        let offset = Mutex<TimeInterval>(0)
        let fixture = try Routes.Fixture(clock: { Date().addingTimeInterval(offset.withLock { $0 }) })
        try await fixture.test { client in
            let id = try #require(try Routes.json(try await Self.ask(client, body: try Self.requestBody()))["request_id"] as? String)
            let other = try #require(try Routes.json(try await Self.ask(client, body: try Self.requestBody()))["request_id"] as? String)
            func listed(_ query: String, as agency: String = Routes.psb) async throws -> [[String: Any]] {
                try #require(
                    try Routes.json(try await client.execute(uri: "/v1/requests" + query, method: .get, headers: Routes.headers(agency)))["requests"]
                        as? [[String: Any]])
            }
            func overdueGauge() async throws -> String? {
                let metrics = try await client.execute(uri: "/metrics", method: .get, headers: Routes.headers(Routes.auditor))
                return String(buffer: metrics.body).split(separator: "\n").first { $0.hasPrefix("sluice_requests_overdue ") }.map(String.init)
            }
            #expect(try await listed("").allSatisfy { $0["overdue"] as? Bool == false })
            #expect(try await listed("?overdue=true").isEmpty)
            #expect(try await overdueGauge() == "sluice_requests_overdue 0.0")
            // Six days on, past the agreement's five.
            offset.withLock { $0 = 6 * 86_400 }
            #expect(try await listed("").map { $0["overdue"] as? Bool } == [true, true])
            #expect(try await overdueGauge() == "sluice_requests_overdue 2.0")
            #expect(try await Self.answer(client, id, records: [Self.record(Self.asked[0])]).status == .created)
            let overdue = try await listed("?overdue=true", as: Routes.auditor)
            #expect(overdue.map { $0["request_id"] as? String } == [other])
            #expect(try await overdueGauge() == "sluice_requests_overdue 1.0")
            let asked = try await listed("?as=consumer&state=all", as: Routes.procuratorate)
            #expect(asked.first { $0["request_id"] as? String == id }?["overdue"] as? Bool == false)
        }
    }

    /// The subjects are personal data: kept sealed for the agreement's retention, then removed.
    @Test func aRequestsSubjectsArePurgedWithTheAgreementsRetention() async throws {
        let fixture = try Routes.Fixture()
        try await fixture.test { client in
            let created = try await Self.ask(client, body: try Self.requestBody())
            #expect(created.status == .created)
        }
        let id = try #require(
            try fixture.state.store.read { try $0.dataRequests.page(of: .everyone, openOnly: false, after: nil, limit: 1).requests.first?.id })
        let purge = PackagePurge(state: fixture.state, logger: Logger(label: "test"))
        try await purge.purgeOnce(now: Date().addingTimeInterval(29 * 86_400))
        #expect(try fixture.state.store.read { try $0.dataRequests.subjectsEnvelope(id: id) } != nil, "kept within the 30 days")
        try await purge.purgeOnce(now: Date().addingTimeInterval(31 * 86_400))
        #expect(try fixture.state.store.read { try $0.dataRequests.subjectsEnvelope(id: id) } == nil)
        let last = try #require(try fixture.lastEntries(1).first)
        #expect(last["action"] as? String == "request.purged")
        try await fixture.test { client in
            let shown = try Routes.json(try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: Routes.headers(Routes.psb)))
            #expect(shown["sealed_subjects"] is NSNull)
            #expect((shown["request"] as? [String: Any])?["subjects"] as? Int == 2)
        }
    }
}
