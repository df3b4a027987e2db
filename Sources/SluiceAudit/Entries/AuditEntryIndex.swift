/// The parts of an entry the store indexes for queries (time, actor, action, agreement,
/// package, outcome), read straight from its canonical JSON in one pass, so `verify` can
/// check that the store's query columns still say what the hashed entry says.
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
        var scanner = Scanner(bytes: json)
        var time: String?
        var actor: String?
        var action: String?
        var agreement: String?
        var package: String?
        var outcome: String?
        let complete = scanner.object { key, scanner in
            switch key {
            case "time": return scanner.string(into: &time)
            case "action": return scanner.string(into: &action)
            case "outcome": return scanner.string(into: &outcome)
            case "package_id": return scanner.null() || scanner.string(into: &package)
            case "actor": return scanner.member("id", into: &actor)
            case "agreement": return scanner.null() || scanner.member("id", into: &agreement)
            default: return scanner.skipValue()
            }
        }
        guard complete, scanner.atEnd, let time, let actor, let action, let outcome else { return nil }
        self.init(time: time, actor: actor, action: action, agreement: agreement, package: package, outcome: outcome)
    }

    /// A strict reader for the small part of JSON the fields need, skipping everything else.
    private struct Scanner {
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

        /// Calls `member` for each key of the object at the cursor; it must consume the value.
        mutating func object(_ member: (String, inout Scanner) -> Bool) -> Bool {
            guard consume(UInt8(ascii: "{")) else { return false }
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = string(), consume(UInt8(ascii: ":")), member(key, &self), !failed else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        }

        /// Reads the object at the cursor, keeping the string value of `name`.
        mutating func member(_ name: String, into value: inout String?) -> Bool {
            object { key, scanner in key == name ? scanner.string(into: &value) : scanner.skipValue() }
        }

        mutating func string(into value: inout String?) -> Bool {
            value = string()
            return value != nil
        }

        mutating func null() -> Bool {
            guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
            else { return false }
            index += 4
            return true
        }

        mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else {
                failed = true
                return nil
            }
            let start = index
            var escaped = false
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                }
                index += 1
            }
            guard index < bytes.count else {
                failed = true
                return nil
            }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return escaped ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
        }

        private static func unescape(_ raw: UnsafeRawBufferPointer) -> String? {
            var scalars = String.UnicodeScalarView()
            var utf8: [UInt8] = []
            var index = 0
            func flush() {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll()
            }
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= raw.count else { return nil }
                return UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<(at + 4)]), as: UTF8.self), radix: 16)
            }
            while index < raw.count {
                let byte = raw[index]
                guard byte == UInt8(ascii: "\\") else {
                    utf8.append(byte)
                    index += 1
                    continue
                }
                guard index + 1 < raw.count else { return nil }
                let code = raw[index + 1]
                index += 2
                switch code {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(code)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard var value = hex4(index) else { return nil }
                    index += 4
                    if (0xD800..<0xDC00).contains(value), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                        raw[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2), (0xDC00..<0xE000).contains(low)
                    {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    flush()
                    scalars.append(scalar)
                default: return nil
                }
            }
            flush()
            return String(scalars)
        }

        /// Skips one value of any kind: strings with their escapes, nested containers by depth.
        mutating func skipValue() -> Bool {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
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
