import Foundation
import SluiceCore

/// The parts of an entry queries filter on (time, actor, action, agreement, package,
/// outcome), read straight from its canonical JSON in one pass.
public struct AuditEntryIndex: Sendable, Hashable {
    public var time: String
    public var actor: String
    public var action: String
    public var agreement: String?
    public var package: String?
    public var outcome: String

    public init(time: String, actor: String, action: String, agreement: String?, package: String?, outcome: String) {
        self.time = time
        self.actor = actor
        self.action = action
        self.agreement = agreement
        self.package = package
        self.outcome = outcome
    }

    public init(_ entry: AuditEntry) {
        self.init(
            time: entry.time, actor: entry.actor.id, action: entry.action.rawValue, agreement: entry.agreementID,
            package: entry.packageID, outcome: entry.outcome.rawValue)
    }

    /// Reads the fields from an entry's JSON; nil when it is not a JSON object with them.
    public init?(json: UnsafeRawBufferPointer) {
        guard let fields = RawFields(json: json) else { return nil }
        func text(_ range: Range<Int>?, escaped: Bool) -> String? {
            guard let range else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: json[range])
            return escaped ? JSONString.decoded(raw) : String(decoding: raw, as: UTF8.self)
        }
        guard let time = text(fields.time, escaped: fields.escaped), let actor = text(fields.actor, escaped: fields.escaped),
            let action = text(fields.action, escaped: fields.escaped), let outcome = text(fields.outcome, escaped: fields.escaped)
        else { return nil }
        let agreement = text(fields.agreement, escaped: fields.escaped)
        let package = text(fields.package, escaped: fields.escaped)
        guard fields.agreement == nil || agreement != nil, fields.package == nil || package != nil else { return nil }
        self.init(time: time, actor: actor, action: action, agreement: agreement, package: package, outcome: outcome)
    }

    /// Where an entry's time, action and outcome are written in its JSON, for checks that
    /// compare bytes without building strings; nil when the JSON is not a well-formed entry.
    public struct Places: Sendable, Hashable {
        public var time: Range<Int>
        public var action: Range<Int>
        public var outcome: Range<Int>
        /// Whether any of the entry's indexed strings holds an escape, so its bytes are not its text.
        public var escaped: Bool
    }

    public static func places(in json: UnsafeRawBufferPointer) -> Places? {
        guard let fields = RawFields(json: json), let time = fields.time, let action = fields.action,
            let outcome = fields.outcome
        else { return nil }
        return Places(time: time, action: action, outcome: outcome, escaped: fields.escaped)
    }

    /// Where the six fields' string values lie in an entry's JSON (nil for a JSON null),
    /// found in one pass that skips everything else.
    fileprivate struct RawFields {
        var time: Range<Int>?
        var actor: Range<Int>?
        var action: Range<Int>?
        var agreement: Range<Int>?
        var package: Range<Int>?
        var outcome: Range<Int>?
        var reason: Range<Int>?
        /// The counts the overview adds up, from `details`.
        var counts = Counts()
        /// Whether any of them holds an escape sequence, so its bytes are not its text.
        var escaped = false
        /// The same for the reason, which is not one of the indexed fields.
        var reasonEscaped = false

        struct Counts {
            var records: Int?
            var attempts: Int?
            var repeated = false
        }

        init?(json: UnsafeRawBufferPointer) {
            // Written as plain loops, not with per-member closures: this runs once per entry
            // in `verify`, and closures over the fields cost more than the scan itself.
            var scanner = Scanner(bytes: json)
            var fields = RawFields()
            var seen = (time: false, actor: false, action: false, outcome: false)
            guard scanner.consume(UInt8(ascii: "{")) else { return nil }
            if !scanner.consume(UInt8(ascii: "}")) {
                repeat {
                    guard let key = scanner.key() else { return nil }
                    let found: Bool
                    if Scanner.equal(key, "time") {
                        seen.time = true
                        found = scanner.value(into: &fields.time, escaped: &fields.escaped)
                    } else if Scanner.equal(key, "action") {
                        seen.action = true
                        found = scanner.value(into: &fields.action, escaped: &fields.escaped)
                    } else if Scanner.equal(key, "outcome") {
                        seen.outcome = true
                        found = scanner.value(into: &fields.outcome, escaped: &fields.escaped)
                    } else if Scanner.equal(key, "package_id") {
                        found = scanner.null() || scanner.value(into: &fields.package, escaped: &fields.escaped)
                    } else if Scanner.equal(key, "actor") {
                        seen.actor = true
                        found = scanner.member("id", into: &fields.actor, escaped: &fields.escaped)
                    } else if Scanner.equal(key, "agreement") {
                        found = scanner.null() || scanner.member("id", into: &fields.agreement, escaped: &fields.escaped)
                    } else if Scanner.equal(key, "reason") {
                        found = scanner.null() || scanner.value(into: &fields.reason, escaped: &fields.reasonEscaped)
                    } else if Scanner.equal(key, "details") {
                        found = scanner.counts(into: &fields.counts)
                    } else {
                        found = scanner.skipValue()
                    }
                    guard found, !scanner.failed else { return nil }
                } while scanner.consume(UInt8(ascii: ","))
                guard scanner.consume(UInt8(ascii: "}")) else { return nil }
            }
            guard scanner.atEnd, seen.time, seen.action, seen.outcome, seen.actor, fields.time != nil,
                fields.actor != nil, fields.action != nil, fields.outcome != nil
            else { return nil }
            self = fields
        }

        private init() {}
    }

    /// A strict reader for the small part of JSON the fields need, skipping everything else.
    fileprivate struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        var failed = false

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        var atEnd: Bool { !failed && index == bytes.count }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// The raw bytes of the member key at the cursor, with the colon after it consumed.
        mutating func key() -> UnsafeRawBufferPointer? {
            guard let key = rawString(), consume(UInt8(ascii: ":")) else { return nil }
            return UnsafeRawBufferPointer(rebasing: bytes[key.range])
        }

        /// Reads the string value at the cursor into `range`, noting whether it has escapes.
        mutating func value(into range: inout Range<Int>?, escaped: inout Bool) -> Bool {
            guard let found = rawString() else { return false }
            range = found.range
            escaped = escaped || found.escaped
            return true
        }

        /// Reads the object at the cursor, keeping the string value of its member `name`
        /// and skipping the others.
        mutating func member(_ name: StaticString, into range: inout Range<Int>?, escaped: inout Bool) -> Bool {
            guard consume(UInt8(ascii: "{")) else { return false }
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = key() else { return false }
                guard Self.equal(key, name) ? value(into: &range, escaped: &escaped) : skipValue(), !failed else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        }

        /// Whether a raw key is exactly `name` (a key written with escapes never is).
        static func equal(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && (key.isEmpty || memcmp(key.baseAddress!, name.utf8Start, key.count) == 0)
        }

        mutating func null() -> Bool {
            guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
            else { return false }
            index += 4
            return true
        }

        /// The string at the cursor as it is written, between its quotes.
        mutating func rawString() -> (range: Range<Int>, escaped: Bool)? {
            guard consume(UInt8(ascii: "\"")) else {
                failed = true
                return nil
            }
            let start = index
            let end = bytes.count
            var at = start
            var escaped = false
            while true {
                // Eight bytes at a time until one of them is a quote or a backslash: entry
                // strings are mostly short runs of plain text.
                var marks: UInt64 = 0
                while at + 8 <= end {
                    let word = bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    marks = ByteWord.matches(word, UInt8(ascii: "\"")) | ByteWord.matches(word, UInt8(ascii: "\\"))
                    if marks != 0 { break }
                    at += 8
                }
                if marks != 0 {
                    at += ByteWord.firstMarked(marks)
                } else {
                    while at < end, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
                    guard at < end else {
                        failed = true
                        return nil
                    }
                }
                guard bytes[at] == UInt8(ascii: "\\") else { break }
                // A backslash escapes the byte after it, quote or not.
                escaped = true
                at += 2
            }
            index = at + 1
            return (start..<at, escaped)
        }

        /// Skips one value of any kind: strings with their escapes, nested containers by depth.
        mutating func skipValue() -> Bool {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let found = rawString() else { return false }
                    // An escaped string must still decode, as before.
                    if found.escaped, JSONString.decoded(UnsafeRawBufferPointer(rebasing: bytes[found.range])) == nil { return false }
                    if depth == 0 { return true }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                default: break
                }
                index += 1
            }
            return false
        }
    }
}

