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
    /// Counters other than per-field ones, which are kept by index on the hot path.
    private var tally = MaskingSummary()
    /// Values changed by each field's rule, by the field's index in the agreement.
    private var maskedCounts: [Int]
    /// Scanned values in which something was found, by field index.
    private var scannedCounts: [Int]
    /// What scanning found in free text, by kind.
    private var detections = DetectionCounts()
    /// Unlisted field names seen, and how they may be reported.
    private var reportableNames: [String: String] = [:]
    private let tree: FieldTree
    /// Each field's rule without its name, which only problems need: copying a whole
    /// `FieldRule` per value retains its path.
    private let rules: [AppliedRule]
    /// Indices of the fields a record must have.
    private let requiredFields: [Int]
    /// For each field, the number of the record (counted by ``mask(_:)`` calls) in which
    /// it was last seen with a value: no per-record array to allocate and clear.
    private var seenIn: [Int]
    private var recordsStarted = 0
    /// Each `partial` rule's mask character, by field index.
    private let maskCharacters: [Character]
    /// The same characters' bytes where they are ASCII.
    private let asciiMasks: [UInt8?]
    /// The last record's top-level keys and the rule each named (-1: none, or a parent
    /// of nested fields). Records of one file share their keys and order, so a key equal
    /// to last time's at its position skips the hash lookup.
    private var lastKeys: [String] = []
    private var lastRules: [Int] = []
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
        self.rules = agreement.fields.map(AppliedRule.init)
        self.maskCharacters = agreement.fields.map { field in
            if case .partial(_, _, let character) = field.mask { return character }
            return "*"
        }
        self.asciiMasks = maskCharacters.map(\.asciiValue)
        self.maskedCounts = Array(repeating: 0, count: agreement.fields.count)
        self.requiredFields = agreement.fields.indices.filter { agreement.fields[$0].required }
        self.seenIn = Array(repeating: 0, count: agreement.fields.count)
        self.scannedCounts = Array(repeating: 0, count: agreement.fields.count)
    }

    /// What has been done so far.
    public var summary: MaskingSummary {
        var summary = tally
        detections.add(to: &summary.detections)
        for (index, field) in agreement.fields.enumerated() {
            let changed = maskedCounts[index] + scannedCounts[index]
            if maskedCounts[index] > 0 { summary.maskedByRule[field.mask.keyword, default: 0] += maskedCounts[index] }
            if changed > 0 { summary.maskedByField[field.name.description] = changed }
        }
        return summary
    }

    /// Whether a record so far carried a field the agreement rejects: what a caller
    /// checks after each part of a stream, without assembling the whole ``summary``.
    public var hasRejectedFields: Bool { !tally.rejectedFields.isEmpty }

    /// The masked record, or nil when it failed validation or carried a field the
    /// agreement rejects; either way the summary says why.
    public mutating func mask(_ record: Record) -> RecordObject? {
        tally.recordsIn += 1
        recordsStarted += 1
        var state = RecordState(number: record.number)
        let output = walk(record.fields, tree: tree, prefix: "", state: &state)
        for index in requiredFields where seenIn[index] != recordsStarted {
            tally.record(RecordProblem(record: record.number, field: agreement.fields[index].name.description, reason: .missing))
            state.failed = true
        }
        guard !state.failed, !state.rejected else {
            if state.failed { tally.recordsFailed += 1 }
            return nil
        }
        tally.recordsOut += 1
        return output
    }

    private struct RecordState {
        var number: Int
        var failed = false
        var rejected = false
    }

    private mutating func walk(_ object: RecordObject, tree: FieldTree, prefix: String, state: inout RecordState) -> RecordObject {
        var output = OutputMembers(object)
        let top = prefix.isEmpty
        if top, lastKeys.count != object.count {
            lastKeys = Array(repeating: "", count: object.count)
            lastRules = Array(repeating: -1, count: object.count)
        }
        // By index: iterating `members` across modules runs unspecialised generic code.
        for position in object.keys.indices {
            let key = object.keys[position]
            let value = object.values[position]
            let index: Int
            if top, lastRules[position] >= 0, lastKeys[position] == key {
                index = lastRules[position]
            } else {
                guard let node = tree.children[key] else {
                    unlisted(top ? key : prefix + "." + key, state: &state)
                    output.leaveOut(at: position)
                    continue
                }
                guard let rule = node.rule else {
                    let path = top ? key : prefix + "." + key
                    guard case .object(let inner) = value else {
                        tally.record(
                            RecordProblem(record: state.number, field: path, reason: .wrongKind(expected: "an object", found: value.kindName)))
                        state.failed = true
                        output.leaveOut(at: position)
                        continue
                    }
                    let nested = walk(inner, tree: node, prefix: path, state: &state)
                    if nested.isEmpty { output.leaveOut(at: position) } else { output.append(.object(nested), at: position) }
                    continue
                }
                index = rule
                if top {
                    lastKeys[position] = key
                    lastRules[position] = rule
                }
            }
            if case .null = value {
                if rules[index].operation != .suppress { output.append(.null, at: position) } else { output.leaveOut(at: position) }
                continue
            }
            seenIn[index] = recordsStarted
            do {
                if let masked = try apply(rules[index], index: index, to: value) {
                    output.append(masked, at: position)
                } else {
                    output.leaveOut(at: position)
                }
            } catch {
                tally.record(RecordProblem(record: state.number, field: agreement.fields[index].name.description, reason: error))
                state.failed = true
                output.leaveOut(at: position)
            }
        }
        return output.object
    }

    /// An output object's members as they are decided. Until a member is left out, the
    /// output's keys are exactly the input's, so the input's key array is shared instead
    /// of being copied key by key; the first member left out starts a copy.
    private struct OutputMembers {
        let input: [String]
        var keys: [String]?
        var values: [RecordValue] = []

        init(_ object: RecordObject) {
            input = object.keys
            values.reserveCapacity(object.count)
        }

        mutating func append(_ value: RecordValue, at position: Int) {
            values.append(value)
            keys?.append(input[position])
        }

        mutating func leaveOut(at position: Int) {
            guard keys == nil else { return }
            var kept = Array(input[..<position])
            kept.reserveCapacity(input.count)
            keys = kept
        }

        /// Keys of a decoded record are unique, and so are any subset's.
        var object: RecordObject { RecordObject(uniqueKeys: keys ?? input, values: values) }
    }

    private mutating func unlisted(_ path: String, state: inout RecordState) {
        let name = reportableName(path)
        let limit = MaskingSummary.nameListLimit
        switch agreement.onUnlistedField {
        case .drop:
            if tally.droppedFields[name] != nil || tally.droppedFields.count < limit {
                tally.droppedFields[name, default: 0] += 1
            } else {
                tally.otherUnlistedFields += 1
            }
        case .reject:
            if tally.rejectedFields.count < limit { tally.rejectedFields.insert(name) } else if !tally.rejectedFields.contains(name) {
                tally.otherUnlistedFields += 1
            }
            state.rejected = true
        }
    }

    /// Unlisted field names go into summaries, receipts, problems and the audit trail. A
    /// name that itself looks like personal data (a CSV file without its header row makes
    /// the first record's values the field names) is reported as a placeholder instead.
    private mutating func reportableName(_ path: String) -> String {
        if let known = reportableNames[path] { return known }
        let safe = Self.namesScanner.detections(in: path).isEmpty ? path : Self.withheldName
        if reportableNames.count < 10_000 { reportableNames[path] = safe }
        return safe
    }

    public static let withheldName = "(a field name that looks like personal data, withheld)"
    private static let namesScanner = TextScanner(cautious: true)

    /// The masked value, or nil for a suppressed field; throws why the value is invalid.
    private mutating func apply(_ rule: AppliedRule, index: Int, to value: RecordValue) throws(RecordProblem.Reason) -> RecordValue? {
        let canonical = try FieldCheck.canonical(value, as: rule.type, cautious: cautious)
        if rule.operation == .keep {
            guard rule.scan, case .string(let text) = value else { return value }
            return .string(scanned(text, index: index))
        }
        let masked = try masked(canonical, rule: rule, index: index)
        maskedCounts[index] += 1
        return masked.map(RecordValue.string)
    }

    /// What a rule other than `keep` makes of a valid value's canonical text; nil when
    /// the field is suppressed.
    private mutating func masked(_ canonical: String, rule: AppliedRule, index: Int) throws(RecordProblem.Reason) -> String? {
        switch rule.operation {
        case .keep: return canonical
        case .redact: return Self.redactionToken
        case .suppress: return nil
        case .hash: return pseudonymizer.pseudonym(of: canonical)
        case .surname: return SurnameMask.apply(canonical)
        case .partial(let first, let last):
            let source = rule.scan ? scanned(canonical, index: index) : canonical
            return PartialMask.apply(
                source, keepFirst: first, keepLast: last, maskCharacter: maskCharacters[index], asciiMask: asciiMasks[index])
        case .year: return Self.leading(4, of: canonical)
        case .month: return Self.leading(7, of: canonical)
        case .birthYearSexRegion:
            guard let facts = ResidentIDNumber.facts(of: canonical) else {
                throw .invalid(type: rule.type, why: "its birth date and region cannot be read")
            }
            return "\(facts.region)-\(facts.birth.year)-\(facts.male ? "M" : "F")"
        case .ageBand(let width):
            guard let age = age(of: canonical, type: rule.type), let label = AgeBand.label(age: age, width: width) else {
                throw .invalid(type: rule.type, why: "not a plausible age")
            }
            return label
        case .truncate(let level):
            let source = rule.scan ? scanned(canonical, index: index) : canonical
            if let truncated = AddressTruncation.truncate(source, to: level) { return truncated }
            tally.unrecognisedAddresses += 1
            return Self.redactionToken
        }
    }

    /// The first `count` characters. Dates and times are ASCII, where that is the first
    /// `count` bytes when the byte after them is ASCII too (no combining mark joins the
    /// last one); walking characters for them showed in every record's profile.
    static func leading(_ count: Int, of text: String) -> String {
        let ascii = ASCIIBytes.withBytes(text) { bytes -> String? in
            let checked = UnsafeBufferPointer(rebasing: bytes.prefix(count + 1))
            guard ASCIIBytes.allASCII(checked) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: checked.prefix(count)), as: UTF8.self)
        }
        return ascii ?? String(text.prefix(count))
    }

    private mutating func scanned(_ text: String, index: Int) -> String {
        // Counted by detections, not by comparing the texts: comparing two Chinese texts
        // that differ goes through Unicode canonical equivalence, which showed in profiles.
        // Every detection replaces digits or letters with stars, so one changes the text.
        let before = detections.total
        let result = scanner.masked(text, counts: &detections)
        if detections.total != before { scannedCounts[index] += 1 }
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

/// What masking needs of a field's rule, all plain values: rules are read for every
/// value, and a `MaskRule` (whose `partial` case holds a `Character`) is copied through
/// its value witness each time.
private struct AppliedRule {
    var type: FieldType
    var operation: Operation
    var scan: Bool

    init(_ field: FieldRule) {
        type = field.type
        scan = field.scan
        switch field.mask {
        case .keep: operation = .keep
        case .redact: operation = .redact
        case .suppress: operation = .suppress
        case .hash: operation = .hash
        case .surname: operation = .surname
        case .partial(let first, let last, _): operation = .partial(keepFirst: first, keepLast: last)
        case .generalize(.year): operation = .year
        case .generalize(.month): operation = .month
        case .generalize(.birthYearSexRegion): operation = .birthYearSexRegion
        case .ageBand(let years): operation = .ageBand(years: years)
        case .truncate(let level): operation = .truncate(level)
        }
    }

    /// A `MaskRule` flattened; a partial mask's character is kept beside the rules.
    enum Operation: Equatable {
        case keep, redact, suppress, hash, surname
        case partial(keepFirst: Int, keepLast: Int)
        case year, month, birthYearSexRegion
        case ageBand(years: Int)
        case truncate(MaskRule.AddressLevel)
    }
}
