import Foundation
import SluiceAudit
import SluiceStore
import Testing

@testable import SluiceGateway

/// `openapi.yaml` names the closed vocabularies partners branch on: the problem types, the
/// audit actions and the storage conditions. They must be the code's, exactly.
@Suite struct OpenAPIVocabularyTests {
    static let document: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)) ?? ""
    }()

    @Test func everyProblemTypeIsDocumented() {
        let documented = Set(
            Self.document.split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("- urn:sluice:problem:") ? String(trimmed.dropFirst("- urn:sluice:problem:".count)) : nil
            })
        #expect(documented == Set(GatewayProblem.Kind.allCases.map(\.rawValue)))
    }

    @Test func everyAuditActionIsDocumented() throws {
        let line = try #require(Self.document.split(separator: "\n").first { $0.contains("enum: [submit.accepted") })
        let inside = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        let documented = Set(inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(documented == Set(AuditAction.allCases.map(\.rawValue)))
    }

    @Test func everyStorageConditionIsDocumented() throws {
        let line = try #require(Self.document.split(separator: "\n").first { $0.contains("storage: { enum: [ok") })
        let inside = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        let documented = Set(inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(documented == Set(["ok"] + StorageCondition.allCases.map(\.rawValue)))
    }
}
