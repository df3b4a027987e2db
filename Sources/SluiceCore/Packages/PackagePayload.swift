import Foundation

/// The JSON a sealed package carries, in canonical form (every object's members in
/// code-point order, no whitespace), so the bytes signed are the bytes any partner
/// reconstructs from the same content:
///
/// ```json
/// {"agreement":{"id":"…","version":3},"consumer":"…","created_at":"…","fields":[…],
///  "masking":{…},"package_id":"…","provider":"…","records":[{…},…]}
/// ```
public struct PackagePayload: Sendable {
    public var header: PackageHeader
    /// Counts from masking: records in and out, values masked, detections. Never values.
    public var masking: RecordObject
    public var records: [RecordObject]

    public init(header: PackageHeader, masking: RecordObject, records: [RecordObject]) {
        self.header = header
        self.masking = masking
        self.records = records
    }

    public func encoded() -> [UInt8] {
        Array(encodedData())
    }

    /// The same bytes in `Data`, written in place, for sealing.
    /// - Parameter expectedBytes: about how long the result will be (the submitted body's
    ///   size, say), so the buffer is not regrown and copied a dozen times on the way.
    public func encodedData(expectedBytes: Int = 0) -> Data {
        var agreement = RecordObject()
        agreement["id"] = .string(header.agreementID)
        agreement["version"] = header.agreementVersion.map { .number(String($0)) } ?? .null
        let object = RecordObject([
            ("agreement", .object(agreement)),
            ("consumer", .string(header.consumer)),
            ("created_at", .string(header.createdAt)),
            ("fields", .array(header.fields.map { .string($0) })),
            ("masking", .object(masking)),
            ("package_id", .string(header.packageID)),
            ("provider", .string(header.provider)),
            ("records", .array(records.map { .object($0) })),
        ])
        return JSONWriter.data(.object(object), sortingKeys: true, expectedBytes: expectedBytes)
    }

    /// Reads a payload back, checking its shape; the error says which member is wrong.
    public init(decoding bytes: [UInt8]) throws(RecordFormatError) {
        var decoder = NDJSONRecordDecoder(limits: DecodingLimits(maxRecordBytes: .max, maxStringBytes: .max))
        let parsed = try decoder.feed(bytes + [0x0A]) + (try decoder.finish())
        guard let object = parsed.first?.fields else { throw RecordFormatError(.notAnObject(found: "nothing"), line: 1) }
        func text(_ key: String) throws(RecordFormatError) -> String {
            guard case .string(let value) = object[key] else { throw RecordFormatError(.invalidJSON("payload member \(key) is missing"), line: 1) }
            return value
        }
        guard case .object(let agreement) = object["agreement"], case .string(let agreementID) = agreement["id"] else {
            throw RecordFormatError(.invalidJSON("payload member agreement is missing"), line: 1)
        }
        var version: Int?
        if case .number(let number) = agreement["version"] { version = Int(number) }
        guard case .array(let fieldValues) = object["fields"], case .array(let recordValues) = object["records"] else {
            throw RecordFormatError(.invalidJSON("payload members fields and records must be lists"), line: 1)
        }
        header = PackageHeader(
            packageID: try text("package_id"), agreementID: agreementID, agreementVersion: version, provider: try text("provider"),
            consumer: try text("consumer"), createdAt: try text("created_at"),
            fields: fieldValues.compactMap { if case .string(let name) = $0 { name } else { nil } })
        if case .object(let summary) = object["masking"] { masking = summary } else { masking = RecordObject() }
        records = recordValues.compactMap { if case .object(let record) = $0 { record } else { nil } }
    }
}
