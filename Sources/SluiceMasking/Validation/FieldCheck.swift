import SluiceCore

/// Checks one value against its field's type and gives its canonical text: the form
/// masks and pseudonyms work on, so `+86 138-1234-5678` and `13812345678` are one number.
enum FieldCheck {
    /// The value's canonical text; throws why it is not a valid value of `type`. Throws
    /// rather than returning a `Result`: on the hot path the happy result is then a bare
    /// `String`, with no enum to copy and destroy per value.
    static func canonical(
        _ value: RecordValue, as type: FieldType, cautious: Bool
    ) throws(RecordProblem.Reason) -> String {
        switch type {
        case .string, .text:
            guard case .string(let text) = value else { throw .wrongKind(expected: "text", found: value.kindName) }
            // NUL and the other C0 controls are no one's text: a consumer's C string would
            // end at the NUL, a terminal would act on the rest. Tabs and line breaks stay.
            guard !Self.holdsControl(text) else {
                throw .invalid(type: type, why: "it holds a control character other than a tab or a line break")
            }
            return text
        case .integer:
            return try number(value, type: type) { text in
                var digits = text.utf8[...]
                if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
                return !digits.isEmpty && digits.allSatisfy(ASCIIBytes.isDigit) ? nil : "not a whole number"
            }
        case .decimal:
            return try number(value, type: type) { RecordValue.isNumberText($0) ? nil : "not a number" }
        case .boolean:
            switch value {
            case .bool(let flag): return flag ? "true" : "false"
            case .string(let text) where text == "true" || text == "false": return text
            default: throw .wrongKind(expected: "true or false", found: value.kindName)
            }
        case .date:
            return try text(value, type: type) { CalendarDate(iso8601: $0) == nil ? "not a real date written as YYYY-MM-DD" : nil }
        case .datetime:
            return try text(value, type: type) { isDateTime($0) ? nil : "not an ISO 8601 date and time" }
        case .cnID:
            return try identifier(value, type: type) { text in
                if cautious { return text.count == 18 || text.count == 15 ? nil : "not 18 or 15 characters" }
                return ResidentIDNumber.isValid(text) ? nil : residentIDProblem(text)
            }
        case .cnUSCC:
            return try identifier(value, type: type) { text in
                if !cautious, UnifiedSocialCreditCode.isValid(text) { return nil }
                guard text.count == 18 else { return "not 18 characters" }
                return cautious ? nil : "the check character does not match"
            }
        case .cnMobile:
            var canonical: String?
            let checked = try text(value, type: type, allowNumber: true) {
                canonical = MobileNumber.canonical($0)
                return canonical == nil ? "not a mainland mobile number" : nil
            }
            return canonical ?? checked
        case .cnLandline:
            return try text(value, type: type) { LandlineNumber.isValid($0) ? nil : "not a landline number with area code" }
        case .bankCard:
            let checked = try text(value, type: type, allowNumber: true) { text in
                cautious || BankCardNumber.isValid(text) ? nil : "not 13 to 19 digits passing the Luhn check"
            }
            return ASCIIBytes.withBytes(checked) { bytes in
                bytes.allSatisfy(ASCIIBytes.isDigit) ? checked : String(decoding: bytes.filter(ASCIIBytes.isDigit), as: UTF8.self)
            }
        case .email:
            return try text(value, type: type) { EmailAddress.isValid($0) ? nil : "not an e-mail address" }
        case .passport:
            return try identifier(value, type: type) { TravelDocumentNumber.isPassport($0) ? nil : "not a passport number" }
        case .hkMacauPermit:
            return try identifier(value, type: type) { TravelDocumentNumber.isTravelPermit($0) ? nil : "not a travel permit number" }
        case .vehiclePlate:
            return try identifier(value, type: type) { VehiclePlate.isValid($0) ? nil : "not a vehicle plate" }
        }
    }

    /// Text, width-normalised and trimmed, then checked by `problem` (nil when fine).
    private static func text(
        _ value: RecordValue, type: FieldType, allowNumber: Bool = false, _ problem: (String) -> String?
    ) throws(RecordProblem.Reason) -> String {
        let raw: String
        switch value {
        case .string(let text): raw = text
        case .number(let text) where allowNumber: raw = text
        default: throw .wrongKind(expected: "text", found: value.kindName)
        }
        let normalized = isPlainASCII(raw) ? raw : WidthNormalization.normalized(raw).trimmingWhitespace()
        if let why = problem(normalized) { throw .invalid(type: type, why: why) }
        return normalized
    }

