import SluiceCore

/// Applies one agreement to records, one at a time: keeps only whitelisted fields,
/// validates them, masks them as the agreement says, and counts what it did in a
/// ``MaskingSummary``.
///
/// Memory does not grow with the number of records: each call handles one record and
/// only the summary's counters accumulate.
///
/// ```swift
/// var masker = RecordMasker(agreement: agreement, pseudonymizer: key, referenceDate: today)
/// for record in records { if let masked = masker.mask(record) { write(masked) } }
/// if !masker.summary.isClean { refuse(masker.summary) }
/// ```
public struct RecordMasker {
    public let agreement: Agreement
    public private(set) var summary = MaskingSummary()
    private let tree: FieldTree
    private let pseudonymizer: any Pseudonymizer
    private let referenceDate: CalendarDate
    private let scanner: TextScanner
    private let cautious: Bool

    /// The token that replaces redacted values.
    public static let redactionToken = "[REDACTED]"

    /// - Parameters:
    ///   - pseudonymizer: keyed per agreement by the gateway, for `hash` masks.
    ///   - referenceDate: the day ages are computed on, for `age_band` masks.
    public init(agreement: Agreement, pseudonymizer: any Pseudonymizer, referenceDate: CalendarDate) {
        self.agreement = agreement
        self.pseudonymizer = pseudonymizer
        self.referenceDate = referenceDate
        self.cautious = agreement.detection == .cautious
        self.scanner = TextScanner(cautious: cautious)
        self.tree = FieldTree(fields: agreement.fields)
    }

    /// The masked record, or nil when it failed validation or carried a field the
    /// agreement rejects; either way the summary says why.
    public mutating func mask(_ record: Record) -> RecordObject? {
        summary.recordsIn += 1
        var state = RecordState(number: record.number, seen: Array(repeating: false, count: agreement.fields.count))
        let output = walk(record.fields, tree: tree, prefix: "", state: &state)
        for (index, field) in agreement.fields.enumerated() where field.required && !state.seen[index] {
            summary.record(RecordProblem(record: record.number, field: field.name.description, reason: .missing))
            state.failed = true
        }
        guard !state.failed, !state.rejected else {
            if state.failed { summary.recordsFailed += 1 }
            return nil
        }
        summary.recordsOut += 1
        return output
    }

    private struct RecordState {
        var number: Int
        var seen: [Bool]
        var failed = false
        var rejected = false
    }

    private mutating func walk(_ object: RecordObject, tree: FieldTree, prefix: String, state: inout RecordState) -> RecordObject {
        var output = RecordObject()
        for (key, value) in object.members {
            guard let node = tree.children[key] else {
                unlisted(prefix.isEmpty ? key : prefix + "." + key, state: &state)
                continue
            }
            if let index = node.rule {
                let rule = agreement.fields[index]
                if case .null = value {
                    if rule.mask != .suppress { output[key] = .null }
                    continue
                }
                state.seen[index] = true
                switch apply(rule, to: value) {
                case .success(let masked?): output[key] = masked
                case .success(nil): break
                case .failure(let reason):
                    summary.record(RecordProblem(record: state.number, field: rule.name.description, reason: reason))
                    state.failed = true
                }
            } else {
                let path = prefix.isEmpty ? key : prefix + "." + key
                guard case .object(let inner) = value else {
                    summary.record(
                        RecordProblem(record: state.number, field: path, reason: .wrongKind(expected: "an object", found: value.kindName)))
                    state.failed = true
                    continue
                }
                let nested = walk(inner, tree: node, prefix: path, state: &state)
                if !nested.isEmpty { output[key] = .object(nested) }
            }
        }
        return output
    }

    private mutating func unlisted(_ path: String, state: inout RecordState) {
        switch agreement.onUnlistedField {
        case .drop: summary.droppedFields[path, default: 0] += 1
        case .reject:
            summary.rejectedFields.insert(path)
            state.rejected = true
        }
    }

    /// The masked value, nil for a suppressed field, or why the value is invalid.
    private mutating func apply(_ rule: FieldRule, to value: RecordValue) -> Result<RecordValue?, RecordProblem.Reason> {
        let canonical: String
        switch FieldCheck.canonical(value, as: rule.type, cautious: cautious) {
        case .success(let text): canonical = text
        case .failure(let reason): return .failure(reason)
        }
        let masked: RecordValue?
        switch rule.mask {
        case .keep:
            guard rule.scan, case .string(let text) = value else { return .success(value) }
            return .success(.string(scanned(text, field: rule)))
        case .redact: masked = .string(Self.redactionToken)
        case .suppress: masked = nil
        case .hash: masked = .string(pseudonymizer.pseudonym(of: canonical))
        case .surname: masked = .string(SurnameMask.apply(canonical))
        case .partial(let first, let last, let character):
            let source = rule.scan ? scanned(canonical, field: rule) : canonical
            masked = .string(PartialMask.apply(source, keepFirst: first, keepLast: last, maskCharacter: character))
        case .generalize(let level):
            switch level {
            case .year: masked = .string(String(canonical.prefix(4)))
            case .month: masked = .string(String(canonical.prefix(7)))
            case .birthYearSexRegion:
                guard let facts = ResidentIDNumber.facts(of: canonical) else {
                    return .failure(.invalid(type: rule.type, why: "its birth date and region cannot be read"))
                }
                masked = .string("\(facts.region)-\(facts.birth.year)-\(facts.male ? "M" : "F")")
            }
        case .ageBand(let width):
            guard let age = age(of: canonical, type: rule.type), let label = AgeBand.label(age: age, width: width) else {
                return .failure(.invalid(type: rule.type, why: "not a plausible age"))
            }
            masked = .string(label)
        case .truncate(let level):
            let source = rule.scan ? scanned(canonical, field: rule) : canonical
            if let truncated = AddressTruncation.truncate(source, to: level) {
                masked = .string(truncated)
            } else {
                summary.unrecognisedAddresses += 1
                masked = .string(Self.redactionToken)
            }
        }
        summary.maskedByRule[rule.mask.keyword, default: 0] += 1
        summary.maskedByField[rule.name.description, default: 0] += 1
        return .success(masked)
    }

    private mutating func scanned(_ text: String, field: FieldRule) -> String {
        let before = summary.detections.values.reduce(0, +)
        let result = scanner.masked(text, counts: &summary.detections)
        if summary.detections.values.reduce(0, +) != before {
            summary.maskedByField[field.name.description, default: 0] += 1
        }
        return result
    }

    private func age(of canonical: String, type: FieldType) -> Int? {
        switch type {
        case .integer: return Int(canonical)
        case .date: return CalendarDate(iso8601: canonical).map { AgeBand.age(born: $0, on: referenceDate) }
        case .cnID: return ResidentIDNumber.facts(of: canonical).map { AgeBand.age(born: $0.birth, on: referenceDate) }
        default: return nil
        }
    }
}
