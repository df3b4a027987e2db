/// Mainland mobile numbers: 11 digits in the number blocks MIIT has allocated
/// (13x, 145–149, 15x but 154, 162/165–167, 170–178, 18x, 19x but 194), optionally after
/// `+86`, `0086` or `86`, solid or grouped 3-4-4 with spaces or hyphens.
public enum MobileNumber {
    static func isAllocated(_ second: UInt8, _ third: UInt8) -> Bool {
        let s = ASCIIBytes.digit(second), t = ASCIIBytes.digit(third)
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
        var index = start
        // Country code, then an optional single space or hyphen.
        for prefix in ["+86", "0086", "86"] where hasPrefix(text, index, prefix) {
            let after = index + prefix.utf8.count
            let next = after < text.count && (text[after] == 0x20 || text[after] == 0x2D) ? after + 1 : after
            if let end = subscriber(text, next, cautious: cautious) { return end }
        }
        index = start
        return subscriber(text, index, cautious: cautious)
    }

    private static func subscriber(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, cautious: Bool) -> Int? {
        guard start + 11 <= text.count, text[start] == 0x31 else { return nil }
        // Solid: 11 digits.
        var solid = true
        for offset in 0..<11 where !ASCIIBytes.isDigit(text[start + offset]) {
            solid = false
            break
        }
        if solid {
            let end = start + 11
            guard ASCIIBytes.isRightBoundary(text, end) else { return nil }
            return cautious || isAllocated(text[start + 1], text[start + 2]) ? end : nil
        }
        // Grouped 3-4-4 with one kind of separator.
        guard start + 13 <= text.count else { return nil }
        let separator = text[start + 3]
        guard separator == 0x20 || separator == 0x2D, text[start + 8] == separator else { return nil }
        for offset in [0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 12] where !ASCIIBytes.isDigit(text[start + offset]) { return nil }
        let end = start + 13
        guard ASCIIBytes.isRightBoundary(text, end) else { return nil }
        return cautious || isAllocated(text[start + 1], text[start + 2]) ? end : nil
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
