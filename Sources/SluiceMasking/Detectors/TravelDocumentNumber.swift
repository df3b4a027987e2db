/// Numbers of travel documents issued in mainland China. They carry no check
/// character, so detection rests on their exact shape.
public enum TravelDocumentNumber {
    /// Passports: `E` plus 8 digits, `E` plus a letter and 7 digits (since 2019), the
    /// older `G` plus 8 digits, and official passports `D`, `S`, `P` plus 7 or 8 digits.
    static func matchPassport(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        let first = text[start]
        switch first {
        case UInt8(ascii: "E"):
            if let end = digits(text, start + 1, 8) { return end }
            guard start + 1 < text.count, ASCIIBytes.isUpper(text[start + 1]), text[start + 1] != UInt8(ascii: "I"),
                text[start + 1] != UInt8(ascii: "O")
            else { return nil }
            return digits(text, start + 2, 7)
        case UInt8(ascii: "G"):
            return digits(text, start + 1, 8)
        case UInt8(ascii: "D"), UInt8(ascii: "S"), UInt8(ascii: "P"):
            return digits(text, start + 1, 8) ?? digits(text, start + 1, 7)
        default:
            return nil
        }
    }

    /// Mainland travel permits for Hong Kong and Macau: the card form `C` plus 8 digits or
    /// `C` plus a letter and 7 digits.
    static func matchTravelPermit(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard text[start] == UInt8(ascii: "C") else { return nil }
        if let end = digits(text, start + 1, 8) { return end }
        guard start + 1 < text.count, ASCIIBytes.isUpper(text[start + 1]) else { return nil }
        return digits(text, start + 2, 7)
    }

    public static func isPassport(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { !$0.isEmpty && matchPassport($0, from: 0, cautious: false) == $0.count }
    }

    public static func isTravelPermit(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { !$0.isEmpty && matchTravelPermit($0, from: 0, cautious: false) == $0.count }
    }

    /// Exactly `count` digits at `start`, ending at a word boundary.
    private static func digits(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= text.count else { return nil }
        for offset in 0..<count where !ASCIIBytes.isDigit(text[start + offset]) { return nil }
        return ASCIIBytes.isRightBoundary(text, start + count) ? start + count : nil
    }
}