extension AuditEntryIndex {
    /// What the officers' overview adds up from one entry, read in one pass by the same
    /// scanner as the index: the indexed fields, the reason, and the counts in `details`.
    public struct Tally: Sendable, Hashable {
        public var time: String
        public var action: String
        public var outcome: String
        public var agreement: String?
        public var reason: String?
        /// `details.records`, `details.attempts` and whether `details.repeated` is true.
        public var records: Int?
        public var attempts: Int?
        public var repeated = false
    }

    /// The entry's tally; nil when it is not a well-formed entry.
    public static func tally(json: UnsafeRawBufferPointer) -> Tally? {
        guard let fields = RawFields(json: json) else { return nil }
        func text(_ range: Range<Int>?, escaped: Bool = fields.escaped) -> String? {
            guard let range else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: json[range])
            return escaped ? JSONString.decoded(raw) : String(decoding: raw, as: UTF8.self)
        }
        guard let time = text(fields.time), let action = text(fields.action), let outcome = text(fields.outcome) else { return nil }
        return Tally(
            time: time, action: action, outcome: outcome, agreement: text(fields.agreement),
            reason: text(fields.reason, escaped: fields.reasonEscaped),
            records: fields.counts.records, attempts: fields.counts.attempts, repeated: fields.counts.repeated)
    }
}

extension AuditEntryIndex.Scanner {
    /// Reads the `details` object at the cursor, keeping `records` and `attempts` (whole
    /// numbers) and whether `repeated` is true, skipping every other member.
    mutating func counts(into tally: inout AuditEntryIndex.RawFields.Counts) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = key() else { return false }
            let found: Bool
            // A count that is not a plain whole number is left out, not held against the
            // entry: what is well formed is `verify`'s to say, the same as before.
            if Self.equal(key, "records") {
                tally.records = integer()
                found = tally.records != nil || skipValue()
            } else if Self.equal(key, "attempts") {
                tally.attempts = integer()
                found = tally.attempts != nil || skipValue()
            } else if Self.equal(key, "repeated"), bytes.count - index >= 4, bytes[index] == UInt8(ascii: "t") {
                tally.repeated = true
                found = skipValue()
            } else {
                found = skipValue()
            }
            guard found, !failed else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// A non-negative whole number of at most 18 digits at the cursor.
    mutating func integer() -> Int? {
        var value = 0
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]), digits < 18 {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        guard digits > 0, index == bytes.count || !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        return value
    }
}
