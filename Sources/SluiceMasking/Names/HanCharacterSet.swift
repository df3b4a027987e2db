/// A set of characters of the Basic Multilingual Plane as one bit each (8 KiB): name
/// detection asks about every character of every scanned note, and a bit test costs what
/// a byte compare does, where hashing into a `Set` cost more than the whole scan.
///
/// The bits live in memory allocated once and never freed: the sets are process-wide
/// constants, and a pointer is copied into each scan without the reference counting an
/// array's storage costs (which, per note, showed in the profile).
struct HanCharacterSet: @unchecked Sendable {
    /// 1,024 words, immutable once built.
    let words: UnsafePointer<UInt64>

    init(_ characters: some Sequence<String>) {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1 << 10)
        bits.initialize(repeating: 0, count: 1 << 10)
        for text in characters {
            for scalar in text.unicodeScalars where scalar.value <= 0xFFFF {
                bits[Int(scalar.value) >> 6] |= 1 << UInt64(scalar.value & 63)
            }
        }
        words = UnsafePointer(bits)
    }

    init(_ characters: String) {
        self.init([characters])
    }

    @inline(__always) func contains(_ scalar: UInt32) -> Bool {
        guard scalar <= 0xFFFF else { return false }
        return words[Int(scalar) >> 6] & (1 << UInt64(scalar & 63)) != 0
    }
}