    /// Identifiers compare upper-case: `x` and `X` are the same check character.
    private static func identifier(
        _ value: RecordValue, type: FieldType, _ problem: (String) -> String?
    ) throws(RecordProblem.Reason) -> String {
        guard case .string(let raw) = value else { throw .wrongKind(expected: "text", found: value.kindName) }
        var normalized = isPlainASCII(raw) ? raw : WidthNormalization.normalized(raw).trimmingWhitespace()
        if hasLowercaseASCII(normalized) { normalized = normalized.uppercased() }
        if let why = problem(normalized) { throw .invalid(type: type, why: why) }
        return normalized
    }

    /// ASCII with no white space at either end: width folding and trimming would leave
    /// it as it is, which is most typed values, so they are spared both copies.
    static func isPlainASCII(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { bytes in
            guard let first = bytes.first, let last = bytes.last, first > 0x20, last > 0x20 else { return false }
            return ASCIIBytes.allASCII(bytes)
        }
    }

    static func hasLowercaseASCII(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { bytes in
            for byte in bytes where byte &- UInt8(ascii: "a") < 26 { return true }
            return false
        }
    }

    private static func number(
        _ value: RecordValue, type: FieldType, _ problem: (String) -> String?
    ) throws(RecordProblem.Reason) -> String {
        let text: String
        switch value {
        case .number(let lexical): text = lexical
        case .string(let raw): text = raw.trimmingWhitespace()
        default: throw .wrongKind(expected: "a number", found: value.kindName)
        }
        if let why = problem(text) { throw .invalid(type: type, why: why) }
        return text
    }

    static func residentIDProblem(_ text: String) -> String {
        guard text.count == 18 || text.count == 15 else { return "not 18 or 15 characters" }
        let digits = text.count == 18 ? text.dropLast() : Substring(text)
        guard digits.allSatisfy(\.isASCIIDigit), text.last.map({ $0.isASCIIDigit || $0 == "X" }) == true else {
            return "only digits and a final X are allowed"
        }
        guard ResidentIDNumber.provinceCodes.contains(Int(text.prefix(2)) ?? 0) else { return "unknown region code" }
        // A legacy 15-digit number has no check character: with its region known, only its date can be wrong.
        guard text.count == 18 else { return "not a real birth date" }
        let birth = text.dropFirst(6).prefix(8)
        guard let year = Int(birth.prefix(4)), let month = Int(birth.dropFirst(4).prefix(2)),
            let day = Int(birth.suffix(2)), ResidentIDNumber.isBirthDate(year: year, month: month, day: day)
        else { return "not a real birth date" }
        return "the check character does not match"
    }

    /// `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `T` or a space, then optionally `Z` or `±HH:MM`.
    static func isDateTime(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 16, CalendarDate(iso8601: UnsafeBufferPointer(rebasing: bytes[0..<10])) != nil,
                bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ")
            else { return false }
            func two(_ at: Int) -> Int? {
                guard at + 2 <= bytes.count, ASCIIBytes.isDigit(bytes[at]), ASCIIBytes.isDigit(bytes[at + 1]) else { return nil }
                return ASCIIBytes.digit(bytes[at]) * 10 + ASCIIBytes.digit(bytes[at + 1])
            }
            guard let hour = two(11), hour < 24, bytes[13] == UInt8(ascii: ":"), let minute = two(14), minute < 60 else {
                return false
            }
            var index = 16
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                guard let second = two(index + 1), second < 61 else { return false }
                index += 3
                if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                    index += 1
                    let start = index
                    while index < bytes.count, ASCIIBytes.isDigit(bytes[index]) { index += 1 }
                    guard index > start else { return false }
                }
            }
            if index == bytes.count { return true }
            if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
            guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), let offsetHours = two(index + 1),
                offsetHours < 15, index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetMinutes = two(index + 4), offsetMinutes < 60
            else { return false }
            return index + 6 == bytes.count
        }
    }

    /// Whether `text` holds a C0 control other than tab, LF and CR. Every text value of
    /// every record passes here: the smallest byte is found first (a loop the compiler
    /// vectorises), and only a text with a byte below 0x20 is looked at closely.
    static func holdsControl(_ text: String) -> Bool {
        func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var smallest: UInt8 = 0xFF
            for byte in bytes { smallest = min(smallest, byte) }
            guard smallest < 0x20 else { return false }
            return bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(check) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(check)
    }
}
