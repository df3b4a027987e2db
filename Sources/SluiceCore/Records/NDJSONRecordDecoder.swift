import Foundation

/// Decodes newline-delimited JSON: one object per line, blank lines ignored.
public struct NDJSONRecordDecoder: RecordDecoder {
    private let limits: DecodingLimits
    private var pending: [UInt8] = []
    /// The input line on which `pending` starts.
    private var line = 1
    private var count = 0
    private var atStart = true
    private var shape = RecordShape()

    public init(limits: DecodingLimits = .init()) {
        self.limits = limits
    }

    public mutating func feed(_ chunk: some Collection<UInt8>) throws(RecordFormatError) -> [Record] {
        pending.append(contentsOf: chunk)
        if atStart {
            guard pending.count >= 3 else { return [] }
            if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
            atStart = false
        }
        // Moved out so decoding (which mutates self) never overlaps a borrow of `pending`.
        let buffered = pending
        pending = []
        var records: [Record] = []
        var start = 0
        try buffered.withUnsafeBufferPointer { buffer throws(RecordFormatError) in
            // memchr: a byte-by-byte search for each newline showed in the gateway's profile.
            while start < buffer.count, let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) {
                let newline = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let record = try Self.decodeLine(
                    UnsafeBufferPointer(rebasing: buffer[start..<newline]), line: line, count: &count, limits: limits, shape: &shape)
                if let record { records.append(record) }
                start = newline + 1
                line += 1
            }
        }
        pending = Array(buffered[start...])
        guard pending.count <= limits.maxRecordBytes else {
            throw RecordFormatError(.recordTooLarge(limit: limits.maxRecordBytes), line: line, record: count + 1)
        }
        return records
    }

    public mutating func finish() throws(RecordFormatError) -> [Record] {
        if atStart, pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
        atStart = false
        let rest = pending
        pending = []
        let record = try rest.withUnsafeBufferPointer { buffer throws(RecordFormatError) in
            try Self.decodeLine(buffer, line: line, count: &count, limits: limits, shape: &shape)
        }
        return record.map { [$0] } ?? []
    }

    private static func decodeLine(
        _ bytes: UnsafeBufferPointer<UInt8>, line: Int, count: inout Int, limits: DecodingLimits, shape: inout RecordShape
    ) throws(RecordFormatError) -> Record? {
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        guard bytes.count <= limits.maxRecordBytes else {
            throw RecordFormatError(.recordTooLarge(limit: limits.maxRecordBytes), line: line, record: count + 1)
        }
        guard count < limits.maxRecords else {
            throw RecordFormatError(.tooManyRecords(limit: limits.maxRecords), line: line, record: count + 1)
        }
        count += 1
        guard bytes[first] == UInt8(ascii: "{") else {
            throw RecordFormatError(.notAnObject(found: Self.describe(startingWith: bytes[first])), line: line, record: count)
        }
        guard case .object(let object) = try JSONValueParser.parse(bytes, limits: limits, firstLine: line, record: count, shape: &shape)
        else { throw RecordFormatError(.invalidJSON("expected an object"), line: line, record: count) }
        return Record(number: count, line: line, fields: object)
    }

    /// What a JSON value starting with this byte is, in words.
    static func describe(startingWith byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "["): return "a list"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "\""): return "text"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "something that is not JSON"
        }
    }
}
