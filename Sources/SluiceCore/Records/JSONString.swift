/// A JSON string's text from the bytes written between its quotes, decoded by the record
/// parser itself: readers that find strings on their own (the audit trail's index) get
/// exactly its escapes, surrogate pairs and UTF-8 checks, not a second copy of them.
public enum JSONString {
    /// The text, or nil when `written` is not the body of a valid JSON string.
    public static func decoded(_ written: UnsafeRawBufferPointer) -> String? {
        var quoted: [UInt8] = []
        quoted.reserveCapacity(written.count + 2)
        quoted.append(UInt8(ascii: "\""))
        quoted.append(contentsOf: written)
        quoted.append(UInt8(ascii: "\""))
        let limits = DecodingLimits(maxDepth: 1, maxRecordBytes: .max, maxStringBytes: .max)
        return quoted.withUnsafeBufferPointer { bytes in
            guard case .string(let text)? = try? JSONValueParser.parse(bytes, limits: limits, firstLine: 1, record: nil) else { return nil }
            return text
        }
    }
}
