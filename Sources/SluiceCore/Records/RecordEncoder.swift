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
    /// formula (starting with `=`, `+`, `-` or `@`, or with a tab or carriage return, which
    /// some spreadsheets skip before one), so opening an export cannot execute anything.
    ///
    /// Decided on the UTF-8 bytes, not on characters: "\r\n" is one `Character`, equal to
    /// neither "\r" nor "\n", and a comma or quote followed by a combining mark is a
    /// character of its own. Either would otherwise escape the quoting and split the row.
    static func csvCell(_ text: String) -> String {
        var text = text
        if let first = text.utf8.first, Self.formulaStarts.contains(first), !RecordValue.isNumberText(text) { text = "'" + text }
        let bytes = text.utf8
        guard bytes.contains(where: Self.needsQuotes.contains) || bytes.first == 0x20 || bytes.last == 0x20 else { return text }
        var quoted: [UInt8] = [0x22]
        quoted.reserveCapacity(bytes.count + 8)
        for byte in bytes {
            quoted.append(byte)
            if byte == 0x22 { quoted.append(0x22) }
        }
        quoted.append(0x22)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// `=`, `+`, `-`, `@`, tab and carriage return.
    private static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
    /// Comma, quote, line feed and carriage return.
    private static let needsQuotes: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D]
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
