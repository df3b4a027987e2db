/// The encodings a package's records may arrive in.
public enum RecordFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// One JSON object per line (`application/x-ndjson`).
    case ndjson
    /// A JSON array of objects (`application/json`).
    case json
    /// RFC 4180 CSV with a header row (`text/csv`); dotted headers build nested objects.
    case csv

    /// The HTTP media type for this format.
    public var mediaType: String {
        switch self {
        case .ndjson: return "application/x-ndjson"
        case .json: return "application/json"
        case .csv: return "text/csv"
        }
    }

    /// A decoder with the given limits.
    public func decoder(limits: DecodingLimits = .init()) -> any RecordDecoder {
        switch self {
        case .ndjson: return NDJSONRecordDecoder(limits: limits)
        case .json: return JSONArrayRecordDecoder(limits: limits)
        case .csv: return CSVRecordDecoder(limits: limits)
        }
    }
}

/// Hard ceilings a decoder enforces while bytes arrive, so hostile input is refused
/// before it costs memory.
public struct DecodingLimits: Sendable, Hashable {
    /// Deepest nesting of objects and arrays inside one record.
    public var maxDepth: Int
    /// Longest single record, in bytes.
    public var maxRecordBytes: Int
    /// Longest string value, in bytes.
    public var maxStringBytes: Int
    /// Most records in one input.
    public var maxRecords: Int

    public init(maxDepth: Int = 16, maxRecordBytes: Int = 1 << 20, maxStringBytes: Int = 64 << 10, maxRecords: Int = .max) {
        self.maxDepth = maxDepth
        self.maxRecordBytes = maxRecordBytes
        self.maxStringBytes = maxStringBytes
        self.maxRecords = maxRecords
    }
}

/// Turns a stream of bytes into records. Bytes are pushed in chunks of any size; each
/// call returns the records completed so far, so memory stays bounded by one record.
public protocol RecordDecoder {
    mutating func feed(_ chunk: some Collection<UInt8>) throws(RecordFormatError) -> [Record]
    /// Call once after the last chunk; reports input that ends mid-record.
    mutating func finish() throws(RecordFormatError) -> [Record]
}

/// Why input could not be read as records: where (line, and record when known) and what
/// is wrong, never the offending value itself.
public struct RecordFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case invalidUTF8
        case invalidJSON(String)
        case notAnObject(found: String)
        case notAnArray(found: String)
        case tooDeep(limit: Int)
        case recordTooLarge(limit: Int)
        case stringTooLong(limit: Int)
        /// A JSON number longer than ``JSONValueParser/longestNumber`` characters: no
        /// field holds one, and some consumers' parsers take quadratic time over them.
        case numberTooLong(limit: Int)
        case tooManyRecords(limit: Int)
        case duplicateKey(String)
        case unterminatedQuote
        case strayQuote
        case fieldCount(expected: Int, found: Int)
        case missingHeader
        case badHeader(String)
        case truncated

        /// The kind of problem in a fixed vocabulary, for the audit trail and metrics:
        /// `description` may quote the input (a duplicated key), these never do.
        public var code: String {
            switch self {
            case .invalidUTF8: return "invalid-utf8"
            case .invalidJSON: return "invalid-json"
            case .notAnObject: return "not-an-object"
            case .notAnArray: return "not-an-array"
            case .tooDeep: return "too-deep"
            case .recordTooLarge: return "record-too-large"
            case .stringTooLong: return "string-too-long"
            case .numberTooLong: return "number-too-long"
            case .tooManyRecords: return "too-many-records"
            case .duplicateKey: return "duplicate-key"
            case .unterminatedQuote: return "unterminated-quote"
            case .strayQuote: return "stray-quote"
            case .fieldCount: return "field-count"
            case .missingHeader: return "missing-header"
            case .badHeader: return "bad-header"
            case .truncated: return "truncated"
            }
        }
    }

    public var reason: Reason
    public var line: Int
    public var record: Int?

    public init(_ reason: Reason, line: Int, record: Int? = nil) {
        self.reason = reason
        self.line = line
        self.record = record
    }

    public var description: String {
        let place = "line \(line)" + (record.map { ", record \($0)" } ?? "")
        switch reason {
        case .invalidUTF8: return "\(place): the bytes are not valid UTF-8 text; save the file as UTF-8"
        case .invalidJSON(let what): return "\(place): not valid JSON: \(what)"
        case .notAnObject(let found): return "\(place): expected a JSON object (one record), found \(found)"
        case .notAnArray(let found): return "\(place): expected a JSON array of records, found \(found)"
        case .tooDeep(let limit): return "\(place): objects and lists are nested more than \(limit) levels deep"
        case .recordTooLarge(let limit): return "\(place): the record is larger than \(limit) bytes"
        case .stringTooLong(let limit): return "\(place): a value is longer than \(limit) bytes"
        case .numberTooLong(let limit): return "\(place): a number is longer than \(limit) characters"
        case .tooManyRecords(let limit): return "\(place): more than \(limit) records"
        case .duplicateKey(let key): return "\(place): the key \"\(key)\" appears twice in one record"
        case .unterminatedQuote: return "\(place): a quoted CSV field opened here is never closed"
        case .strayQuote: return "\(place): a quote (\") inside an unquoted CSV field; quote the whole field and double the quote"
        case .fieldCount(let expected, let found):
            return "\(place): \(found) field\(found == 1 ? "" : "s"), but the header names \(expected)"
        case .missingHeader: return "\(place): the CSV input has no header row"
        case .badHeader(let why): return "\(place): bad CSV header: \(why)"
        case .truncated: return "\(place): the input ends in the middle of a record"
        }
    }
}
