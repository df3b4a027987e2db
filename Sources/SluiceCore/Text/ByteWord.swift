/// Eight bytes tested at once: which bytes of a machine word equal a given byte, for
/// scanners that look for a few delimiter bytes in long runs of other bytes (string ends
/// in audit entries, full-width characters in free text).
public enum ByteWord {
    /// The high bit of each byte of `word` that equals `byte`, and no other bit: the exact
    /// form of the zero-byte test, so the lowest set bit marks the first such byte in
    /// memory order. `word` is eight bytes as loaded from memory.
    @inlinable @inline(__always)
    public static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let value = UInt64(littleEndian: word) ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return ~(((value & lows) &+ lows) | value | lows)
    }

    /// The high bit of each byte of `word` below `limit` (at most 0x80), and no other bit.
    /// Exact, like ``matches(_:_:)``: the sum that tests each byte stays inside its byte.
    @inlinable @inline(__always)
    public static func below(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let value = UInt64(littleEndian: word)
        // (byte & 0x7F) + (0x80 - limit) reaches 0x80 exactly when the low seven bits are
        // at least `limit`; a byte with its own high bit set is never below.
        let atLeast = (value & lows) &+ (0x0101_0101_0101_0101 &* UInt64(0x80 - limit))
        return ~(atLeast | value) & ~lows
    }

    /// The offset in memory order of the first byte marked in `marks` (not zero).
    @inlinable @inline(__always)
    public static func firstMarked(_ marks: UInt64) -> Int {
        marks.trailingZeroBitCount / 8
    }
}
