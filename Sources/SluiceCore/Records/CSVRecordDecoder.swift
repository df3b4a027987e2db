/// Decodes RFC 4180 CSV with a header row. Headers are field names; a dotted header
/// (`legal_rep.name`) fills a nested object; an empty cell is an absent value.
///
/// Rows end with CRLF, LF or a lone CR: spreadsheet programs still save "CSV (Macintosh)"
/// with carriage returns alone, and reading those as one long row would find no records.
public struct CSVRecordDecoder: RecordDecoder {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private let limits: DecodingLimits
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var row: [[UInt8]] = []
    private var rowBytes = 0
    private var header: [[String]]?
    private var line = 1
    private var rowLine = 1
    private var count = 0
    private var byteOrderMark = LeadingByteOrderMark()
    /// Whether the previous byte was a carriage return, so the line feed of a CRLF split
    /// across two pieces of the body still ends one row, not two.
    private var afterCarriageReturn = false

    public init(limits: DecodingLimits = .init()) {
        self.limits = limits
    }

    public mutating func feed(_ chunk: some Collection<UInt8>) throws(RecordFormatError) -> [Record] {
        var records: [Record] = []
        for byte in chunk {
            if try byteOrderMark.skips(byte, line: line) { continue }
            let endsCRLF = afterCarriageReturn && byte == 0x0A
            afterCarriageReturn = byte == 0x0D
            switch state {
            case .fieldStart:
                switch byte {
                case UInt8(ascii: "\""): state = .quoted
                case UInt8(ascii: ","): try endField()
                case 0x0A where endsCRLF: break
                case 0x0A, 0x0D: try endRow(into: &records)
                default:
                    state = .unquoted
                    try append(byte)
                }
            case .unquoted:
                switch byte {
                case UInt8(ascii: ","): try endField()
                case 0x0A, 0x0D: try endRow(into: &records)
                case UInt8(ascii: "\""): throw RecordFormatError(.strayQuote, line: line, record: header == nil ? nil : count + 1)
                default: try append(byte)
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    if byte == 0x0D || (byte == 0x0A && !endsCRLF) { line += 1 }
                    try append(byte)
                }
            case .quoteInQuoted:
                switch byte {
                case UInt8(ascii: "\""):
                    state = .quoted
                    try append(byte)
                case UInt8(ascii: ","): try endField()
                case 0x0A, 0x0D: try endRow(into: &records)
                default: throw RecordFormatError(.strayQuote, line: line, record: header == nil ? nil : count + 1)
                }
            }
        }
        return records
    }

    public mutating func finish() throws(RecordFormatError) -> [Record] {
        if byteOrderMark.isCutShort { throw RecordFormatError(.invalidUTF8, line: line) }
        if state == .quoted { throw RecordFormatError(.unterminatedQuote, line: rowLine, record: count + 1) }
        var records: [Record] = []
        if !row.isEmpty || !field.isEmpty || state != .fieldStart { try endRow(into: &records) }
        if header == nil { throw RecordFormatError(.missingHeader, line: 1) }
        return records
    }

    private mutating func append(_ byte: UInt8) throws(RecordFormatError) {
        field.append(byte)
        rowBytes += 1
        guard field.count <= limits.maxStringBytes else {
            throw RecordFormatError(.stringTooLong(limit: limits.maxStringBytes), line: line, record: count + 1)
        }
        guard rowBytes <= limits.maxRecordBytes else {
            throw RecordFormatError(.recordTooLarge(limit: limits.maxRecordBytes), line: rowLine, record: count + 1)
        }
    }

