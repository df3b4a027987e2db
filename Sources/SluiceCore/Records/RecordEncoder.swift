/// Writes masked records in one of the record formats, a record at a time.
///
/// CSV needs its columns up front: the agreement's fields, in the agreement's order.
public struct RecordEncoder: Sendable {
    public let format: RecordFormat
    public let columns: [FieldPath]
    private var count = 0

    public init(format: RecordFormat, columns: [FieldPath]) {
        self.format = format
        self.columns = columns
    }

    public mutating func begin(into out: inout [UInt8]) {
        switch format {
        case .ndjson: break
        case .json: out.append(UInt8(ascii: "["))
        case .csv:
            out.append(contentsOf: columns.map { Self.csvCell($0.description) }.joined(separator: ",").utf8)
            out.append(contentsOf: [0x0D, 0x0A])
        }
    }

    public mutating func append(_ record: RecordObject, into out: inout [UInt8]) {
        switch format {
        case .ndjson:
            JSONWriter.append(record, to: &out)
            out.append(0x0A)
        case .json:
            out.append(contentsOf: count == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            JSONWriter.append(record, to: &out)
        case .csv:
            for (index, column) in columns.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if let value = record.value(at: column.segments[...]) {
                    out.append(contentsOf: Self.csvCell(Self.text(of: value)).utf8)
                }
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        count += 1
    }

    public func end(into out: inout [UInt8]) {
        if format == .json { out.append(contentsOf: count == 0 ? [UInt8(ascii: "]"), 0x0A] : [0x0A, UInt8(ascii: "]"), 0x0A]) }
    }

    static func text(of value: RecordValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text), .string(let text): return text
        case .array, .object:
            var bytes: [UInt8] = []
            JSONWriter.append(value, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// RFC 4180 quoting, and a leading `'` before text a spreadsheet would run as a
    /// formula (`=`, `+`, `-`, `@`), so opening an export cannot execute anything.
    static func csvCell(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), !RecordValue.isNumberText(text) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || text.first == " " || text.last == " "
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension RecordObject {
    /// The value at a dotted path, if every step exists.
    public func value(at path: ArraySlice<String>) -> RecordValue? {
        guard let key = path.first, let value = self[key] else { return nil }
        if path.count == 1 { return value }
        guard case .object(let child) = value else { return nil }
        return child.value(at: path.dropFirst())
    }
}
