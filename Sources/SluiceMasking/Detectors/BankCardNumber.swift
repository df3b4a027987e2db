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

    /// The end of the card number starting at `start`, or nil: 13–19 digits solid, or in
    /// groups of four (the last one shorter) with any one separator (see ``DigitGroups``).
    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard ASCIIBytes.isDigit(text[start]), text[start] != 0x30 else { return nil }
        let groups = DigitGroups(text, from: start, maxGroups: 5)
        var best: (end: Int, count: Int)?
        if (13...19).contains(groups[0]) {
            best = (groups.groupEnd(0), groups[0])
        } else if groups[0] == 4 {
            // Groups of four, the last one perhaps shorter; the longest reading wins (more
            // groups may follow that belong to something else).
            var digits = 4
            for index in 1..<groups.count {
                let length = groups[index]
                guard length <= 4 else { break }
                digits += length
                if (13...19).contains(digits) { best = (groups.groupEnd(index), digits) }
                if length < 4 { break }
            }
        }
        guard let (end, count) = best, ASCIIBytes.isDigitBoundary(text, end) else { return nil }
        if cautious { return end }
        var sum = 0
        for position in 0..<count {
            sum += luhnValue(Int(groups.digit(count - 1 - position)), doubled: position % 2 == 1)
        }
        return sum % 10 == 0 ? end : nil
    }
}
