import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceMasking

/// A provider's request body on its way in: counted, hashed, decoded and masked as the
/// bytes arrive, so every limit is enforced while the body streams and a refusal comes
/// before the rest is read. Does no I/O; the route feeds it.
struct SubmissionIntake {
    let agreement: Agreement
    let maxBodyBytes: Int
    private var decoder: any RecordDecoder
    private var masker: RecordMasker
    private let pseudonymizer: AgreementPseudonymizer
    private var hash = SHA256()
    private(set) var bodyBytes = 0
    private(set) var records: [RecordObject] = []
    private let scope: Scope?
    /// Record numbers of records about no one the answered request asked about.
    private var outOfScope: [Int] = []
    private var outOfScopeCount = 0

    /// What an answer to a request may be about: records whose `field` value is one of the
    /// requested subjects', compared as the agreement's keyed pseudonyms.
    struct Scope {
        var field: FieldPath
        var pseudonyms: Set<String>
    }

    /// What came in, masked, with the body's digest.
    struct Result {
        var records: [RecordObject]
        var summary: MaskingSummary
        var bodySHA256: String
        var bodyBytes: Int
        /// How a name the agreement does not list is written in the receipt, payload and trail.
        var recordedName: (String) -> String
    }

    init(
        agreement: Agreement, format: RecordFormat, limits: GatewayConfiguration.Limits, pseudonymizer: AgreementPseudonymizer,
        today: CalendarDate, scope: Scope? = nil
    ) {
        self.agreement = agreement
        self.pseudonymizer = pseudonymizer
        self.scope = scope
        maxBodyBytes = min(limits.maxBodyBytes, agreement.limits.maxPackageBytes)
        decoder = format.decoder(
            limits: DecodingLimits(
                maxDepth: limits.maxDepth, maxRecordBytes: limits.maxRecordBytes, maxStringBytes: limits.maxFieldBytes,
                maxRecords: min(limits.maxRecords, agreement.limits.maxRecords)))
        masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: today)
        if let scope { masker.capture(scope.field) }
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
        if !summary.rejectedFields.isEmpty { throw unlistedFieldsProblem(summary) }
        if summary.problemCount > 0 {
            var problem = GatewayProblem(
                .invalidRecords,
                "\(summary.problemCount) value\(summary.problemCount == 1 ? "" : "s") failed validation; nothing was accepted",
                errors: summary.problems.prefix(100).map { .init(record: $0.record, field: $0.field, reason: Self.reason($0.reason)) })
            // The fields named are the agreement's own (validation runs on listed fields only).
            let fields = Set(summary.problems.map(\.field)).sorted().prefix(AuditDetail.maximumNames)
            problem.recorded = [
                "failed_records": .count(Set(summary.problems.map(\.record)).count), "failed_values": .count(summary.problemCount),
                "fields": .names(Array(fields)),
            ]
            throw problem
        }
        guard summary.recordsIn > 0 else { throw GatewayProblem(.malformedBody, "the body holds no records") }
        if let scope, outOfScopeCount > 0 {
            var problem = GatewayProblem(
                .outOfScope,
                "\(outOfScopeCount) record\(outOfScopeCount == 1 ? " is" : "s are") about no subject the request asked about (by \(scope.field)); nothing was accepted",
                errors: outOfScope.map { .init(record: $0, field: scope.field.description, reason: "not about a requested subject") })
            problem.recorded = ["out_of_scope_records": .count(outOfScopeCount), "records": .count(summary.recordsIn)]
            throw problem
        }
        let digest = LowercaseHex.encode(hash.finalize())
        let pseudonymizer = self.pseudonymizer
        return Result(
            records: records, summary: summary, bodySHA256: digest, bodyBytes: bodyBytes,
            recordedName: { pseudonymizer.fieldNameDigest($0) })
    }

    private mutating func take(_ decoded: [Record]) throws(GatewayProblem) {
        for record in decoded {
            guard let masked = masker.mask(record) else { continue }
            records.append(masked)
            if let scope, !(masker.capturedValue.map { scope.pseudonyms.contains(pseudonymizer.pseudonym(of: $0)) } ?? false) {
                outOfScopeCount += 1
                if outOfScope.count < 100 { outOfScope.append(record.number) }
            }
        }
        // Rejecting the set: no point reading further.
        if masker.hasRejectedFields { throw unlistedFieldsProblem(masker.summary) }
    }

    /// The provider is told the names it sent (capped); the trail gets their count and
    /// keyed digests, since such a name can be anything, a person's name among them.
    private func unlistedFieldsProblem(_ summary: MaskingSummary) -> GatewayProblem {
        let fields = summary.rejectedFields.sorted().map(GatewayProblem.shown)
        let more = summary.otherUnlistedFields > 0 ? " and \(summary.otherUnlistedFields) more" : ""
        var problem = GatewayProblem(
            .unlistedFields,
            "the agreement \(agreement.id) does not allow these fields and rejects unlisted ones: \(fields.joined(separator: ", "))\(more)",
            fields: fields)
        problem.recorded = [
            "unlisted_fields": .count(summary.unlistedFieldCount),
            "unlisted_field_digests": .names(summary.rejectedFields.map(pseudonymizer.fieldNameDigest).sorted()),
        ]
        return problem
    }

    static func reason(_ reason: RecordProblem.Reason) -> String {
        switch reason {
        case .missing: return "required but missing"
        case .wrongKind(let expected, let found): return "expected \(expected), found \(found)"
        case .invalid(let type, let why): return "not a valid \(type.rawValue) (\(why))"
        }
    }

    static func problem(_ error: RecordFormatError) -> GatewayProblem {
        let description = GatewayProblem.shown(error.description)
        let errors = [GatewayProblem.RecordError(record: error.record ?? 0, field: nil, reason: description)]
        var problem: GatewayProblem
        switch error.reason {
        case .tooDeep, .recordTooLarge, .stringTooLong, .numberTooLong, .tooManyRecords:
            problem = GatewayProblem(.limitExceeded, description, errors: errors)
        default:
            problem = GatewayProblem(.malformedBody, description, errors: errors)
        }
        problem.recorded = ["format_error": .names([error.reason.code]), "line": .count(error.line)]
        if let record = error.record { problem.recorded["record"] = .count(record) }
        return problem
    }
}
