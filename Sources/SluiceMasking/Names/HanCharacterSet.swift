/// A set of CJK unified ideographs (U+4E00…U+9FFF) as one bit each: name detection asks
/// about every character of every scanned note, and a bit test costs what a byte compare
/// does, where hashing into a `Set` cost more than the scan.
struct HanCharacterSet: Sendable {
    private static let first: UInt32 = 0x4E00
    private static let last: UInt32 = 0x9FFF
    private var words: [UInt64]

    init(_ characters: some Sequence<String>) {
        words = [UInt64](repeating: 0, count: Int(Self.last - Self.first) / 64 + 1)
        for text in characters {
            for scalar in text.unicodeScalars where (Self.first...Self.last).contains(scalar.value) {
                let offset = Int(scalar.value - Self.first)
                words[offset >> 6] |= 1 << UInt64(offset & 63)
            }
        }
    }

    init(_ characters: String) {
        self.init([characters])
    }

    @inline(__always) func contains(_ scalar: UInt32) -> Bool {
        guard scalar >= Self.first, scalar <= Self.last else { return false }
        let offset = Int(scalar - Self.first)
        return words[offset >> 6] & (1 << UInt64(offset & 63)) != 0
    }
}
