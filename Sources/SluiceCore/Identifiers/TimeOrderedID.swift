import Foundation

/// Identifiers for packages and requests: UUID version 7 (RFC 9562 §5.7), a 48-bit
/// Unix time in milliseconds followed by 74 random bits, written in the usual
/// lowercase 8-4-4-4-12 form.
///
/// Time first, so identifiers made one after another sort together: the store's
/// indexes on package ids (packages, audit entries) grow at their end instead of
/// touching a random page for every new package, and an id tells when it was made.
public enum TimeOrderedID {
    public static func make(at time: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: time, using: &generator)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    public static func make(at time: Date, using generator: inout some RandomNumberGenerator) -> String {
        let milliseconds = UInt64(max(0, (time.timeIntervalSince1970 * 1000).rounded())) & 0xFFFF_FFFF_FFFF
        let random = generator.next() as UInt64
        let more = generator.next() as UInt64
        // 48 bits of time, version 7, 12 random bits; variant 0b10, 62 random bits.
        let high = milliseconds << 16 | 0x7000 | (random & 0x0FFF)
        let low = 0x8000_0000_0000_0000 | (more & 0x3FFF_FFFF_FFFF_FFFF)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, shift) in stride(from: 60, through: 0, by: -4).enumerated() {
            if index == 8 || index == 12 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int((high >> UInt64(shift)) & 0xF)])
        }
        for (index, shift) in stride(from: 60, through: 0, by: -4).enumerated() {
            if index == 0 || index == 4 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int((low >> UInt64(shift)) & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` is written as such an identifier is: 8-4-4-4-12 hexadecimal digits
    /// (either case, any version). Text that is not cannot name a package, and the
    /// gateway does not repeat it (a caller may have put anything in a path).
    public static func hasIdentifierForm(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return false }
        for (offset, byte) in utf8.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte | 0x20) else { return false }
            }
        }
        return true
    }
}
