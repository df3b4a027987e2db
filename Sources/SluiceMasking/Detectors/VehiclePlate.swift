/// Mainland vehicle licence plates (GA 36): a province character, a letter for the
/// issuing office, an optional `·` or space, then 5 characters (6 on new-energy plates)
/// of letters other than I and O and digits, at least one a digit; trailer, learner and
/// police plates end in 挂, 学 or 警 after 4 or 5 characters.
public enum VehiclePlate {
    static let suffixes: Set<UInt32> = Set(["挂", "学", "警"].map { packed(Array($0.utf8)[...]) })

    @inline(__always) static func packed(_ bytes: some Collection<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    @inline(__always) static func packed(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        UInt32(text[index]) << 16 | UInt32(text[index + 1]) << 8 | UInt32(text[index + 2])
    }
    static let middleDot: [UInt8] = Array("·".utf8)

    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { match($0, from: 0, cautious: false) == $0.count }
    }

    /// Whether a UTF-8 lead byte could begin a province character; a cheap pre-check.
    @inline(__always) static func couldStart(_ byte: UInt8) -> Bool { byte >= 0xE4 && byte <= 0xE9 }

    /// One bit per character of the CJK Unified Ideographs block (U+4E00…U+9FFF), set for
    /// the province characters: the scanner asks at every Chinese character, so the
    /// answer must cost a few instructions.
    static let provinceBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: (0x9FFF - 0x4E00) / 64 + 1)
        for character in "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".unicodeScalars {
            let offset = Int(character.value) - 0x4E00
            bits[offset / 64] |= 1 << UInt64(offset % 64)
        }
        return bits
    }()

    @inline(__always) static func isProvince(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let scalar = (Int(text[index]) & 0x0F) << 12 | (Int(text[index + 1]) & 0x3F) << 6 | (Int(text[index + 2]) & 0x3F)
        let offset = scalar - 0x4E00
        guard offset >= 0, offset <= 0x9FFF - 0x4E00 else { return false }
        return provinceBits[offset / 64] & (1 << UInt64(offset % 64)) != 0
    }

    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard start + 3 < text.count, isProvince(text, at: start) else {
            return nil
        }
        var index = start + 3
        guard ASCIIBytes.isUpper(text[index]), text[index] != UInt8(ascii: "I"), text[index] != UInt8(ascii: "O") else {
            return nil
        }
        index += 1
        if index + 2 <= text.count, text[index] == middleDot[0], text[index + 1] == middleDot[1] {
            index += 2
        } else if index < text.count, text[index] == 0x20 {
            index += 1
        }
        let serialStart = index
        var sawDigit = false
        while index < text.count, index - serialStart < 6 {
            let byte = text[index]
            if ASCIIBytes.isDigit(byte) {
                sawDigit = true
            } else if !ASCIIBytes.isUpper(byte) || byte == UInt8(ascii: "I") || byte == UInt8(ascii: "O") {
                break
            }
            index += 1
        }
        let length = index - serialStart
        guard sawDigit, (4...6).contains(length) else { return nil }
        if length <= 5, index + 3 <= text.count, suffixes.contains(packed(text, at: index)) { return index + 3 }
        guard length >= 5 else { return nil }
        return ASCIIBytes.isRightBoundary(text, index) ? index : nil
    }
}
