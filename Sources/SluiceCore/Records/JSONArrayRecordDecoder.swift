/// Decodes a JSON array of objects, one record per element, without holding the whole
/// array: each element is cut out as its bytes arrive and parsed on its own.
public struct JSONArrayRecordDecoder: RecordDecoder {
    private enum State { case beforeArray, firstElementOrEnd, element, inElement, commaOrEnd, done }

    private let limits: DecodingLimits
    private var state = State.beforeArray
    private var element: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var line = 1
    private var elementLine = 1
    private var count = 0
    private var byteOrderMark = LeadingByteOrderMark()
    private var shape = RecordShape()

    public init(limits: DecodingLimits = .init()) {
        self.limits = limits
    }

    public mutating func feed(_ chunk: some Collection<UInt8>) throws(RecordFormatError) -> [Record] {
        var records: [Record] = []
        for byte in chunk {
            if try byteOrderMark.skips(byte, line: line) { continue }
            if state == .inElement {
                try consumeElementByte(byte, into: &records)
                continue
            }
            if byte == 0x0A { line += 1 }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            switch state {
            case .beforeArray:
                guard byte == UInt8(ascii: "[") else {
                    throw RecordFormatError(.notAnArray(found: NDJSONRecordDecoder.describe(startingWith: byte)), line: line)
                }
                state = .firstElementOrEnd
            case .firstElementOrEnd where byte == UInt8(ascii: "]"):
                state = .done
            case .firstElementOrEnd, .element:
                guard byte == UInt8(ascii: "{") else {
                    throw RecordFormatError(
                        .notAnObject(found: NDJSONRecordDecoder.describe(startingWith: byte)), line: line, record: count + 1)
                }
                guard count < limits.maxRecords else {
                    throw RecordFormatError(.tooManyRecords(limit: limits.maxRecords), line: line, record: count + 1)
                }
                state = .inElement
                elementLine = line
                element.removeAll(keepingCapacity: true)
                try consumeElementByte(byte, into: &records)
            case .commaOrEnd:
                if byte == UInt8(ascii: ",") {
                    state = .element
                } else if byte == UInt8(ascii: "]") {
                    state = .done
                } else {
                    throw RecordFormatError(.invalidJSON("expected ',' or ']' between records"), line: line, record: count)
                }
            case .done:
                throw RecordFormatError(.invalidJSON("unexpected text after the closing ']'"), line: line)
            case .inElement:
                break
            }
        }
        return records
    }

    private mutating func consumeElementByte(_ byte: UInt8, into records: inout [Record]) throws(RecordFormatError) {
        element.append(byte)
        guard element.count <= limits.maxRecordBytes else {
            throw RecordFormatError(.recordTooLarge(limit: limits.maxRecordBytes), line: elementLine, record: count + 1)
        }
        if byte == 0x0A { line += 1 }
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            guard depth <= limits.maxDepth + 1 else {
                throw RecordFormatError(.tooDeep(limit: limits.maxDepth), line: line, record: count + 1)
            }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
                count += 1
                let object = try element.withUnsafeBufferPointer { buffer throws(RecordFormatError) in
                    try JSONValueParser.parse(buffer, limits: limits, firstLine: elementLine, record: count, shape: &shape)
                }
                guard case .object(let fields) = object else {
                    throw RecordFormatError(.notAnObject(found: object.kindName), line: elementLine, record: count)
                }
                records.append(Record(number: count, line: elementLine, fields: fields))
                state = .commaOrEnd
            }
        default: break
        }
    }

    public mutating func finish() throws(RecordFormatError) -> [Record] {
        switch state {
        case .done: return []
        case .beforeArray where byteOrderMark.isCutShort: throw RecordFormatError(.invalidUTF8, line: line)
        case .beforeArray: throw RecordFormatError(.notAnArray(found: "nothing"), line: line)
        default: throw RecordFormatError(.truncated, line: line, record: count + 1)
        }
    }
}
