import SluiceCore

extension MaskingSummary {
    /// The summary as it travels in a package payload and a receipt: counts and field
    /// names, with stable snake_case keys.
    public var payloadObject: RecordObject {
        func counts(_ values: [String: Int]) -> RecordValue {
            .object(RecordObject(values.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))
        }
        return RecordObject([
            ("records_in", .number(String(recordsIn))),
            ("records_out", .number(String(recordsOut))),
            ("masked_by_rule", counts(maskedByRule)),
            ("masked_by_field", counts(maskedByField)),
            ("detections", counts(Dictionary(uniqueKeysWithValues: detections.map { ($0.key.rawValue, $0.value) }))),
            ("dropped_fields", counts(droppedFields)),
            ("unrecognised_addresses", .number(String(unrecognisedAddresses))),
        ])
    }
}
