import Foundation
import Testing

/// `sluice demo` is what a newcomer runs first: the whole exchange must go through, every
/// step's command as the README shows it (a receipt check without the signing certificate
/// once broke it unnoticed).
@Suite struct DemoCommandTests {
    @Test func theDemoRunsEveryStepToTheEnd() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: SluiceProcess.repositoryRoot + "/Agreements", toPath: folder + "/Agreements")
        let demo = try SluiceProcess.run(SluiceProcess.executable, ["demo"], in: folder)
        #expect(demo.status == 0, "\(demo.stderr.suffix(800))")
        #expect(demo.stdout.contains("the trail verifies"), "\(demo.stdout.suffix(400))")
    }
}
