/// Payment card numbers: 13–19 digits passing the Luhn check (ISO/IEC 7812), written
/// solid or in groups of four separated by single spaces or hyphens.
public enum BankCardNumber {
    public static func luhnIsValid(_ digits: some Collection<UInt8>) -> Bool {
        var sum = 0
        for (position, byte) in digits.reversed().enumerated() {
            var value = ASCIIBytes.digit(byte)
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    public static func isValid(_ text: String) -> Bool {
        let digits = text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") }
        return (13...19).contains(digits.count) && digits.allSatisfy(ASCIIBytes.isDigit) && digits.first != 0x30
            && luhnIsValid(digits)
    }

    /// The end of the card number starting at `start`, or nil.
    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard ASCIIBytes.isDigit(text[start]), text[start] != 0x30 else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(19)
        var index = start
        var separator: UInt8?
        var groupLength = 0
        while index < text.count, digits.count < 19 {
            let byte = text[index]
            if ASCIIBytes.isDigit(byte) {
                digits.append(byte)
                groupLength += 1
                index += 1
                continue
            }
            // A separator is allowed only after a full group of four, the same one each time.
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-"), groupLength == 4,
                separator == nil || separator == byte, index + 1 < text.count, ASCIIBytes.isDigit(text[index + 1])
            else { break }
            separator = byte
            groupLength = 0
            index += 1
        }
        guard ASCIIBytes.isRightBoundary(text, index), (13...19).contains(digits.count) else { return nil }
        return cautious || luhnIsValid(digits) ? index : nil
    }
}
