import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceAudit
import SluiceStore
import Synchronization
import Testing

@testable import SluiceGateway

/// The officers' console in process: its pages from a known history, its headers, its
/// audit entries, its escaping of whatever a filter or an entry holds, and the
/// verification it starts. The browser's side (proofs checked with Web Crypto, the
/// client certificate) is `Tests/interop/console_browser_check.py`.
@Suite("Console routes") struct ConsoleRouteTests {
    typealias Fixture = GatewayRouteTests.Fixture
    static let auditor = GatewayRouteTests.auditor
    static let psb = GatewayRouteTests.psb
    static func headers(_ agency: String?, _ extra: [(String, String)] = []) -> HTTPFields { GatewayRouteTests.headers(agency, extra) }

    /// Three packages of 1, 2 and 3 records, and one malformed body.
    static func history(_ client: any TestClientProtocol) async throws {
        for count in 1...3 {
            let body = Array(repeating: GatewayRouteTests.record, count: count).joined(separator: "\n") + "\n"
            let response = try await client.execute(
                uri: "/v1/agreements/psb-household-check/packages", method: .post,
                headers: headers(psb, [("Content-Type", "application/x-ndjson")]), body: ByteBuffer(string: body))
            #expect(response.status == .created)
        }
        let refused = try await client.execute(
            uri: "/v1/agreements/psb-household-check/packages", method: .post,
            headers: headers(psb, [("Content-Type", "application/x-ndjson")]), body: ByteBuffer(string: "not json\n"))
        #expect(refused.status == .unprocessableContent)
    }

    static func figure(_ name: String, in page: String) -> Int? {
        guard let start = page.range(of: "data-figure=\"\(name)\">") else { return nil }
        return Int(page[start.upperBound...].prefix { $0.isNumber })
    }

    @Test func theOverviewShowsTheFiguresOfAKnownHistoryAndIsAudited() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            try await Self.history(client)
            let before = try fixture.auditSize()
            let response = try await client.execute(uri: "/console/", method: .get, headers: Self.headers(Self.auditor))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"))
            let page = String(buffer: response.body)
            #expect(Self.figure("packages", in: page) == 3)
            #expect(Self.figure("records", in: page) == 6)
            #expect(Self.figure("refusals", in: page) == 1)
            #expect(Self.figure("unacknowledged", in: page) == 3)
            #expect(Self.figure("unfetched", in: page) == 3)

            #expect(page.contains(#"data-label="psb-household-check (6)" data-value="3""#))
            #expect(page.contains("<html lang=\"zh-CN\">"))
            // Nothing runs but the gateway's own script.
            #expect(!page.contains("<script>") && !page.contains("style=\""))
            let entries = try fixture.lastEntries(Int(try fixture.auditSize() - before))
            #expect(entries.map { $0["action"] as? String } == ["audit.entries_read"])
            let details = try #require(entries.first?["details"] as? [String: Any])
            #expect(details["console"] as? [String] == ["overview"])

            // The consumer fetches one package (and acknowledges none): one fewer not fetched.
            let inbox = try GatewayRouteTests.json(
                try await client.execute(uri: "/v1/inbox", method: .get, headers: Self.headers(GatewayRouteTests.procuratorate)))
            let first = try #require((inbox["packages"] as? [[String: Any]])?.first?["package_id"] as? String)
            for _ in 0..<2 {
                let fetched = try await client.execute(
                    uri: "/v1/packages/\(first)", method: .get, headers: Self.headers(GatewayRouteTests.procuratorate))
                #expect(fetched.status == .ok)
            }
            let after = String(buffer: try await client.execute(uri: "/console/", method: .get, headers: Self.headers(Self.auditor)).body)
            #expect(Self.figure("unfetched", in: after) == 2 && Self.figure("unacknowledged", in: after) == 3)

