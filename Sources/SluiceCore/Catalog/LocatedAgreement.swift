/// An agreement together with the file it was read from.
public struct LocatedAgreement: Sendable, Hashable {
    public var agreement: Agreement
    public var file: String

    public init(agreement: Agreement, file: String) {
        self.agreement = agreement
        self.file = file
    }
}
