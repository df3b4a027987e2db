/// Mainland landline numbers with their area code: `0` plus `10` or `2x` (two-digit
/// codes) or a three-digit code starting 3–9, an optional separator, and a subscriber
/// number of 7 or 8 digits starting 2–8, solid or split once (`6552 9988`); the area code
/// may be in parentheses (`(010) 6552 9988`).
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
        }
        index += DigitGroups.separatorLength(text, at: index)
        let subscriberStart = index
        guard subscriberStart < text.count, ASCIIBytes.isDigit(text[subscriberStart]) else { return nil }
        let groups = DigitGroups(text, from: subscriberStart, maxGroups: 2)
        var end: Int?
        if groups[0] == 7 || groups[0] == 8 {
            end = groups.groupEnd(0)
        } else if groups.count == 2, groups[0] >= 3, groups[1] >= 3, (7...8).contains(groups[0] + groups[1]) {
            end = groups.groupEnd(1)
        }
        guard let end, ASCIIBytes.isDigitBoundary(text, end) else { return nil }
        index = end
        let first = ASCIIBytes.digit(text[subscriberStart])
        return cautious || (2...8).contains(first) ? index : nil
    }
}
