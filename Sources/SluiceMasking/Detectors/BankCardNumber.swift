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
        // At most 19 digits, kept on the stack: this runs at every number in free text.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var index = start
        var separator: UInt8?
        var groupLength = 0
        while index < text.count, count < 19 {
            let byte = text[index]
            if ASCIIBytes.isDigit(byte) {
                Self.store(UInt64(ASCIIBytes.digit(byte)), at: count, in: &digits)
                count += 1
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
        guard ASCIIBytes.isRightBoundary(text, index), (13...19).contains(count) else { return nil }
        if cautious { return index }
        var sum = 0
        for position in 0..<count {
            var value = Int(Self.load(at: count - 1 - position, from: digits))
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0 ? index : nil
    }

    /// Digits packed four bits each into three words.
    @inline(__always) private static func store(_ digit: UInt64, at position: Int, in digits: inout (UInt64, UInt64, UInt64)) {
        let shift = UInt64(position % 16 * 4)
        switch position / 16 {
        case 0: digits.0 |= digit << shift
        case 1: digits.1 |= digit << shift
        default: digits.2 |= digit << shift
        }
    }

    @inline(__always) private static func load(at position: Int, from digits: (UInt64, UInt64, UInt64)) -> UInt64 {
        let shift = UInt64(position % 16 * 4)
        switch position / 16 {
        case 0: return digits.0 >> shift & 0xF
        case 1: return digits.1 >> shift & 0xF
        default: return digits.2 >> shift & 0xF
        }
    }
}
