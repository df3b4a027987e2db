import Crypto
import Foundation
import Testing
import X509

@testable import SluiceCrypto

@Suite struct ReceiptTests {
    let receipt = Receipt(
        packageID: "p-1", agreementID: "psb-household-check", agreementVersion: 3, provider: "district-psb",
        consumer: "district-procuratorate", bodySHA256: String(repeating: "ab", count: 32), recordsAccepted: 120,
        fieldsDropped: ["extra": 2], auditEntryIndex: 41, checkpoint: "sluice.example/log\n42\nAAAA\n", issuedAt: "2026-11-29T00:00:00Z")

    @Test func theEncodingIsCanonical() {
        let text = String(decoding: receipt.encoded(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"agreement":{"id":"psb-household-check","version":3},"audit_entry_index":41,"body_sha256":"#))
        #expect(text.hasSuffix(#""provider":"district-psb","records_accepted":120}"#))
    }
}
