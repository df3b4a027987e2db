import SluiceCore

/// Applies one agreement to records, one at a time, in three steps per field: keeps only
/// whitelisted fields (``FieldFilter``), validates them (``FieldCheck``), masks them as
/// the agreement says (``FieldMask``, and ``TextScanner`` for scanned text), and counts
/// what it did in a ``MaskingSummary``.
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
    /// The filter step, with the whitelist it reads.
    private var filter: FieldFilter
    /// Each field's rule without its name, which only problems need: copying a whole
    /// `FieldRule` per value retains its path.
    private let rules: [AppliedRule]
    /// Indices of the fields a record must have.
    private let requiredFields: [Int]
    /// For each field, the number of the record (counted by ``mask(_:)`` calls) in which
    /// it was last seen with a value: no per-record array to allocate and clear.
    private var seenIn: [Int]
    private var recordsStarted = 0
    /// The mask step.
    private let masks: FieldMask
    private let scanner: TextScanner
    /// For a scanned field under `truncate`: its own rule cuts the address.
    private let addressFieldScanner: TextScanner
    private let cautious: Bool
    /// Whether a field's value, masked, is also looked for in the record's scanned text
    /// (by field index): masked fields whose values are long enough to tell from words.
    private let searchedInText: [Bool]
    /// Whether scanned fields wait for the record's masked values: the agreement scans
    /// text and masks some field whose values can be looked for in it.
    private let recordValuesSearched: Bool
    /// This record's masked values, found again in its scanned text (``RecordValueFinder``);
    /// each entry is a field index and the value's canonical text.
    private var recordValues = RecordValueFinder()
    private var recordValueEntries: [(index: Int, canonical: String)] = []
    /// What each entry becomes in text, worked out on the first match.
    private var recordValueMasks: [String?] = []
    /// The scanned fields of the record being masked, left for last so that every masked
    /// value of the record is known when its text is scanned: where each goes in the
    /// output (its key path), its rule and its value.
    private var pendingScans: [(path: [String], index: Int, value: RecordValue)] = []

    /// The index of the field whose canonical value each record is matched on (an answer
    /// to a request with `answer_must_match`), and that value for the last record masked.
    private var capturedIndex: Int?
    /// The canonical value of the captured field in the record masked last; nil when the
    /// record did not carry it (or it was not valid).
    public private(set) var capturedValue: String?

    /// The token that replaces redacted values.
    public static let redactionToken = "[REDACTED]"

    /// Keeps each record's canonical value of `field` (``capturedValue``), read before it
    /// is masked: what an answer's scope is checked on.
    public mutating func capture(_ field: FieldPath) {
        capturedIndex = agreement.fields.firstIndex { $0.name == field }
    }

    /// - Parameters:
    ///   - pseudonymizer: keyed per agreement by the gateway, for `hash` masks.
    ///   - referenceDate: the day ages are computed on, for `age_band` masks.
    public init(agreement: Agreement, pseudonymizer: any Pseudonymizer, referenceDate: CalendarDate) {
        self.agreement = agreement
        self.masks = FieldMask(fields: agreement.fields, pseudonymizer: pseudonymizer, referenceDate: referenceDate)
        self.cautious = agreement.detection == .cautious
        // Addresses in free text are cut where the agreement's address rule cuts them.
        let addressLevel =
            agreement.fields.lazy.compactMap { field -> MaskRule.AddressLevel? in
                if case .truncate(let level) = field.mask { return level }
                return nil
            }.first ?? .district
        self.scanner = TextScanner(cautious: cautious, addressLevel: addressLevel)
        self.addressFieldScanner = TextScanner(cautious: cautious, findsAddresses: false)
        self.filter = FieldFilter(fields: agreement.fields, policy: agreement.onUnlistedField)
        self.rules = agreement.fields.map(AppliedRule.init)
        self.maskedCounts = Array(repeating: 0, count: agreement.fields.count)
        self.requiredFields = agreement.fields.indices.filter { agreement.fields[$0].required }
        self.seenIn = Array(repeating: 0, count: agreement.fields.count)
        self.scannedCounts = Array(repeating: 0, count: agreement.fields.count)
        // Only where there is text to scan. Names, addresses and other text, and dates:
        // numbers and yes/no values are too short to look for, and the kinds the
        // detectors know (ID, credit code, card, mobile, landline, e-mail, passport,
        // permit, plate) are found and masked in text wherever they stand, in more
        // spellings than an exact search would find.
        let scans = agreement.fields.contains { $0.scan }
        self.searchedInText = agreement.fields.map { field in
            guard scans, field.mask != .keep else { return false }
            switch field.type {
            case .string, .text, .date, .datetime: return true
            default: return false
            }
        }
        self.recordValuesSearched = searchedInText.contains(true)
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
        recordValueEntries.removeAll(keepingCapacity: true)
        recordValues.removeAll()
        pendingScans.removeAll(keepingCapacity: true)
        capturedValue = nil
        var state = RecordState(number: record.number)
        var output = walk(record.fields, tree: filter.tree, prefix: "", state: &state)
        if !pendingScans.isEmpty { scanPending(into: &output, state: &state) }
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

    /// One object of the record, member by member: the filter step (``FieldFilter``) says
    /// what each member is, then a listed field's value is validated (``FieldCheck``)
    /// and masked (``FieldMask``) by ``apply(_:index:to:)``; nested objects are walked
    /// the same way. One pass over the record's fields does all three.
    private mutating func walk(_ object: RecordObject, tree: FieldTree, prefix: String, state: inout RecordState) -> RecordObject {
        var output = OutputMembers(object)
        let top = prefix.isEmpty
        if top { filter.start(topLevelKeys: object.count) }
        // By index: iterating `members` across modules runs unspecialised generic code.
        for position in object.keys.indices {
            let key = object.keys[position]
            let value = object.values[position]
            let index: Int
            switch filter.decide(key, at: position, under: tree, top: top) {
            case .unlisted:
                if filter.countUnlisted(top ? key : prefix + "." + key, in: &tally) { state.rejected = true }
                output.leaveOut(at: position)
                continue
            case .nested(let node):
                let path = top ? key : prefix + "." + key
                guard case .object(let inner) = value else {
                    tally.record(RecordProblem(record: state.number, field: path, reason: .wrongKind(expected: "an object", found: value.kindName)))
                    state.failed = true
                    output.leaveOut(at: position)
                    continue
                }
                let nested = walk(inner, tree: node, prefix: path, state: &state)
                if nested.isEmpty { output.leaveOut(at: position) } else { output.append(.object(nested), at: position) }
                continue
            case .field(let rule):
                index = rule
            }
            if case .null = value {
                if rules[index].operation != .suppress { output.append(.null, at: position) } else { output.leaveOut(at: position) }
                continue
            }
            seenIn[index] = recordsStarted
            if rules[index].scan, recordValuesSearched {
                // Scanned once the record's other values are known (see `scanPending`); its
                // place in the output is kept meanwhile.
                pendingScans.append(((top ? [] : prefix.split(separator: ".").map(String.init)) + [key], index, value))
                output.append(.null, at: position)
                continue
            }
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

    /// What an unlisted field whose name looks like personal data is reported as.
    public static let withheldName = "(a field name that looks like personal data, withheld)"

    /// The validate and mask steps for one listed field's value: the masked value, or nil
    /// for a suppressed field; throws why the value is invalid.
    private mutating func apply(_ rule: AppliedRule, index: Int, to value: RecordValue) throws(RecordProblem.Reason) -> RecordValue? {
        let canonical = try FieldCheck.canonical(value, as: rule.type, cautious: cautious)
        if index == capturedIndex { capturedValue = canonical }
        if rule.operation == .keep {
            guard rule.scan, case .string(let text) = value else { return value }
            return .string(scanned(text, index: index))
        }
        let masked = try masked(canonical, rule: rule, index: index)
        maskedCounts[index] += 1
        if recordValuesSearched, searchedInText[index] { recordValueEntries.append((index, canonical)) }
        return masked.map(RecordValue.string)
    }

    /// What a rule other than `keep` makes of a valid value's canonical text (the mask
    /// step, ``FieldMask``, given the scanned text where the rule keeps some of it); nil
    /// when the field is suppressed. A value the rule cannot vouch for is redacted and
    /// counted.
    private mutating func masked(_ canonical: String, rule: AppliedRule, index: Int) throws(RecordProblem.Reason) -> String? {
        let text: String
        switch rule.operation {
        case .partial: text = rule.scan ? scanned(canonical, index: index) : canonical
        case .truncate: text = rule.scan ? scanned(canonical, index: index, addressField: true) : canonical
        default: text = canonical
        }
        switch try masks.apply(rule.operation, to: text, type: rule.type, field: index) {
        case .masked(let masked): return masked
        case .suppressed: return nil
        case .unexpected: return unexpected(index)
        case .unrecognisedAddress:
            tally.unrecognisedAddresses += 1
            return Self.redactionToken
        }
    }

    /// A value a keeping mask could not vouch for: redacted whole, counted by field.
    private mutating func unexpected(_ index: Int) -> String {
        tally.unexpectedValues[agreement.fields[index].name.description, default: 0] += 1
        return Self.redactionToken
    }

    private mutating func scanned(_ text: String, index: Int, addressField: Bool = false) -> String {
        let scanner = addressField ? addressFieldScanner : scanner
        // Counted by detections, not by comparing the texts: comparing two Chinese texts
        // that differ goes through Unicode canonical equivalence, which showed in profiles.
        // Every detection replaces digits or letters with stars, so one changes the text.
        let before = detections.total
        var found = 0
        // The text is folded once: the record's own values are looked for in the same
        // bytes the detectors read, and only a text that held one is folded again.
        let result =
            ASCIIBytes.withBytes(text) { original -> String? in
                let folded = WidthNormalization.fold(original, forDetection: true)
                func scan(_ normalized: UnsafeBufferPointer<UInt8>) -> String? {
                    let own = recordValueOccurrences(in: normalized, folded: folded, scanning: index)
                    if own.isEmpty { return scanner.masked(original, normalized: normalized, folded: folded, counts: &detections) }
                    found = own.count
                    return scanner.masked(replacing(own, in: original), counts: &detections)
                }
                if let folded { return folded.bytes.withUnsafeBufferPointer(scan) }
                return scan(original)
            } ?? text
        if detections.total != before || found > 0 { scannedCounts[index] += 1 }
        return result
    }

    // MARK: The record's own values in its text

    /// Scans the record's scanned fields, now that its masked values are known, and puts
    /// each result where the walk kept its place.
    private mutating func scanPending(into output: inout RecordObject, state: inout RecordState) {
        recordValues.removeAll()
        for (entry, value) in recordValueEntries.enumerated() { recordValues.add(value.canonical, entry: entry) }
        recordValueMasks.removeAll(keepingCapacity: true)
        recordValueMasks.append(contentsOf: repeatElement(nil, count: recordValueEntries.count))
        for pending in pendingScans {
            do {
                Self.place(try apply(rules[pending.index], index: pending.index, to: pending.value), at: pending.path[...], in: &output)
            } catch {
                tally.record(RecordProblem(record: state.number, field: agreement.fields[pending.index].name.description, reason: error))
                state.failed = true
            }
        }
    }

    /// Sets (or, for nil, removes) the member at `path` of `object`.
    private static func place(_ value: RecordValue?, at path: ArraySlice<String>, in object: inout RecordObject) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
        } else if case .object(var inner)? = object[key] {
            place(value, at: path.dropFirst(), in: &inner)
            object[key] = .object(inner)
        }
    }

    /// Where the record's own masked values stand in a text being scanned (field
    /// `scanning`), as original byte ranges. A scanned field's own value is not looked
    /// for in itself: its rule masks it whole.
    private func recordValueOccurrences(in normalized: UnsafeBufferPointer<UInt8>, folded: FoldedText?, scanning index: Int)
        -> [(entry: Int, range: Range<Int>)]
    {
        guard recordValuesSearched, !recordValues.isEmpty else { return [] }
        var found = recordValues.occurrences(in: normalized)
        guard !found.isEmpty else { return found }
        found.removeAll { recordValueEntries[$0.entry].index == index }
        if let folded { found = found.map { ($0.entry, folded.originalRange($0.range)) } }
        return found
    }

    /// `original` with each occurrence replaced by what its field's rule makes of it.
    private mutating func replacing(_ occurrences: [(entry: Int, range: Range<Int>)], in original: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(original.count)
        var copied = 0
        for occurrence in occurrences {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied..<occurrence.range.lowerBound]))
            out.append(contentsOf: recordValueMask(occurrence.entry).utf8)
            copied = occurrence.range.upperBound
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied...]))
        tally.recordValuesInText += occurrences.count
        return String(decoding: out, as: UTF8.self)
    }

    /// What a record value becomes in text: what its field's rule makes of it (a
    /// suppressed or unrecognised value, the redaction token).
    private mutating func recordValueMask(_ entry: Int) -> String {
        if let known = recordValueMasks[entry] { return known }
        let (index, canonical) = recordValueEntries[entry]
        let rule = rules[index]
        var mask = Self.redactionToken
        if case .masked(let masked)? = try? masks.apply(rule.operation, to: canonical, type: rule.type, field: index) { mask = masked }
        recordValueMasks[entry] = mask
        return mask
    }
}
