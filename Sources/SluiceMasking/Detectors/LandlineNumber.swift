/// Mainland landline numbers with their area code: `0` plus `10` or `2x` (two-digit
/// codes) or a three-digit code starting 3–9, an optional hyphen or space, and a
/// subscriber number of 7 or 8 digits starting 2–8; the area code may be in parentheses.
public enum LandlineNumber {
    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { match($0, from: 0, cautious: false) == $0.count }
    }

    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        var index = start
        let parenthesised = text[index] == UInt8(ascii: "(")
        if parenthesised { index += 1 }
        guard index + 3 <= text.count, text[index] == 0x30, ASCIIBytes.isDigit(text[index + 1]),
            ASCIIBytes.isDigit(text[index + 2])
        else { return nil }
        let second = ASCIIBytes.digit(text[index + 1])
        let codeLength: Int
        if second == 1 || second == 2 {
            guard second == 2 || ASCIIBytes.digit(text[index + 2]) == 0 else { return nil }
            codeLength = 3
        } else if second >= 3 {
            guard index + 4 <= text.count, ASCIIBytes.isDigit(text[index + 3]) else { return nil }
            codeLength = 4
        } else {
            return nil
        }
        index += codeLength
        if parenthesised {
            guard index < text.count, text[index] == UInt8(ascii: ")") else { return nil }
            index += 1
            if index < text.count, text[index] == 0x20 { index += 1 }
        } else if index < text.count, text[index] == 0x2D || text[index] == 0x20 {
            index += 1
        }
        let subscriberStart = index
        while index < text.count, ASCIIBytes.isDigit(text[index]), index - subscriberStart < 8 { index += 1 }
        let length = index - subscriberStart
        guard length == 7 || length == 8, ASCIIBytes.isRightBoundary(text, index) else { return nil }
        let first = ASCIIBytes.digit(text[subscriberStart])
        return cautious || (2...8).contains(first) ? index : nil
    }
}
