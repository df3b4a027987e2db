import Foundation
import SluiceCore
import Testing

@Suite struct AgreementCatalogTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "sluice-catalog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theShippedExamplesAreValid() {
        let folder = Self.repositoryRoot + "/Agreements"
        let catalog = AgreementCatalog.load(paths: [folder])
        #expect(catalog.diagnostics.map(\.description) == [])
        #expect(catalog.agreements.count >= 4)
        #expect(catalog.registry?.agencies.count ?? 0 >= 5)
        let providers = Set(catalog.agreements.map(\.agreement.provider))
        #expect(providers.isSuperset(of: ["district-psb", "district-amr", "district-tax", "jiangdong-rcb"]))
        #expect(catalog.agreements.allSatisfy { $0.agreement.consumer == "district-procuratorate" })
    }

    @Test func twoFilesClaimingOneIdAreRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let registry = """
            agencies:
              - { id: district-psb, name: A, roles: [partner], certificate: a.pem }
              - { id: district-procuratorate, name: B, roles: [partner], certificate: b.pem }
            """
        try registry.write(toFile: folder + "/agencies.yaml", atomically: true, encoding: .utf8)
        try AgreementFixtures.valid.write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        try AgreementFixtures.valid.write(toFile: folder + "/b.yaml", atomically: true, encoding: .utf8)
        let catalog = AgreementCatalog.load(paths: [folder])
        #expect(
            catalog.diagnostics.map(\.description) == [
                "\(folder)/b.yaml:1:5: error: agreement id \"psb-household-check\" is already used by \(folder)/a.yaml; each agreement needs its own id"
            ])
        #expect(catalog.agreements.count == 1)
    }

    @Test func aMissingRegistryIsAProblemNotASilentPass() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AgreementFixtures.valid.write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        let catalog = AgreementCatalog.load(paths: [folder + "/a.yaml"], fallbackRegistry: folder + "/nowhere.yaml")
        #expect(catalog.diagnostics.map(\.code) == [.missingRegistry])
    }

    @Test func aMissingPathIsReported() {
        let catalog = AgreementCatalog.load(paths: ["/nonexistent/agreements"], registryPath: Self.repositoryRoot + "/Agreements/agencies.yaml")
        #expect(catalog.diagnostics.map(\.description) == ["/nonexistent/agreements:1:1: error: /nonexistent/agreements does not exist"])
    }
}
