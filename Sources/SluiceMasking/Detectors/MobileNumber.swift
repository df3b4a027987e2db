/// Mainland mobile numbers: 11 digits in the number blocks MIIT has allocated
/// (13x, 145–149, 15x but 154, 162/165–167, 170–178, 18x, 19x but 194), optionally after
/// `+86`, `0086` or `86`, solid or grouped 3-4-4 or 3-8 with any one separator
/// (`138 1234 5678`, `138-1234-5678`, `138.1234.5678`, see ``DigitGroups``).
public enum MobileNumber {
    static func isAllocated(_ second: UInt8, _ third: UInt8) -> Bool {
        let s = ASCIIBytes.digit(second)
        let t = ASCIIBytes.digit(third)
        switch s {
        case 3, 8: return true
        case 4: return t >= 5
        case 5: return t != 4
        case 6: return [2, 5, 6, 7].contains(t)
        case 7: return t <= 8
        case 9: return t != 4
        default: return false
        }
    }

    /// The 11 digits of a valid number written in any accepted way, or nil.
    public static func canonical(_ text: String) -> String? {
        ASCIIBytes.withBytes(text) { bytes in
            guard let end = match(bytes, from: 0, cautious: false), end == bytes.count else { return nil }
            // Most values are already the bare 11 digits.
            if bytes.count == 11 { return text }
            let digits = bytes.filter(ASCIIBytes.isDigit)
            return String(decoding: digits.suffix(11), as: UTF8.self)
        }
    }

    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        // Country code, then an optional separator.
        // Compared as bytes: strings' views were a cost at every number in free text.
        func byte(_ offset: Int) -> UInt8 { start + offset < text.count ? text[start + offset] : 0 }
        let prefixLength =
            byte(0) == UInt8(ascii: "+") && byte(1) == 0x38 && byte(2) == 0x36
            ? 3
            : byte(0) == 0x30 && byte(1) == 0x30 && byte(2) == 0x38 && byte(3) == 0x36
                ? 4
                : byte(0) == 0x38 && byte(1) == 0x36 ? 2 : 0
        if prefixLength > 0 {
            let after = start + prefixLength
            let separator = DigitGroups.separatorLength(text, at: after)
            if let end = subscriber(text, after + separator, cautious: cautious) { return end }
        }
        return subscriber(text, start, cautious: cautious)
    }

    private static func subscriber(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, cautious: Bool) -> Int? {
        guard start + 11 <= text.count, text[start] == 0x31 else { return nil }
        let groups = DigitGroups(text, from: start, maxGroups: 3)
        guard let end = groups.end(ifStartingWith: 11) ?? groups.end(ifStartingWith: 3, 4, 4) ?? groups.end(ifStartingWith: 3, 8),
            ASCIIBytes.isDigitBoundary(text, end)
        else { return nil }
        return cautious || isAllocated(0x30 + UInt8(groups.digit(1)), 0x30 + UInt8(groups.digit(2))) ? end : nil
    }

    static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ prefix: String) -> Bool {
        var index = start
        for byte in prefix.utf8 {
            guard index < text.count, text[index] == byte else { return false }
            index += 1
        }
        return true
    }
}
