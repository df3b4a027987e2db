import Foundation
import Testing

/// The hostile-input catalogue, through a running gateway: each body, header or id a
/// partner could craft gets a clear 4xx with its own problem type, and leaves nothing
/// behind (no package, no acceptance in the trail). One gateway serves every case.
@Suite("Hostile input through a running gateway", .serialized) struct HostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var contentType = "application/x-ndjson"
        var body: [UInt8]
        var status: Int
        var problem: String
        var testDescription: String { name }
    }

    static let valid = #"{"case_no":"A1","name":"欧阳娜娜","id_number":"11010519491231002X","phone":"13812345678"}"#

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func record(replacing value: String, with raw: [UInt8]) -> [UInt8] {
        let parts = valid.components(separatedBy: value)
        return Array(parts[0].utf8) + raw + Array(parts[1].utf8) + [0x0A]
    }

    static let cases: [Case] = [
        Case(
            name: "a body over max_body_bytes",
            body: Array(
                String(repeating: valid.dropLast() + #","notes":""# + String(repeating: "案", count: 150) + "\"}\n", count: 3_000).utf8),
            status: 413, problem: "body-too-large"),
        Case(
            name: "nesting 100,000 deep",
            body: json(#"{"case_no":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}\n"),
            status: 422, problem: "limit-exceeded"),
        Case(
            name: "a string of 200 KB",
            body: record(replacing: "欧阳娜娜", with: Array(String(repeating: "娜", count: 70_000).utf8)), status: 422, problem: "limit-exceeded"),
        Case(
            name: "a number of 100,000 digits", body: json(#"{"case_no":"# + String(repeating: "9", count: 100_000) + "}\n"), status: 422,
            problem: "limit-exceeded"),
        Case(
            name: "a number of 101 digits", body: json(#"{"case_no":"# + String(repeating: "9", count: 101) + "}\n"), status: 422,
            problem: "limit-exceeded"),
        Case(name: "a bell in a name", body: record(replacing: "欧阳娜娜", with: Array(#"欧阳\u0007娜娜"#.utf8)), status: 422, problem: "invalid-records"),
        Case(name: "invalid UTF-8", body: record(replacing: "欧阳娜娜", with: [0xE6, 0xAC, 0xFF, 0xFE]), status: 422, problem: "malformed-body"),
        Case(name: "overlong UTF-8 for a slash", body: record(replacing: "A1", with: [0xC0, 0xAF]), status: 422, problem: "malformed-body"),
        Case(name: "a UTF-8 surrogate", body: record(replacing: "A1", with: [0xED, 0xA0, 0x80]), status: 422, problem: "malformed-body"),
        Case(
            name: "a raw NUL inside a string", body: record(replacing: "欧阳娜娜", with: [0xE6, 0xAC, 0xA7, 0x00, 0xE9, 0x98, 0xB3]), status: 422,
            problem: "malformed-body"),
        Case(
            name: "an escaped NUL in a name", body: record(replacing: "欧阳娜娜", with: Array(#"欧阳\u0000娜娜"#.utf8)), status: 422,
            problem: "invalid-records"),
        Case(
            name: "duplicate keys", body: json(#"{"case_no":"A1","case_no":"A2","name":"欧阳娜娜","id_number":"11010519491231002X"}"# + "\n"),
            status: 422, problem: "malformed-body"),
        Case(
            name: "a field the agreement does not list",
            body: json(#"{"case_no":"A1","name":"欧阳娜娜","id_number":"11010519491231002X","religion":"x"}"# + "\n"), status: 422,
            problem: "unlisted-fields"),
        Case(name: "a record that is not an object", body: json("[1,2,3]\n"), status: 422, problem: "malformed-body"),
        Case(name: "an empty body", body: [], status: 422, problem: "malformed-body"),
        Case(
            name: "CSV with broken quoting", contentType: "text/csv", body: json("case_no,name,id_number\n\"A1,欧阳娜娜,11010519491231002X\n"),
            status: 422, problem: "malformed-body"),
        Case(
            name: "CSV with a missing column", contentType: "text/csv", body: json("case_no,name,id_number\nA1,欧阳娜娜\n"), status: 422,
            problem: "malformed-body"),
        Case(
            name: "CSV with an extra column", contentType: "text/csv", body: json("case_no,name,id_number\nA1,欧阳娜娜,11010519491231002X,extra\n"),
            status: 422, problem: "malformed-body"),
        Case(
            name: "CSV with a duplicate header", contentType: "text/csv",
            body: json("case_no,case_no,name,id_number\nA1,A2,欧阳娜娜,11010519491231002X\n"), status: 422, problem: "malformed-body"),
        Case(
            name: "a content type the gateway does not read", contentType: "application/xml", body: json("<r/>"), status: 415,
            problem: "unsupported-media-type"),
    ]

    /// A gateway for the catalogue, its body limit lowered so a "huge" body is 1 MiB. Each
    /// test makes its own and stops it: a gateway held in a static would outlive the tests.
    static func gateway() throws -> GatewayProcess {
        try GatewayProcess(
            configuration: "limits: { max_body_bytes: 1 MiB, max_field_bytes: 65536, max_depth: 16 }\nconnections: { uploads_per_agency: 64 }\n")
    }

    static func submit(_ gateway: GatewayProcess, contentType: String, body: [UInt8], path: String = "/v1/agreements/psb-household-check/packages")
        throws -> (status: Int, body: String)
    {
        let file = gateway.folder + "/hostile-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: file, contents: Data(body))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try gateway.curl(as: "district-psb", ["-H", "Content-Type: " + contentType, "--data-binary", "@" + file, gateway.url + path])
    }

    /// Every hostile body, id and head against one gateway; then, of all of it, only the
    /// request split at every byte is stored, and the trail verifies.
    @Test func theCatalogueGetsClearRefusalsAndLeavesNoTrace() throws {
        let gateway = try Self.gateway()
        for hostile in Self.cases {
            let answer = try Self.submit(gateway, contentType: hostile.contentType, body: hostile.body)
            #expect(answer.status == hostile.status, "\(hostile.name): \(answer.body.prefix(300))")
            #expect(answer.body.contains("urn:sluice:problem:" + hostile.problem), "\(hostile.name): \(answer.body.prefix(300))")
        }

        // Ids and cursors with path or SQL syntax reach no file and no query: 404 or 400.
        for (path, status) in [
            ("/v1/packages/..%2F..%2F.sluice%2Fsluice.sqlite", 404), ("/v1/packages/1'%20OR%20'1'%3D'1", 404), ("/v1/packages/%00", 404),
            ("/v1/inbox?cursor=%27%20OR%201%3D1--", 400), ("/v1/inbox?limit=1;DROP%20TABLE%20packages", 400),
            ("/v1/agreements/..%2Fagencies/packages", 404),
        ] {
            let method = path.hasSuffix("/packages") ? ["-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", Self.valid] : []
            let answer = try gateway.curl(as: "district-procuratorate", method + [gateway.url + path])
            #expect(answer.status == status, "\(path): \(answer.body.prefix(300))")
        }

        // A head of 100 KB is refused or cut off, not buffered; a request sent one byte per
        // write, without pause, is read like any other.
        let huge = "GET /v1/inbox HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + String(repeating: "a", count: 100_000) + "\r\n\r\n"
        let head = try gateway.rawRequest(as: "district-procuratorate", huge)
        #expect(head.hasPrefix("HTTP/1.1 431") || head.hasPrefix("HTTP/1.1 400") || head == "CLOSED", "\(head)")
        let body = Self.valid + "\n"
        let split =
            "POST /v1/agreements/psb-household-check/packages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        #expect(try gateway.rawRequest(as: "district-psb", split, trickle: 0, from: 0).hasPrefix("HTTP/1.1 201"))

        let inbox = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox"])
        let packages = ((try? JSONSerialization.jsonObject(with: Data(inbox.body.utf8))) as? [String: Any])?["packages"] as? [Any]
        #expect(packages?.count == 1, "\(inbox.body.prefix(300))")
        #expect(gateway.stop() == 0)
        let trail = try gateway.exportedTrail()
        #expect(TrustBoundaryTests.entries(trail, action: "submit.accepted").count == 1)
        #expect(TrustBoundaryTests.entries(trail, action: "submit.rejected").count >= Self.cases.count)
        let verified = try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify"], in: gateway.folder)
        #expect(verified.status == 0, "\(verified.stdout)")
    }

    /// A body far over the limit is refused as soon as the limit is passed, not after the
    /// whole of it was read: 20 MiB sent at 4 MiB a second would take five seconds.
    @Test func aBodyFarOverTheLimitIsRefusedWhileItStreams() throws {
        let gateway = try Self.gateway()
        let file = gateway.folder + "/huge.ndjson"
        // Long records, so the 1 MiB body limit comes before the agreement's record limit.
        let line = Self.valid.dropLast() + #","notes":""# + String(repeating: "案", count: 150) + "\"}\n"
        FileManager.default.createFile(atPath: file, contents: Data(String(repeating: line, count: (20 << 20) / line.utf8.count).utf8))
        let answer = try SluiceProcess.run(
            "/usr/bin/curl",
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "--limit-rate", "4M", "--cacert", "Certs/dev-ca.pem", "--cert",
                "Certs/agencies/district-psb.pem", "--key", ".sluice/keys/agencies/district-psb.key.pem", "-H", "Content-Type: application/x-ndjson",
                "--data-binary", "@" + file, gateway.url + "/v1/agreements/psb-household-check/packages",
            ], in: gateway.folder)
        let parts = answer.stdout.split(separator: " ")
        #expect(parts.first == "413", "\(answer.stdout)")
        #expect((parts.last.flatMap { Double($0) } ?? 99) < 3, "answered after \(parts.last ?? "?") s: the body was read to its end")
        #expect(gateway.stop() == 0)
    }
}
