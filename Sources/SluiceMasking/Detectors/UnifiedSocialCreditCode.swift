/// Unified social credit codes of organisations (GB 32100-2015): 18 characters from a
/// 31-character alphabet (no I, O, S, V, Z): a registration authority and an organisation
/// type that go together (9 and 1 for an enterprise, 5 and 2 for a private non-enterprise
/// unit …), a 6-digit region code, the 9-character organisation code of GB 11714 with its
/// own MOD 11 check character, and a MOD 31 check character over weights 3^i mod 31.
///
/// Both check characters and the pair are checked: a number merely shaped like one (an ID
/// number with a wrong check digit passes the MOD 31 check one time in 31) is not one.
public enum UnifiedSocialCreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// The value of each byte in the alphabet, -1 where a byte is not in it: allocated once
    /// and read through a pointer, so a check pays no reference counting.
    nonisolated(unsafe) static let values: UnsafePointer<Int8> = {
        let table = UnsafeMutablePointer<Int8>.allocate(capacity: 256)
        table.initialize(repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(value) }
        return UnsafePointer(table)
    }()

    /// ``weights`` read through a pointer, as ``values`` is.
    nonisolated(unsafe) static let weightTable: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: weights.count)
        for (offset, weight) in weights.enumerated() { table[offset] = UInt8(weight) }
        return UnsafePointer(table)
    }()

    /// The check character for the first 17 characters, or nil if one is outside the alphabet.
    public static func checkCharacter(for code: some Collection<UInt8>) -> UInt8? {
        Array(code).withUnsafeBufferPointer { checkCharacter($0, at: 0, count: min($0.count, 17)) }
    }

    /// The check character for the `count` (17) characters at `start`; indexed, not
    /// zipped (see ``ResidentIDNumber/checkCharacter(_:at:)``).
    static func checkCharacter(_ text: UnsafeBufferPointer<UInt8>, at start: Int, count: Int) -> UInt8? {
        // The tables are read into locals once: each read of a static goes through its
        // lazy initialiser's check.
        let (values, weights) = (Self.values, Self.weightTable)
        var sum = 0
        for offset in 0..<min(count, 17) {
            let value = Int(values[Int(text[start + offset])])
            guard value >= 0 else { return nil }
            sum += Int(weights[offset]) * value
        }
        return Self.alphabet[(31 - sum % 31) % 31]
    }

    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { $0.count == 18 && isValid($0, at: 0, cautious: false) }
    }

    static func isValid(_ text: UnsafeBufferPointer<UInt8>, at start: Int, cautious: Bool) -> Bool {
        guard start + 18 <= text.count else { return false }
        let values = Self.values
        for offset in 0..<18 where values[Int(text[start + offset])] < 0 { return false }
        for offset in 2..<8 where !ASCIIBytes.isDigit(text[start + offset]) { return false }
        if cautious { return true }
        return isRegistered(authority: text[start], type: text[start + 1])
            && organisationCheckCharacter(text, at: start + 8) == text[start + 16]
            && checkCharacter(text, at: start, count: 17) == text[start + 17]
    }

    /// The organisation types each registration authority issues codes for (GB 32100-2015
    /// table 1): 1 establishment, 2 foreign affairs, 3 justice, 4 culture, 5 civil affairs,
    /// 6 tourism, 7 religion, 8 trade unions, 9 industry and commerce, A the military, N
    /// agriculture, Y others.
    static func isRegistered(authority: UInt8, type: UInt8) -> Bool {
        // The types as bits by digit: 0b10_0000_1110 is 1, 2, 3 and 9.
        let types: UInt16
        switch authority {
        case UInt8(ascii: "1"): types = 0b10_0000_1110
        case UInt8(ascii: "2"), UInt8(ascii: "4"), UInt8(ascii: "8"), UInt8(ascii: "A"): types = 0b10_0000_0010
        case UInt8(ascii: "3"): types = 0b10_0011_1110
        case UInt8(ascii: "5"): types = 0b10_0000_1110
        case UInt8(ascii: "6"), UInt8(ascii: "7"): types = 0b10_0000_0110
        case UInt8(ascii: "9"): types = 0b00_0000_1110
        case UInt8(ascii: "N"): types = 0b10_0000_1110
        case UInt8(ascii: "Y"): types = 0b00_0000_0010
        default: return false
        }
        return ASCIIBytes.isDigit(type) && types >> UInt16(ASCIIBytes.digit(type)) & 1 == 1
    }

    /// GB 11714's check character for an organisation code's first eight characters
    /// (digits, and letters valued A = 10 … Z = 35): 11 − (Σ value × weight mod 11), with 10
    /// written X and 11 written 0. Nil if a character is neither.
    public static func organisationCheckCharacter(for body: some Collection<UInt8>) -> UInt8? {
        let bytes = Array(body)
        guard bytes.count >= 8 else { return nil }
        return bytes.withUnsafeBufferPointer { organisationCheckCharacter($0, at: 0) }
    }

    /// The same over the eight characters at `start`.
    static func organisationCheckCharacter(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt8? {
        var sum = 0
        for offset in 0..<8 {
            let byte = text[start + offset]
            // The weights 3, 7, 9, 10, 5, 8, 4, 2, a nibble each from the lowest.
            let weight = Int((0x2485_A973 as UInt64) >> UInt64(offset * 4) & 0xF)
            let value: Int
            if ASCIIBytes.isDigit(byte) {
                value = ASCIIBytes.digit(byte)
            } else if ASCIIBytes.isUpper(byte) {
                value = Int(byte - UInt8(ascii: "A")) + 10
            } else {
                return nil
            }
            sum += weight * value
        }
        let check = 11 - sum % 11
        return check == 10 ? UInt8(ascii: "X") : check == 11 ? UInt8(ascii: "0") : 0x30 + UInt8(check)
    }
}
