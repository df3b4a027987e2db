import Crypto
import Foundation
import SluiceCore
import SluiceMasking

/// A provider's request body on its way in: counted, hashed, decoded and masked as the
/// bytes arrive, so every limit is enforced while the body streams and a refusal comes
/// before the rest is read. Does no I/O; the route feeds it.
struct SubmissionIntake {
    let agreement: Agreement
    let maxBodyBytes: Int
    private var decoder: any RecordDecoder
    private var masker: RecordMasker
    private var hash = SHA256()
    private(set) var bodyBytes = 0
    private(set) var records: [RecordObject] = []

    /// What came in, masked, with the body's digest.
    struct Result {
        var records: [RecordObject]
        var summary: MaskingSummary
        var bodySHA256: String
        var bodyBytes: Int
    }

    init(agreement: Agreement, format: RecordFormat, limits: GatewayConfiguration.Limits, pseudonymizer: any Pseudonymizer, today: CalendarDate) {
        self.agreement = agreement
        maxBodyBytes = min(limits.maxBodyBytes, agreement.limits.maxPackageBytes)
        decoder = format.decoder(
            limits: DecodingLimits(
                maxDepth: limits.maxDepth, maxRecordBytes: limits.maxRecordBytes, maxStringBytes: limits.maxFieldBytes,
                maxRecords: min(limits.maxRecords, agreement.limits.maxRecords)))
        masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: today)
    }

    mutating func feed(_ bytes: some Collection<UInt8>) throws(GatewayProblem) {
        bodyBytes += bytes.count
        guard bodyBytes <= maxBodyBytes else {
            throw GatewayProblem(.bodyTooLarge, "the body is larger than \(maxBodyBytes) bytes, the most this agreement accepts in one package")
        }
        // Hashed where the bytes lie: a copy into `Data` per chunk showed in profiles.
        if bytes.withContiguousStorageIfAvailable({ hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
            hash.update(data: Data(bytes))
        }
        let decoded: [Record]
        do { decoded = try decoder.feed(bytes) } catch { throw Self.problem(error) }
        try take(decoded)
    }

    mutating func finish() throws(GatewayProblem) -> Result {
        let decoded: [Record]
        do { decoded = try decoder.finish() } catch { throw Self.problem(error) }
        try take(decoded)
        let summary = masker.summary
        if !summary.rejectedFields.isEmpty {
            let fields = summary.rejectedFields.sorted()
            throw GatewayProblem(
                .unlistedFields, "the agreement \(agreement.id) does not allow these fields and rejects unlisted ones: \(fields.joined(separator: ", "))",
                fields: fields)
        }
        if summary.problemCount > 0 {
            throw GatewayProblem(
                .invalidRecords,
                "\(summary.problemCount) value\(summary.problemCount == 1 ? "" : "s") failed validation; nothing was accepted",
                errors: summary.problems.prefix(100).map { .init(record: $0.record, field: $0.field, reason: Self.reason($0.reason)) })
        }
        guard summary.recordsIn > 0 else { throw GatewayProblem(.malformedBody, "the body holds no records") }
        let digest = LowercaseHex.encode(hash.finalize())
        return Result(records: records, summary: summary, bodySHA256: digest, bodyBytes: bodyBytes)
    }

    private mutating func take(_ decoded: [Record]) throws(GatewayProblem) {
        for record in decoded {
            if let masked = masker.mask(record) { records.append(masked) }
        }
        if masker.hasRejectedFields {
            // Rejecting the set: no point reading further.
            let fields = masker.summary.rejectedFields.sorted()
            throw GatewayProblem(
                .unlistedFields, "the agreement \(agreement.id) does not allow these fields and rejects unlisted ones: \(fields.joined(separator: ", "))",
                fields: fields)
        }
    }

    static func reason(_ reason: RecordProblem.Reason) -> String {
        switch reason {
        case .missing: return "required but missing"
        case .wrongKind(let expected, let found): return "expected \(expected), found \(found)"
        case .invalid(let type, let why): return "not a valid \(type.rawValue) (\(why))"
        }
    }

    static func problem(_ error: RecordFormatError) -> GatewayProblem {
        let errors = [GatewayProblem.RecordError(record: error.record ?? 0, field: nil, reason: error.description)]
        switch error.reason {
        case .tooDeep, .recordTooLarge, .stringTooLong, .tooManyRecords:
            return GatewayProblem(.limitExceeded, error.description, errors: errors)
        default:
            return GatewayProblem(.malformedBody, error.description, errors: errors)
        }
    }
}
