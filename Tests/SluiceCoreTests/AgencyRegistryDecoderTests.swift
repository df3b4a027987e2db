import SluiceCore
import Testing

@Suite struct AgencyRegistryDecoderTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try AgencyRegistryDecoder().decode(text, file: "agencies.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func decodesAgencies() throws {
        let registry = try AgencyRegistryDecoder().decode(
            """
            agencies:
              - id: district-psb
                name: 江东区公安分局
                roles: [partner]
                certificate: agencies/district-psb.pem
              - id: audit
                name: 审计员
                roles: [auditor, admin]
                certificate: agencies/audit.pem
            """, file: "agencies.yaml")
        #expect(registry.agencies.map(\.id) == ["district-psb", "audit"])
        #expect(registry.agency("audit")?.roles == [.admin, .auditor])
        #expect(registry.agency("district-psb")?.name == "江东区公安分局")
    }

    @Test func reportsEachProblem() {
        let text = """
            agencies:
              - id: a
                name: A
                roles: [partner, owner]
                certificate: /etc/a.pem
              - id: a
                name: Again
                roles: [partner]
                certificate: a.pem
              - id: b c
                name: B
                roles: []
                certificate: b.pem
                email: b@example.org
            """
        #expect(
            problems(text) == [
                "agencies.yaml:4:22: error: role \"owner\" is not one of partner, admin, auditor",
                "agencies.yaml:5:18: error: certificate must be a path inside the Certs/ folder, such as agencies/district-psb.pem",
                "agencies.yaml:6:5: error: agency \"a\" is listed twice (first on line 2)",
                "agencies.yaml:10:9: error: agency id \"b c\" is not a safe identifier: use 1 to 64 ASCII letters, digits, \"-\", \"_\" or \".\", starting with a letter or digit (no spaces or slashes)",
                "agencies.yaml:12:12: error: roles lists no role; give at least one of partner, admin, auditor",
                "agencies.yaml:14:5: error: unknown key \"email\" in agency 3; the keys allowed here are id, name, roles, certificate, gm_certificate",
            ])
    }

    /// A certificate path may not leave the Certs/ folder, also where a combining mark
    /// after "/" hides the slash from a comparison of Characters.
    @Test(arguments: ["/etc/a.pem", "../a.pem", "agencies/../../a.pem", "/\u{301}etc/a.pem", "../\u{301}x/a.pem", "a/..//b.pem"])
    func certificatePathsStayInsideTheCertsFolder(path: String) {
        let text = "agencies:\n  - id: a\n    name: A\n    roles: [partner]\n    certificate: \"\(path)\"\n"
        #expect(problems(text).count == 1)
        #expect(problems(text).first?.contains("certificate must be a path inside the Certs/ folder") == true)
    }
}
