import SluiceCore

extension MaskingSummary {
    /// The summary as it travels in a package payload: counts and field names, with
    /// stable snake_case keys. Names the agreement does not list are written as
    /// `recordName` says (the gateway gives keyed digests: such a name can be anything the
    /// provider's file held, a person's name in a CSV without its header row among them).
    public func payloadObject(recordingUnlistedName recordName: (String) -> String) -> RecordObject {
        func counts(_ values: [String: Int]) -> RecordValue {
            .object(RecordObject(values.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))
        }
        return RecordObject([
            ("records_in", .number(String(recordsIn))),
            ("records_out", .number(String(recordsOut))),
            ("masked_by_rule", counts(maskedByRule)),
            ("masked_by_field", counts(maskedByField)),
            ("detections", counts(Dictionary(uniqueKeysWithValues: detections.map { ($0.key.rawValue, $0.value) }))),
            ("dropped_fields", counts(recorded(droppedFields, recordName))),
            ("other_dropped_fields", .number(String(otherUnlistedFields))),
            ("unrecognised_addresses", .number(String(unrecognisedAddresses))),
            ("record_values_in_text", .number(String(recordValuesInText))),
            ("unexpected_values", counts(unexpectedValues)),
        ])
    }

    /// Dropped-field counts by their recorded names.
    public func recorded(_ counts: [String: Int], _ recordName: (String) -> String) -> [String: Int] {
        var out: [String: Int] = [:]
        for (name, count) in counts { out[recordName(name), default: 0] += count }
        return out
    }
}
