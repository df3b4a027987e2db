import Foundation
import SluiceCore

/// One immutable version of an agreement, as applied: the YAML exactly as the admin
/// wrote it, who applied it, and when.
public struct AgreementVersion: Sendable, Hashable {
    public var agreementID: String
    /// 1 for the first version applied, then one more each time.
    public var version: Int
    public var document: String
    /// SHA-256 of the document's UTF-8 bytes, hex.
    public var documentSHA256: String
    public var appliedAt: String
    public var appliedBy: String
    /// SHA-256 of the certificate the author presented; nil at the gateway host's console.
    public var appliedByCertificate: String?

    public init(
        agreementID: String, version: Int, document: String, documentSHA256: String, appliedAt: String, appliedBy: String,
        appliedByCertificate: String? = nil
    ) {
        self.agreementID = agreementID
        self.version = version
        self.document = document
        self.documentSHA256 = documentSHA256
        self.appliedAt = appliedAt
        self.appliedBy = appliedBy
        self.appliedByCertificate = appliedByCertificate
    }
}

/// A change of an agreement's status: to what, why, when, by whom.
public struct AgreementStateChange: Sendable, Hashable {
    public var agreementID: String
    public var status: AgreementStatus
    public var reason: String?
    public var changedAt: String
    public var changedBy: String
    public var changedByCertificate: String?

    public init(
        agreementID: String, status: AgreementStatus, reason: String?, changedAt: String, changedBy: String, changedByCertificate: String? = nil
    ) {
        self.agreementID = agreementID
        self.status = status
        self.reason = reason
        self.changedAt = changedAt
        self.changedBy = changedBy
        self.changedByCertificate = changedByCertificate
    }
}
