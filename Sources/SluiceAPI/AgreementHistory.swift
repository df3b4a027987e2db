extension APIDocument {
    /// Every version of an agreement and every change of its state.
    public struct AgreementHistory: Codable, Sendable, Hashable {
        public var agreementID: String
        public var versions: [AgreementVersionSummary]
        public var states: [StateChange]

        public init(agreementID: String, versions: [AgreementVersionSummary], states: [StateChange]) {
            self.agreementID = agreementID
            self.versions = versions
            self.states = states
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agreementID = "agreement_id"
            case versions
            case states
        }
    }
}