    private mutating func endField() throws(RecordFormatError) {
        row.append(field)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRow(into records: inout [Record]) throws(RecordFormatError) {
        try endField()
        defer {
            row.removeAll(keepingCapacity: true)
            rowBytes = 0
            line += 1
            rowLine = line
        }
        if row.count == 1, row[0].isEmpty { return }
        guard let header else {
            header = try Self.parseHeader(row, line: rowLine)
            return
        }
        guard row.count == header.count else {
            throw RecordFormatError(.fieldCount(expected: header.count, found: row.count), line: rowLine, record: count + 1)
        }
        guard count < limits.maxRecords else {
            throw RecordFormatError(.tooManyRecords(limit: limits.maxRecords), line: rowLine, record: count + 1)
        }
        count += 1
        var members: [(path: ArraySlice<String>, value: RecordValue)] = []
        members.reserveCapacity(row.count)
        for (path, cell) in zip(header, row) where !cell.isEmpty {
            guard let text = cell.withUnsafeBufferPointer(String.init(validatingUTF8Bytes:)) else {
                throw RecordFormatError(.invalidUTF8, line: rowLine, record: count)
            }
            members.append((path[...], .string(text)))
        }
        records.append(Record(number: count, line: rowLine, fields: RecordObject(placing: members)))
    }

    /// Header cells are never echoed in errors: a file without a header row has its
    /// first record there, and that may hold personal data. Columns are named by number.
    private static func parseHeader(_ row: [[UInt8]], line: Int) throws(RecordFormatError) -> [[String]] {
        var paths: [FieldPath] = []
        // Each column's path, and each path that is a strict prefix of a column's (with the
        // first such column): what a new column must not equal, contain or be contained in.
        var columnOf: [[String]: Int] = [:]
        var insideOf: [[String]: Int] = [:]
        for (column, cell) in row.enumerated() {
            guard let text = String(validating: cell, as: UTF8.self) else { throw RecordFormatError(.invalidUTF8, line: line) }
            let name = text.trimmingWhitespace()
            guard !name.isEmpty else { throw RecordFormatError(.badHeader("column \(column + 1) has no name"), line: line) }
            guard let path = FieldPath(name) else {
                throw RecordFormatError(
                    .badHeader(
                        "column \(column + 1) is not a valid field name (letters, digits, _ and -, parts joined by dots); is the header row missing?"),
                    line: line)
            }
            // By hashing, not by scanning the columns before: a header of n columns costs n.
            if let earlier = columnOf[path.segments] {
                throw RecordFormatError(.badHeader("columns \(earlier + 1) and \(column + 1) have the same name"), line: line)
            }
            let overlapping =
                path.segments.indices.dropLast().lazy.compactMap { columnOf[Array(path.segments[...$0])] }.first
                ?? insideOf[path.segments]
            if let other = overlapping {
                throw RecordFormatError(.badHeader("columns \(other + 1) and \(column + 1) overlap (one names a part of the other)"), line: line)
            }
            columnOf[path.segments] = column
            for end in path.segments.indices.dropLast() where insideOf[Array(path.segments[...end])] == nil {
                insideOf[Array(path.segments[...end])] = column
            }
            paths.append(path)
        }
        return paths.map(\.segments)
    }
}

extension RecordObject {
    /// An object from values at dotted paths that are unique and none inside another (a
    /// checked CSV header's), members in the order their first path names them. Each
    /// member is placed once, by hashing: setting one path at a time searched the object
    /// for every column, the square of a row's width.
    init(placing members: [(path: ArraySlice<String>, value: RecordValue)]) {
        self.init()
        var order: [String] = []
        var leaves: [String: RecordValue] = [:]
        var nested: [String: [(path: ArraySlice<String>, value: RecordValue)]] = [:]
        for (path, value) in members {
            guard let key = path.first else { continue }
            if path.count == 1 {
                order.append(key)
                leaves[key] = value
            } else {
                if nested[key] == nil { order.append(key) }
                nested[key, default: []].append((path.dropFirst(), value))
            }
        }
        reserveCapacity(order.count)
        for key in order {
            if let value = leaves[key] {
                appendUnchecked(key, value)
            } else if let inner = nested[key] {
                appendUnchecked(key, .object(RecordObject(placing: inner)))
            }
        }
    }
}
