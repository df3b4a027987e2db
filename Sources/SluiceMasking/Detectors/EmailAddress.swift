/// E-mail addresses in the common dot-atom form: `local@domain.tld`, the top-level
/// domain at least two letters.
public enum EmailAddress {
    @inline(__always) static func isLocalByte(_ byte: UInt8) -> Bool {
        ASCIIBytes.isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B || byte == 0x2D
    }

    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { match($0, from: 0, cautious: false) == $0.count }
    }

    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard ASCIIBytes.isAlphanumeric(text[start]) else { return nil }
        var index = start
        while index < text.count, isLocalByte(text[index]), index - start < 64 { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: "@"), text[index - 1] != 0x2E else { return nil }
        index += 1
        var lastLabelStart = index
        var labels = 0
        var end: Int?
        // Labels of letters, digits and inner hyphens, separated by dots.
        while index < text.count {
            let labelStart = index
            while index < text.count, ASCIIBytes.isAlphanumeric(text[index]) || text[index] == 0x2D { index += 1 }
            guard index > labelStart, text[labelStart] != 0x2D, text[index - 1] != 0x2D else { break }
            labels += 1
            lastLabelStart = labelStart
            if labels >= 2, (lastLabelStart..<index).allSatisfy({ ASCIIBytes.isLetter(text[$0]) }), index - lastLabelStart >= 2 {
                end = index
            }
            guard index + 1 < text.count, text[index] == 0x2E, ASCIIBytes.isAlphanumeric(text[index + 1]) else { break }
            index += 1
        }
        guard let end, ASCIIBytes.isRightBoundary(text, end) else { return nil }
        return end
    }
}
