import Foundation
import SluiceAPI
import Testing
import Yams

/// `openapi.yaml` and the Codable documents the gateway writes and the client reads are one
/// description: each schema's members are exactly its type's coding keys, and what the
/// schema requires is among them.
@Suite("openapi.yaml against the API documents") struct OpenAPIDocumentTests {
    static var schemas: [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)) ?? ""
        let document = (try? Yams.load(yaml: text)) as? [String: Any]
        return (document?["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
    }

    static func keys<Keys: CodingKey & CaseIterable>(_: Keys.Type) -> Set<String> { Set(Keys.allCases.map(\.stringValue)) }

    static let documents: [(schema: String, keys: Set<String>)] = [
        ("Receipt", keys(APIDocument.Receipt.CodingKeys.self)),
        ("AgreementSummary", keys(APIDocument.AgreementSummary.CodingKeys.self)),
        ("AgreementList", keys(APIDocument.AgreementList.CodingKeys.self)),
        ("InboxPage", keys(APIDocument.InboxPage.CodingKeys.self)),
        ("InboxPackage", keys(APIDocument.InboxPackage.CodingKeys.self)),
        ("Acknowledgement", keys(APIDocument.Acknowledgement.CodingKeys.self)),
        ("Health", keys(APIDocument.Health.CodingKeys.self)),
        ("Problem", keys(APIDocument.Problem.CodingKeys.self)),
        ("ProblemRecordError", keys(APIDocument.Problem.RecordError.CodingKeys.self)),
        ("RegistryAgreement", keys(APIDocument.RegistryAgreement.CodingKeys.self)),
        ("RegistryAgreementList", keys(APIDocument.RegistryAgreementList.CodingKeys.self)),
        ("AgreementApplication", keys(APIDocument.AgreementApplication.CodingKeys.self)),
        ("AgreementHistory", keys(APIDocument.AgreementHistory.CodingKeys.self)),
        ("AgreementVersionSummary", keys(APIDocument.AgreementVersionSummary.CodingKeys.self)),
        ("AgreementVersion", keys(APIDocument.AgreementVersion.CodingKeys.self)),
        ("StateChange", keys(APIDocument.StateChange.CodingKeys.self)),
        ("RegisteredAgency", keys(APIDocument.RegisteredAgency.CodingKeys.self)),
        ("AgencyCertificate", keys(APIDocument.AgencyCertificate.CodingKeys.self)),
        ("AgencyList", keys(APIDocument.AgencyList.CodingKeys.self)),
        ("AgencyAddition", keys(APIDocument.AgencyAddition.CodingKeys.self)),
        ("Revocation", keys(APIDocument.Revocation.CodingKeys.self)),
        ("KeyRotation", keys(APIDocument.KeyRotation.CodingKeys.self)),
        ("AuditCheckpoint", keys(APIDocument.AuditCheckpoint.CodingKeys.self)),
        ("AuditVerificationStatus", keys(APIDocument.AuditVerificationStatus.CodingKeys.self)),
        ("SigningCertificates", keys(APIDocument.SigningCertificates.CodingKeys.self)),
        ("AuditProof", keys(APIDocument.AuditProof.CodingKeys.self)),
        ("Reason", keys(APIDocument.Reason.CodingKeys.self)),
        ("AgencyAdditionRequest", keys(APIDocument.AgencyAdditionRequest.CodingKeys.self)),
        ("RevocationRequest", keys(APIDocument.RevocationRequest.CodingKeys.self)),
        ("KeyRotationRequest", keys(APIDocument.KeyRotationRequest.CodingKeys.self)),
        ("DataRequestCreation", keys(APIDocument.DataRequestCreation.CodingKeys.self)),
        ("DataRequestReceipt", keys(APIDocument.DataRequestReceipt.CodingKeys.self)),
        ("DataRequestSummary", keys(APIDocument.DataRequestSummary.CodingKeys.self)),
        ("DataRequestPage", keys(APIDocument.DataRequestPage.CodingKeys.self)),
        ("DataRequestDetail", keys(APIDocument.DataRequestDetail.CodingKeys.self)),
        ("DataRequestDecline", keys(APIDocument.DataRequestDecline.CodingKeys.self)),
    ]

    /// Every schema of `components` but the closed vocabularies and the raw entry has its
    /// type here: a new document cannot be added to one side only.
    @Test func everySchemaHasItsType() {
        let described = Set(Self.schemas.keys).subtracting(["AuditAction", "AuditEntry"])
        #expect(described == Set(Self.documents.map(\.schema)))
    }

    @Test(arguments: documents.map(\.schema))
    func theSchemasMembersAreTheTypesKeys(schema name: String) throws {
        let schema = try #require(Self.schemas[name] as? [String: Any], "\(name) is not in openapi.yaml's components")
        let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        let keys = try #require(Self.documents.first { $0.schema == name }?.keys)
        #expect(properties == keys, "\(name): only in openapi.yaml \(properties.subtracting(keys)), only in the type \(keys.subtracting(properties))")
        let required = Set(schema["required"] as? [String] ?? [])
        #expect(required.isSubset(of: keys), "\(name) requires \(required.subtracting(keys)), which the type lacks")
    }

    /// A nullable member is written as null, not left out, as the schema's `required` says.
    @Test func nullableMembersAreWrittenAsNull() throws {
        let page = APIDocument.InboxPage(
            packages: [
                .init(
                    packageID: "p", agreementID: "a", provider: "x", createdAt: "t", expiresAt: "u", records: 1, envelopeBytes: 2,
                    recipientCertificateSHA256: nil, answersRequest: nil)
            ], nextCursor: nil, withheld: 0)
        let object = try #require(try JSONSerialization.jsonObject(with: try APIDocument.encoded(page)) as? [String: Any])
        #expect(object.keys.contains("next_cursor") && object["next_cursor"] is NSNull)
        let package = try #require((object["packages"] as? [[String: Any]])?.first)
        let inboxPackage = try #require(Self.schemas["InboxPackage"] as? [String: Any])
        #expect(Set(package.keys) == Set(inboxPackage["required"] as? [String] ?? []))
        #expect(APIDocument.decoded(APIDocument.InboxPage.self, from: try APIDocument.encoded(page)) == page)
    }
}
