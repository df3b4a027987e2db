/// A value inside a submitted record, as JSON models it.
///
/// Numbers keep their exact text: amounts of money must reach the consumer digit for
/// digit, never through a binary floating point.
///
/// Not `indirect`: lists and objects already keep their members on the heap, and a boxed
/// case cost one allocation per decoded value, in every record.
public enum RecordValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number as written, validated against JSON's number grammar.
    case number(String)
    case string(String)
    case array([RecordValue])
    case object(RecordObject)

    /// Whether `text` follows JSON's number grammar (RFC 8259 §6): what a CSV cell must
    /// look like to count as a number.
    public static func isNumberText(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            var index = 0
            func at(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }
            func digits() -> Int {
                let start = index
                while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
                return index - start
            }
            if at(UInt8(ascii: "-")) { index += 1 }
            if at(UInt8(ascii: "0")) {
                index += 1
            } else if digits() == 0 {
                return false
            }
            if at(UInt8(ascii: ".")) {
                index += 1
                guard digits() > 0 else { return false }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if at(UInt8(ascii: "+")) || at(UInt8(ascii: "-")) { index += 1 }
                guard digits() > 0 else { return false }
            }
            return index == bytes.count
        }
    }

    /// The value's kind in words, for messages that must not show the value itself.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "text"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON object that keeps its members in the order they arrived, so output reads like
/// input.
public struct RecordObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    public private(set) var values: [RecordValue] = []

    public init() {}

    public init(_ pairs: [(String, RecordValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> RecordValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// An object from parallel arrays whose keys the caller knows are unique (a subset of
    /// a decoded record's keys, say): the arrays are taken as they are, not rebuilt.
    public init(uniqueKeys keys: [String], values: [RecordValue]) {
        precondition(keys.count == values.count, "one value per key")
        assert(Set(keys).count == keys.count, "init(uniqueKeys:values:) with a repeated key")
        self.keys = keys
        self.values = values
    }

    /// Makes room for `count` members, for a copy whose size is known beforehand.
    public mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// Appends a member whose key the caller knows is not present yet (a copy of a
    /// decoded record's members, say), skipping the search the subscript does.
    public mutating func appendNew(_ key: String, _ value: RecordValue) {
        assert(!keys.contains(key), "appendNew with a key already present")
        appendUnchecked(key, value)
    }

    /// Appends without looking for an existing key; decoders use it after their own
    /// duplicate check.
    mutating func appendUnchecked(_ key: String, _ value: RecordValue) {
        keys.append(key)
        values.append(value)
    }
}

/// One record of a submitted package: a top-level object and its place in the input.
public struct Record: Sendable, Hashable {
    /// 1-based position among the package's records; what errors cite.
    public var number: Int
    /// The input line the record starts on.
    public var line: Int
    public var fields: RecordObject

    public init(number: Int, line: Int, fields: RecordObject) {
        self.number = number
        self.line = line
        self.fields = fields
    }
}
