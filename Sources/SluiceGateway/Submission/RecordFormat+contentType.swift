import SluiceCore

extension RecordFormat {
    /// The record format a `Content-Type` names; its parameters (`charset=utf-8`) and the
    /// case of its media type do not matter.
    init(contentType: String) throws(GatewayProblem) {
        // Trimmed and lower-cased by hand: Foundation's trimming and case mapping showed
        // in every submission's profile.
        let header = contentType.utf8
        var mediaType = header[..<(header.firstIndex(of: UInt8(ascii: ";")) ?? header.endIndex)]
        while let first = mediaType.first, first == 0x20 || first == 0x09 { mediaType = mediaType.dropFirst() }
        while let last = mediaType.last, last == 0x20 || last == 0x09 { mediaType = mediaType.dropLast() }
        switch String(decoding: mediaType.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self) {
        case "application/json": self = .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl": self = .ndjson
        case "text/csv": self = .csv
        default:
            throw GatewayProblem(.unsupportedMediaType, "send records as application/json, application/x-ndjson or text/csv")
        }
    }
}
