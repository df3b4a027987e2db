/// The dotted name of a field in a record, `address.city` for a nested object's member.
public struct FieldPath: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let segments: [String]

    /// Returns nil unless every segment is a non-empty run of letters, digits, `_` or `-`.
    /// Letters may be Chinese: CSV headers such as 姓名 are common in partner data.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty,
            parts.allSatisfy({ part in
                !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            })
        else { return nil }
        segments = parts
    }

    public var description: String { segments.joined(separator: ".") }

    /// Whether `self` lies inside `other`, as `address.city` lies inside `address`.
    public func isInside(_ other: FieldPath) -> Bool {
        segments.count > other.segments.count && Array(segments.prefix(other.segments.count)) == other.segments
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let path = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad field path"))
        }
        self = path
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
