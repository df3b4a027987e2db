import Foundation
import SluiceCore
import SluiceCrypto

/// A sealed package ready to be stored: everything its commit needs.
struct SealedSubmission: Sendable {
    var packageID: String
    var agreement: Agreement
    var agreementVersion: Int
    var caller: Caller
    var idempotencyKey: String?
    var bodySHA256: String
    var recordsAccepted: Int
    var fieldsDropped: [String: Int]
    var envelope: SealedEnvelope
    /// The consumer's certificate it was sealed to.
    var recipientSHA256: String
    var requestID: String
    var remoteAddress: String?
    var receivedAt: Date
    /// The consumer's request this package answers, if any, and its case number.
    var answersRequest: (id: String, caseNumber: String?)? = nil
}
