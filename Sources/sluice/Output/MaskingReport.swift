import SluiceCore
import SluiceMasking

/// The masking summary for people (a few plain lines) and for scripts (`--json`).
struct MaskingReport: Encodable {
    var recordsIn: Int
    var recordsOut: Int
    var recordsFailed: Int
    var droppedFields: [String: Int]
    var rejectedFields: [String]
    var maskedByRule: [String: Int]
    var maskedByField: [String: Int]
    var detections: [String: Int]
    var unrecognisedAddresses: Int
    var recordValuesInText: Int
    var unexpectedValues: [String: Int]
    var otherUnlistedFields: Int
    var problems: [String]
    var problemCount: Int

    init(_ summary: MaskingSummary) {
        recordsIn = summary.recordsIn
        recordsOut = summary.recordsOut
        recordsFailed = summary.recordsFailed
        droppedFields = summary.droppedFields
        rejectedFields = summary.rejectedFields.sorted()
        maskedByRule = summary.maskedByRule
        maskedByField = summary.maskedByField
        detections = Dictionary(uniqueKeysWithValues: summary.detections.map { ($0.key.rawValue, $0.value) })
        unrecognisedAddresses = summary.unrecognisedAddresses
        recordValuesInText = summary.recordValuesInText
        unexpectedValues = summary.unexpectedValues
        otherUnlistedFields = summary.otherUnlistedFields
        problems = summary.problems.map(\.description)
        problemCount = summary.problemCount
    }

    enum CodingKeys: String, CodingKey {
        case recordsIn = "records_in"
        case recordsOut = "records_out"
        case recordsFailed = "records_failed"
        case droppedFields = "dropped_fields"
        case rejectedFields = "rejected_fields"
        case maskedByRule = "masked_by_rule"
        case maskedByField = "masked_by_field"
        case detections
        case unrecognisedAddresses = "unrecognised_addresses"
        case problems
        case problemCount = "problem_count"
        case recordValuesInText = "record_values_in_text"
        case otherUnlistedFields = "other_unlisted_fields"
        case unexpectedValues = "unexpected_values"
    }

    static func text(_ summary: MaskingSummary, agreement: Agreement) -> String {
        func list(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        var lines = ["agreement \(agreement.id): \(counted(summary.recordsIn, "record")) in, \(summary.recordsOut) out"]
        if summary.recordsFailed > 0 { lines.append("failed validation: \(counted(summary.recordsFailed, "record"))") }
        if !summary.maskedByRule.isEmpty { lines.append("masked by rule: " + list(summary.maskedByRule)) }
        if !summary.detections.isEmpty {
            lines.append("found in free text: " + list(Dictionary(uniqueKeysWithValues: summary.detections.map { ($0.key.rawValue, $0.value) })))
        }
        if summary.recordValuesInText > 0 {
            lines.append("the record's own masked values found in its free text: \(summary.recordValuesInText)")
        }
        if !summary.unexpectedValues.isEmpty {
            lines.append("redacted whole (not what the mask keeps part of): " + list(summary.unexpectedValues))
        }
        if !summary.droppedFields.isEmpty { lines.append("unlisted fields dropped: " + list(summary.droppedFields)) }
        if summary.otherUnlistedFields > 0 { lines.append("more unlisted fields, not named: \(summary.otherUnlistedFields)") }
        if summary.unrecognisedAddresses > 0 {
            lines.append("addresses redacted whole (parts not recognised): \(summary.unrecognisedAddresses)")
        }
        if !summary.rejectedFields.isEmpty {
            lines.append(
                "REJECTED: fields not on the agreement's whitelist: " + summary.rejectedFields.sorted().joined(separator: ", "))
        }
        for problem in summary.problems { lines.append("problem: \(problem)") }
        if summary.problemCount > summary.problems.count {
            lines.append("… and \(summary.problemCount - summary.problems.count) more problems")
        }
        return lines.joined(separator: "\n")
    }
}
