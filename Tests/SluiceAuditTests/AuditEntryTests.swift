import Crypto
import Foundation
import Testing
@testable import SluiceAudit

@Suite struct AuditEntryTests {
    let entry = AuditEntry(
        sequence: 41, time: "2026-11-29T01:02:03.004Z",
        actor: AuditActor(kind: .agency, id: "district-psb", certificateFingerprint: "ab12"), action: .submitRejected,
        agreementID: "psb-household-check", agreementVersion: 3, outcome: .rejected,
        reason: "fields not on the agreement's whitelist: salary", requestID: "r-9", remoteAddress: "127.0.0.1",
        details: ["records": .count(120), "rejected_fields": .names(["salary"]), "body_sha256": .digest("ff00")])

    @Test func canonicalJSONIsSortedAndComplete() {
        let text = String(decoding: entry.canonicalJSON, as: UTF8.self)
        #expect(
            text
                == #"{"action":"submit.rejected","actor":{"certificate_sha256":"ab12","id":"district-psb","kind":"agency"},"#
                + #""agreement":{"id":"psb-household-check","version":3},"details":{"body_sha256":"ff00","records":120,"rejected_fields":["salary"]},"#
                + #""outcome":"rejected","package_id":null,"reason":"fields not on the agreement's whitelist: salary","#
                + #""remote_address":"127.0.0.1","request_id":"r-9","sequence":41,"time":"2026-11-29T01:02:03.004Z"}"#)
    }

    @Test func theLeafHashIsRFC9162sOverTheCanonicalBytes() {
        var hash = SHA256()
        hash.update(data: [0x00] + entry.canonicalJSON)
        #expect(entry.leafHash.bytes == Array(hash.finalize()))
        var changed = entry
        changed.details["records"] = .count(121)
        #expect(changed.leafHash != entry.leafHash)
    }

    @Test func theVocabularyIsClosedAndNamesAreUnique() {
        #expect(Set(AuditAction.allCases.map(\.rawValue)).count == AuditAction.allCases.count)
        #expect(AuditAction.allCases.count == 22)
    }
}
