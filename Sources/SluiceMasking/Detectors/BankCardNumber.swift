/// Payment card numbers: 13–19 digits passing the Luhn check (ISO/IEC 7812), written
/// solid or in groups of four separated by single spaces or hyphens.
public enum BankCardNumber {
    public static func luhnIsValid(_ digits: some BidirectionalCollection<UInt8>) -> Bool {
        var sum = 0
        var doubled = false
        for byte in digits.reversed() {
            sum += luhnValue(ASCIIBytes.digit(byte), doubled: doubled)
            doubled.toggle()
        }
        return sum % 10 == 0
    }

    @inline(__always) static func luhnValue(_ digit: Int, doubled: Bool) -> Int {
        guard doubled else { return digit }
        return digit > 4 ? digit * 2 - 9 : digit * 2
    }

    /// 13–19 digits, not starting with 0, passing the Luhn check; spaces and hyphens
    /// anywhere are ignored.
    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { bytes in
            var count = 0
            var sum = 0
            var first: UInt8 = 0
            for byte in bytes.reversed() where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
                guard ASCIIBytes.isDigit(byte) else { return false }
                sum += luhnValue(ASCIIBytes.digit(byte), doubled: count % 2 == 1)
                count += 1
                first = byte
            }
            return (13...19).contains(count) && first != 0x30 && sum % 10 == 0
        }
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
            sum += luhnValue(Int(Self.load(at: count - 1 - position, from: digits)), doubled: position % 2 == 1)
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
