/// Keeps the first and last characters of a value and masks the rest, keeping its length.
public enum PartialMask {
    /// How many characters to keep at each end of a value of `count` characters.
    ///
    /// When the rule would keep the whole value (a two-character name under "keep first
    /// 1, last 1"), at most half of it is kept, first characters before last, so every
    /// masked value hides something.
    public static func kept(count: Int, keepFirst: Int, keepLast: Int) -> (first: Int, last: Int) {
        if keepFirst + keepLast < count { return (keepFirst, keepLast) }
        let allowance = count / 2
        let first = min(keepFirst, allowance)
        return (first, min(keepLast, allowance - first))
    }

    public static func apply(_ text: String, keepFirst: Int, keepLast: Int, maskCharacter: Character = "*") -> String {
        apply(text, keepFirst: keepFirst, keepLast: keepLast, maskCharacter: maskCharacter, asciiMask: maskCharacter.asciiValue)
    }

    /// `asciiMask` is the mask character's byte when it is ASCII, worked out once by a
    /// caller that masks many values with it.
    static func apply(_ text: String, keepFirst: Int, keepLast: Int, maskCharacter: Character, asciiMask: UInt8?) -> String {
        // ASCII values (phone, card, ID numbers) are masked byte by byte.
        if let mask = asciiMask, let masked = asciiApply(text, keepFirst: keepFirst, keepLast: keepLast, mask: mask) {
            return masked
        }
        let characters = Array(text)
        let (first, last) = kept(count: characters.count, keepFirst: keepFirst, keepLast: keepLast)
        var output = ""
        for (index, character) in characters.enumerated() {
            output.append(index < first || index >= characters.count - last ? character : maskCharacter)
        }
        return output
    }

    /// The masked value when `text` is all ASCII, else nil.
    private static func asciiApply(_ text: String, keepFirst: Int, keepLast: Int, mask: UInt8) -> String? {
        ASCIIBytes.withBytes(text) { bytes in
            guard ASCIIBytes.allASCII(bytes) else { return nil }
            let (first, last) = kept(count: bytes.count, keepFirst: keepFirst, keepLast: keepLast)
            return String(unsafeUninitializedCapacity: bytes.count) { output in
                for index in 0..<bytes.count { output[index] = index < first || index >= bytes.count - last ? bytes[index] : mask }
                return bytes.count
            }
        }
    }
}
