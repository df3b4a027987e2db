import SluiceCore

/// Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date,
/// 3-digit sequence (odd for men) and an ISO 7064 MOD 11-2 check character; and the
/// legacy 15-digit form with a 6-digit birth date in the 1900s and no check character.
public enum ResidentIDNumber {
    /// Weights of GB 11643 §5: 2^(17−i) mod 11 for positions 0…16, and the check character
    /// for each remainder, as the standard states them (the check below computes them; the
    /// tests hold it to these).
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432".utf8)
    /// First two digits: the provinces of GB/T 2260, plus Taiwan, Hong Kong and Macau.
    static let provinceCodes: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
        62, 63, 64, 65, 71, 81, 82, 83, 91,
    ]

    /// The check character for the first 17 digits.
    public static func checkCharacter(for digits: some Collection<UInt8>) -> UInt8 {
        Array(digits).withUnsafeBufferPointer { checkCharacter($0, at: 0) }
    }

    /// The check character for the 17 digits at `start`. Indexed, not zipped: a `zip` of
    /// generic collections instantiated tuple metadata on every ID-shaped number in free
    /// text; and the weights 2^(17−i) as a doubling (Horner's rule), with no table to read.
    static func checkCharacter(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt8 {
        var sum = 0
        let count = min(17, text.count - start)
        for offset in 0..<count { sum = (sum + ASCIIBytes.digit(text[start + offset])) * 2 }
        // Fewer than 17 digits: the weights still count from 2^17 for the first.
        sum <<= 17 - count
        // "10X98765432" by remainder.
        let remainder = sum % 11
        return remainder == 0
            ? UInt8(ascii: "1") : remainder == 1 ? UInt8(ascii: "0") : remainder == 2 ? UInt8(ascii: "X") : UInt8(0x30 + 12 - remainder)
    }

    /// ``provinceCodes`` as bits, tested without hashing.
    static let provinceBits: (UInt64, UInt64) = {
        var bits: (UInt64, UInt64) = (0, 0)
        for code in provinceCodes {
            if code < 64 { bits.0 |= 1 << UInt64(code) } else { bits.1 |= 1 << UInt64(code - 64) }
        }
        return bits
    }()

    @inline(__always) static func isProvince(_ code: Int) -> Bool {
        let bits = provinceBits
        guard code >= 0, code < 128 else { return false }
        return (code < 64 ? bits.0 >> UInt64(code) : bits.1 >> UInt64(code - 64)) & 1 == 1
    }

    /// Whether `text` (already width-normalised) is a valid ID number.
    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { bytes in
            bytes.count == 18 ? isValid18(bytes, at: 0, cautious: false) : bytes.count == 15 && isValid15(bytes, at: 0)
        }
    }

    /// An 18-character number at `start`: shape always; region, birth date and check
    /// character unless `cautious`, which reports shape-alone matches too.
    static func isValid18(_ text: UnsafeBufferPointer<UInt8>, at start: Int, cautious: Bool) -> Bool {
        guard start + 18 <= text.count else { return false }
        for offset in 0..<17 where !ASCIIBytes.isDigit(text[start + offset]) { return false }
        let last = text[start + 17]
        guard ASCIIBytes.isDigit(last) || last | 0x20 == UInt8(ascii: "x") else { return false }
        if cautious { return true }
        guard isProvince(number(text, start, 2)) else { return false }
        guard isBirthDate(year: number(text, start + 6, 4), month: number(text, start + 10, 2), day: number(text, start + 12, 2))
        else { return false }
        let expected = checkCharacter(text, at: start)
        return expected == (last == UInt8(ascii: "x") ? UInt8(ascii: "X") : last)
    }

    /// The legacy 15-digit form: region and a real birth date in 1900–1999.
    static func isValid15(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + 15 <= text.count else { return false }
        for offset in 0..<15 where !ASCIIBytes.isDigit(text[start + offset]) { return false }
        return isProvince(number(text, start, 2))
            && isBirthDate(year: 1900 + number(text, start + 6, 2), month: number(text, start + 8, 2), day: number(text, start + 10, 2))
    }

    static func isBirthDate(year: Int, month: Int, day: Int) -> Bool {
        (1850...2100).contains(year) && CalendarDate(year: year, month: month, day: day) != nil
    }

    static func number(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int {
        var value = 0
        for offset in 0..<length { value = value * 10 + ASCIIBytes.digit(text[start + offset]) }
        return value
    }

    /// Birth date, sex and region of a valid number (18 or 15 characters).
    public static func facts(of text: String) -> (birth: CalendarDate, male: Bool, region: String)? {
        guard isValid(text) else { return nil }
        return ASCIIBytes.withBytes(text) { bytes in
            let region = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<6]), as: UTF8.self)
            if bytes.count == 18 {
                let birth = CalendarDate(year: number(bytes, 6, 4), month: number(bytes, 10, 2), day: number(bytes, 12, 2))!
                return (birth, ASCIIBytes.digit(bytes[16]) % 2 == 1, region)
            }
            let birth = CalendarDate(year: 1900 + number(bytes, 6, 2), month: number(bytes, 8, 2), day: number(bytes, 10, 2))!
            return (birth, ASCIIBytes.digit(bytes[14]) % 2 == 1, region)
        }
    }
}
