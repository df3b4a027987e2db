/// Mainland vehicle licence plates (GA 36): a province character, a letter for the
/// issuing office, an optional `·` or space, then 5 characters (6 on new-energy plates)
/// of letters other than I and O and digits, at least one a digit; trailer, learner and
/// police plates end in 挂, 学 or 警 after 4 or 5 characters.
public enum VehiclePlate {
    static let provinces: Set<[UInt8]> = Set(
        "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".map { Array(String($0).utf8) })
    static let suffixes: [[UInt8]] = ["挂", "学", "警"].map { Array($0.utf8) }
    static let middleDot: [UInt8] = Array("·".utf8)

    public static func isValid(_ text: String) -> Bool {
        ASCIIBytes.withBytes(text) { match($0, from: 0, cautious: false) == $0.count }
    }

    /// Whether a UTF-8 lead byte could begin a province character; a cheap pre-check.
    @inline(__always) static func couldStart(_ byte: UInt8) -> Bool { byte >= 0xE4 && byte <= 0xE9 }

    static func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, cautious: Bool) -> Int? {
        guard start + 3 < text.count, provinces.contains([text[start], text[start + 1], text[start + 2]]) else {
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
        if length <= 5, index + 3 <= text.count, suffixes.contains(Array(text[index..<index + 3])) { return index + 3 }
        guard length >= 5 else { return nil }
        return ASCIIBytes.isRightBoundary(text, index) ? index : nil
    }
}