            let english = try await client.execute(uri: "/console?lang=en", method: .get, headers: Self.headers(Self.auditor))
            #expect(String(buffer: english.body).contains("<h1>Overview</h1>"))
        }
    }

    @Test func anOverviewStopsReadingAtItsLimitAndSaysSo() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in try await Self.history(client) }
        let period = try ConsolePeriod(from: nil, to: nil, now: Date())
        let (whole, cut) = try fixture.state.store.read { store in
            (
                try ConsoleOverview.read(store, period: period, now: Date()),
                try ConsoleOverview.read(store, period: period, now: Date(), largestRead: 3)
            )
        }
        #expect(!whole.cutShort && whole.entriesRead > 3 && whole.summary.delivered.packages == 3)
        #expect(cut.cutShort && cut.entriesRead == 3)
        let page = OverviewPage(overview: cut, language: .en).body.text
        #expect(page.contains(#"data-cut-short="3""#))
        #expect(!OverviewPage(overview: whole, language: .en).body.text.contains("data-cut-short"))
    }

    /// Requests past their deadline: counted on the overview, whose card leads to them,
    /// each with its case's trail a click away; the listing is recorded as the API's is.
    @Test func overdueRequestsAreCountedListedAndLeadToTheirCase() async throws {
        let offset = Mutex<TimeInterval>(0)
        let fixture = try Fixture(clock: { Date().addingTimeInterval(offset.withLock { $0 }) })
        try await fixture.test { client in
            let made = try await DataRequestRouteTests.ask(client, body: try DataRequestRouteTests.requestBody())
            #expect(made.status == .created)
            let open = String(buffer: try await client.execute(uri: "/console/requests", method: .get, headers: Self.headers(Self.auditor)).body)
            #expect(open.contains(#"data-requests="1""#))
            let none = String(
                buffer: try await client.execute(uri: "/console/requests?overdue=true", method: .get, headers: Self.headers(Self.auditor)).body)
            #expect(none.contains(#"data-requests="0""#))
            // Six days on, past the agreement's five.
            offset.withLock { $0 = 6 * 86_400 }
            let overview = String(buffer: try await client.execute(uri: "/console/", method: .get, headers: Self.headers(Self.auditor)).body)
            #expect(Self.figure("requests-overdue", in: overview) == 1)
            #expect(overview.contains(#"href="/console/requests?overdue=true"><span class="figure" data-figure="requests-overdue">"#))
            let before = try fixture.auditSize()
            let overdue = String(
                buffer: try await client.execute(uri: "/console/requests?overdue=true", method: .get, headers: Self.headers(Self.auditor)).body)
            #expect(overdue.contains(#"data-requests="1""#))
            let caseNumber = "京检刑诉〔2025〕12号"
            #expect(overdue.contains("<a href=\"/console/entries?case_number=\(ConsoleLink.encoded(caseNumber))\" data-case=\"\(caseNumber)\">"))
            let listed = try fixture.lastEntries(Int(try fixture.auditSize() - before))
            #expect(listed.map { $0["action"] as? String } == ["request.listed"])
            let trail = String(
                buffer: try await client.execute(
                    uri: "/console/entries?case_number=" + ConsoleLink.encoded(caseNumber), method: .get, headers: Self.headers(Self.auditor)
                ).body)
            #expect(trail.contains("<td>request.created</td>"))
            let partner = try await client.execute(uri: "/console/requests", method: .get, headers: Self.headers(Self.psb))
            #expect(partner.status == .forbidden)
        }
    }

    @Test func otherRolesGet403OnEveryConsolePath() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            for path in ["/console/", "/console/entries", "/console/entries/0", "/console/integrity", "/console/assets/console.js"] {
                for agency in [Self.psb, GatewayRouteTests.admin] {
                    let response = try await client.execute(uri: path, method: .get, headers: Self.headers(agency))
                    #expect(response.status == .forbidden, "\(path) as \(agency)")
                    // A page for the browser, saying why, with the console's headers.
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8" && response.headers[.contentSecurityPolicy] != nil)
                    #expect(String(buffer: response.body).contains(#"data-problem="role-required""#))
                }
            }
            let stranger = try await client.execute(uri: "/console/", method: .get, headers: Self.headers(nil))
            #expect(stranger.status == .forbidden || stranger.status == .unauthorized)
        }
    }

    @Test func theTimelineFiltersPagesAndEscapesWhatItEchoes() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            try await Self.history(client)
            let filtered = try await client.execute(
                uri: "/console/entries?action=submit.accepted&outcome=success", method: .get, headers: Self.headers(Self.auditor))
            let rows = String(buffer: filtered.body).components(separatedBy: "<tr data-sequence=").count - 1
            #expect(rows == 3)
            #expect(String(buffer: filtered.body).contains(#"href="/v1/audit/export?action=submit.accepted&amp;outcome=success""#))

            // A hostile value is shown as text, and matches nothing.
            let hostile = #""><script>alert(1)</script>"#
            let escaped = try await client.execute(
                uri: "/console/entries?actor=" + ConsoleLink.encoded(hostile), method: .get, headers: Self.headers(Self.auditor))
            #expect(escaped.status == .ok)
            let page = String(buffer: escaped.body)
            #expect(!page.contains("<script>alert") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.contains(#"data-entries="0""#))

            // Fifty a page, newest first, and the next page ends where this one did.
            for _ in 0..<60 { _ = try await client.execute(uri: "/console/integrity", method: .get, headers: Self.headers(Self.auditor)) }
            let first = String(buffer: try await client.execute(uri: "/console/entries", method: .get, headers: Self.headers(Self.auditor)).body)
            let sequences = Self.sequences(first)
            #expect(sequences.count == EntriesPage.pageSize && sequences == sequences.sorted(by: >))
            let next = try #require(first.range(of: #"rel="next" href=""#).map { first[$0.upperBound...].prefix { $0 != "\"" } })
            let second = String(
                buffer: try await client.execute(
                    uri: String(next).replacingOccurrences(of: "&amp;", with: "&"), method: .get, headers: Self.headers(Self.auditor)
                ).body)
            let more = Self.sequences(second)
            #expect(!more.isEmpty && more.first! == sequences.last! - 1)

            // A filter that is not one: the form again, saying which, without its value.
            let bad = try await client.execute(uri: "/console/entries?outcome=maybe", method: .get, headers: Self.headers(Self.auditor))
            #expect(bad.status == .badRequest && bad.headers[.contentType] == "text/html; charset=utf-8")
            let said = try #require(String(buffer: bad.body).components(separatedBy: "<p class=\"problem\" role=\"alert\">").last)
            #expect(said.hasPrefix("筛选条件有误 (outcome): outcome must be") && !said.prefix { $0 != "<" }.contains("maybe"))
            let cursor = try await client.execute(uri: "/console/entries?before=x&lang=en", method: .get, headers: Self.headers(Self.auditor))
            #expect(
                String(buffer: cursor.body).contains("<p class=\"problem\" role=\"alert\">A filter is not one the timeline takes: before must be"))
            #expect(!String(buffer: bad.body).contains("class=\"export\""))
        }
    }

    /// Whatever a link or a hand-typed address puts in the query: never a 5xx, never
    /// markup of its own in the page.
    @Test func hostileQueriesGetPagesOrRefusalsNeverErrorsOrMarkup() async throws {
        let fixture = try Fixture()
        let values = [
            "%3Cb%3Ex%3C%2Fb%3E", "%00", "%FF%FE", "%E2%80%AE", String(repeating: "a", count: 5000), "-1", "99999999999999999999", "%",
            "1e9", "2026-02-30", "%22%27%3E%3C", "..%2F..%2F",
        ]
        try await fixture.test { client in
            for path in ["/console/", "/console/entries", "/console/integrity", "/console/requests"] {
                for name in [
                    "from", "to", "actor", "action", "outcome", "since", "until", "before", "reason", "lang", "case_number", "overdue", "after", "x",
                ] {
                    for value in values {
                        let response = try await client.execute(uri: "\(path)?\(name)=\(value)", method: .get, headers: Self.headers(Self.auditor))
                        #expect(response.status.code < 500, "\(path)?\(name)=\(value.prefix(20))")
                        #expect(!String(buffer: response.body).contains("<b>x</b>"), "\(path)?\(name)")
                    }
                }
            }
            for sequence in ["-1", "1.5", "%31", "99999999999999999999", "0x10"] {
                let response = try await client.execute(uri: "/console/entries/\(sequence)", method: .get, headers: Self.headers(Self.auditor))
                #expect([400, 404].contains(response.status.code), "\(sequence)")
            }
        }
    }

    static func sequences(_ page: String) -> [UInt64] {
        page.components(separatedBy: "<tr data-sequence=\"").dropFirst().compactMap { UInt64($0.prefix { $0.isNumber }) }
    }

    @Test func anEntryShowsItsExactBytesForTheBrowserToHash() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            try await Self.history(client)
            let stored = try #require(try fixture.state.store.read { store in try store.audit.entry(at: 1) })
            let response = try await client.execute(uri: "/console/entries/1", method: .get, headers: Self.headers(Self.auditor))
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            #expect(page.contains("data-entry=\"\(Data(stored.json.utf8).base64EncodedString())\""))
            #expect(page.contains(stored.leafHash.map { String(format: "%02x", $0) }.joined()))
            // Its actor and action lead to the entries that share them.
            let fields = try #require(EntryFields(json: stored.json))
            #expect(page.contains("<a href=\"/console/entries?actor=\(ConsoleLink.encoded(fields.actor.id))\" data-filter=\"actor\">"))
            #expect(page.contains("<a href=\"/console/entries?action=\(ConsoleLink.encoded(fields.action))\" data-filter=\"action\">"))
            #expect(page.contains("data-published-keys=\"\(fixture.state.trail.signer.verifier.description)"))
            let missing = try await client.execute(uri: "/console/entries/999999", method: .get, headers: Self.headers(Self.auditor))
            #expect(missing.status == .notFound)
            let notANumber = try await client.execute(uri: "/console/entries/x", method: .get, headers: Self.headers(Self.auditor))
            #expect(notANumber.status == .badRequest)
        }
    }

    @Test func theAssetsAreServedWithTheirTypesAndNothingElse() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            let script = try await client.execute(uri: "/console/assets/console.js", method: .get, headers: Self.headers(Self.auditor))
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(String(buffer: script.body).contains("crypto.subtle"))
            let style = try await client.execute(uri: "/console/assets/console.css", method: .get, headers: Self.headers(Self.auditor))
            #expect(style.status == .ok && style.headers[.contentType] == "text/css; charset=utf-8")
            let icon = try await client.execute(uri: "/console/assets/icon.svg", method: .get, headers: Self.headers(Self.auditor))
            #expect(icon.status == .ok && icon.headers[.contentType] == "image/svg+xml")
            for name in ["..%2F..%2Fsluice.yaml", "console.map", "x"] {
                let other = try await client.execute(uri: "/console/assets/" + name, method: .get, headers: Self.headers(Self.auditor))
                #expect(other.status == .notFound, "\(name)")
            }
        }
    }

    @Test func aVerificationStartsOnlyFromJSONRunsAndIsRecordedUnderTheOfficer() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            try await Self.history(client)
            // A form post from another site cannot send JSON without asking first.
            let form = try await client.execute(
                uri: "/v1/audit/verification", method: .post,
                headers: Self.headers(Self.auditor, [("Content-Type", "application/x-www-form-urlencoded")]), body: ByteBuffer(string: "a=b"))
            #expect(form.status == .unsupportedMediaType)
            let idle = try GatewayRouteTests.json(
                try await client.execute(uri: "/v1/audit/verification", method: .get, headers: Self.headers(Self.auditor)))
            #expect(idle["state"] as? String == "idle")
            let started = try await client.execute(
                uri: "/v1/audit/verification", method: .post, headers: Self.headers(Self.auditor, [("Content-Type", "application/json")]),
                body: ByteBuffer(string: "{}"))
            #expect(started.status == .accepted)
            var state = "running"
            var status: [String: Any] = [:]
            for _ in 0..<200 where state == "running" {
                try await Task.sleep(for: .milliseconds(50))
                status = try GatewayRouteTests.json(
                    try await client.execute(uri: "/v1/audit/verification", method: .get, headers: Self.headers(Self.auditor)))
                state = status["state"] as? String ?? "?"
            }
            #expect(state == "passed")
            #expect((status["entries_checked"] as? Int ?? 0) > 4 && status["finished_at"] is String)
        }
        let verified = try fixture.state.store.read { store in
            try store.audit.entries(AuditFilter(action: .auditVerified, limit: 1, newestFirst: true))
        }
        let entry = try #require(verified.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any] })
        #expect((entry["actor"] as? [String: Any])?["id"] as? String == Self.auditor)
        #expect(entry["outcome"] as? String == "success")
    }

    @Test func theAuditAPITakesAReasonAndPagesNewestFirst() async throws {
        let fixture = try Fixture()
        try await fixture.test { client in
            try await Self.history(client)
            let refused = try GatewayRouteTests.json(
                try await client.execute(uri: "/v1/audit/entries?reason=malformed-body", method: .get, headers: Self.headers(Self.auditor)))
            let entries = try #require(refused["entries"] as? [[String: Any]])
            #expect(entries.count == 1 && entries.first?["action"] as? String == "submit.rejected")
            let first = try GatewayRouteTests.json(
                try await client.execute(uri: "/v1/audit/entries?order=newest&limit=2", method: .get, headers: Self.headers(Self.auditor)))
            let newest = try #require(first["entries"] as? [[String: Any]]).compactMap { $0["sequence"] as? Int }
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try GatewayRouteTests.json(
                try await client.execute(
                    uri: "/v1/audit/entries?order=newest&limit=2&cursor=\(cursor)", method: .get, headers: Self.headers(Self.auditor)))
            let older = try #require(second["entries"] as? [[String: Any]]).compactMap { $0["sequence"] as? Int }
            #expect(newest.count == 2 && older == [newest[1] - 1, newest[1] - 2])
        }
    }
}
