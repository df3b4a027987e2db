import Foundation
import Testing

@testable import SluiceGateway

/// What a gateway tells its operator at start about the agreements folder beside the
/// registry it serves from.
@Suite("Startup warnings") struct StartupWarningsTests {
    @Test func filesThatDifferOrAreNotAppliedAreNamedWithTheCommandThatAppliesThem() throws {
        let fixture = try GatewayRouteTests.Fixture()
        #expect(fixture.state.startupWarnings.isEmpty)
        let folder = fixture.state.configuration.agreementsDirectory
        let changed = folder + "/psb-household-check.yaml"
        let text = try String(contentsOfFile: changed, encoding: .utf8)
        try text.replacingOccurrences(of: "title:", with: "title: Changed").write(toFile: changed, atomically: true, encoding: .utf8)
        let added = folder + "/psb-household-check-copy.yaml"
        try text.replacingOccurrences(of: "id: psb-household-check", with: "id: psb-household-check-copy")
            .write(toFile: added, atomically: true, encoding: .utf8)

        let restarted = try GatewayState(configuration: fixture.state.configuration)
        let warnings = restarted.startupWarnings
        #expect(warnings.count == 2, "\(warnings)")
        #expect(
            warnings.contains { $0.contains("psb-household-check.yaml differs from the applied version 1") && $0.contains("sluice agreement apply") })
        #expect(warnings.contains { $0.contains("psb-household-check-copy.yaml is not applied") })
    }
}
