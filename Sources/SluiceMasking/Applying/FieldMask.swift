import SluiceCore

/// The mask step: what a field's rule makes of a value already validated (its canonical
/// text, see ``FieldCheck``). Pure but for the keyed pseudonyms; it counts nothing and
/// scans nothing: ``RecordMasker`` passes the scanned text for the rules that keep some
/// of it, and decides what a value the rule could not vouch for becomes.
struct FieldMask {
    let pseudonymizer: any Pseudonymizer
    /// The day ages are computed on.
    let referenceDate: CalendarDate
    /// Each `partial` rule's mask character, by field index, and its byte where it is ASCII.
    let maskCharacters: [Character]
    let asciiMasks: [UInt8?]

    init(fields: [FieldRule], pseudonymizer: any Pseudonymizer, referenceDate: CalendarDate) {
        self.pseudonymizer = pseudonymizer
        self.referenceDate = referenceDate
        maskCharacters = fields.map { field in
            if case .partial(_, _, let character) = field.mask { return character }
            return "*"
        }
        asciiMasks = maskCharacters.map(\.asciiValue)
    }

    /// What a rule made of a value.
    enum Outcome {
        case masked(String)
        /// The field is left out of the record.
        case suppressed
        /// What the rule would keep is not what it expects (a `surname` rule on digits), or
        /// still holds personal data.
        case unexpected
        /// A `truncate` rule found no address levels to cut at.
        case unrecognisedAddress
    }

    /// `text` is the value's canonical text, or for `partial` and `truncate` on a scanned
    /// field, that text already scanned. Throws when the value cannot take the rule (an ID
    /// number whose birth date cannot be read, an implausible age).
    func apply(_ operation: AppliedRule.Operation, to text: String, type: FieldType, field index: Int) throws(RecordProblem.Reason)
        -> Outcome
    {
        switch operation {
        case .keep: return .masked(text)
        case .redact: return .masked(RecordMasker.redactionToken)
        case .suppress: return .suppressed
        case .hash: return .masked(pseudonymizer.pseudonym(of: text))
        case .surname: return Self.keptSurname(text).map(Outcome.masked) ?? .unexpected
        case .partial(let first, let last):
            return .masked(
                PartialMask.apply(text, keepFirst: first, keepLast: last, maskCharacter: maskCharacters[index], asciiMask: asciiMasks[index]))
        case .year: return .masked(Self.leading(4, of: text))
        case .month: return .masked(Self.leading(7, of: text))
        case .birthYearSexRegion:
            guard let facts = ResidentIDNumber.facts(of: text) else { throw .invalid(type: type, why: "its birth date and region cannot be read") }
            return .masked("\(facts.region)-\(facts.birth.year)-\(facts.male ? "M" : "F")")
        case .ageBand(let width):
            guard let age = age(of: text, type: type), let label = AgeBand.label(age: age, width: width) else {
                throw .invalid(type: type, why: "not a plausible age")
            }
            return .masked(label)
        case .truncate(let level):
            guard let truncated = AddressTruncation.truncate(text, to: level) else { return .unrecognisedAddress }
            return Self.keepsNothingPersonal(truncated) ? .masked(truncated) : .unexpected
        }
    }

    /// What `surname` keeps of a value, or nil when the value is not a name (digits, an
    /// ID number beside a name) or what would be kept still holds personal data.
    static func keptSurname(_ canonical: String) -> String? {
        guard SurnameMask.looksLikeName(canonical) else { return nil }
        let kept = SurnameMask.apply(canonical)
        return keepsNothingPersonal(kept) ? kept : nil
    }

    /// Whether a mask's kept text is free of anything the scanner (in its cautious mode)
    /// would call personal data: a phone number spelled in Chinese numerals before 市 is
    /// still a phone number.
    static func keepsNothingPersonal(_ kept: String) -> Bool {
        keptTextScanner.detections(in: kept).isEmpty
    }

    private static let keptTextScanner = TextScanner(cautious: true)

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

    private func age(of canonical: String, type: FieldType) -> Int? {
        switch type {
        case .integer: return Int(canonical)
        case .date: return CalendarDate(iso8601: canonical).map { AgeBand.age(born: $0, on: referenceDate) }
        case .cnID: return ResidentIDNumber.facts(of: canonical).map { AgeBand.age(born: $0.birth, on: referenceDate) }
        default: return nil
        }
    }
}
