/// Unified social credit codes of organisations (GB 32100-2015): 18 characters from a
/// 31-character alphabet (no I, O, S, V, Z), a 6-digit region code in positions 3–8, and
/// a MOD 31 check character over weights 3^i mod 31.
public enum UnifiedSocialCreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// The value of each byte in the alphabet, -1 where a byte is not in it.
    static let values: [Int] = {
        var table = [Int](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = value }
        return table
    }()

    /// The check character for the first 17 characters, or nil if one is outside the alphabet.
    public static func checkCharacter(for code: some Collection<UInt8>) -> UInt8? {
        // The tables are read into locals once: each read of a static goes through its
        // lazy initialiser's check.
        let (weights, values) = (Self.weights, Self.values)
        var sum = 0
        for (weight, byte) in zip(weights, code) {
            let value = values[Int(byte)]
            guard value >= 0 else { return nil }
            sum += weight * value
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { $0.count == 18 && isValid($0, at: 0, cautious: false) }
    }

    static func isValid(_ text: UnsafeBufferPointer<UInt8>, at start: Int, cautious: Bool) -> Bool {
        guard start + 18 <= text.count else { return false }
        let values = Self.values
        for offset in 0..<18 where values[Int(text[start + offset])] < 0 { return false }
        for offset in 2..<8 where !ASCIIBytes.isDigit(text[start + offset]) { return false }
        if cautious { return true }
        return checkCharacter(for: UnsafeBufferPointer(rebasing: text[start..<start + 17])) == text[start + 17]
    }
}
