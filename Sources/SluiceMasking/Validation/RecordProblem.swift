import SluiceCore

/// What is wrong with one field of one record: the record's number, the field's name,
/// and why, in words. Never the value: problems reach logs, audit entries and partners.
public struct RecordProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var record: Int
    public var field: String
    public var reason: Reason

    public init(record: Int, field: String, reason: Reason) {
        self.record = record
        self.field = field
        self.reason = reason
    }

    public enum Reason: Error, Sendable, Hashable, Codable {
        /// A required field is absent or null.
        case missing
        /// The value is of another JSON kind than the field's type needs.
        case wrongKind(expected: String, found: String)
        /// The value has the right kind but is not a valid value of the type.
        case invalid(type: FieldType, why: String)
    }

    public var description: String {
        let place = "record \(record), field \(field)"
        switch reason {
        case .missing: return "\(place): required but missing"
        case .wrongKind(let expected, let found): return "\(place): expected \(expected), found \(found)"
        case .invalid(let type, let why): return "\(place): not a valid \(type.rawValue) (\(why))"
        }
    }
}
