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
        // ASCII values (phone, card, ID numbers) are masked byte by byte.
        if text.utf8.allSatisfy({ $0 < 0x80 }), let mask = maskCharacter.asciiValue {
            let bytes = text.utf8
            let (first, last) = kept(count: bytes.count, keepFirst: keepFirst, keepLast: keepLast)
            var output = [UInt8](repeating: mask, count: bytes.count)
            var index = 0
            for byte in bytes {
                if index < first || index >= bytes.count - last { output[index] = byte }
                index += 1
            }
            return String(decoding: output, as: UTF8.self)
        }
        let characters = Array(text)
        let (first, last) = kept(count: characters.count, keepFirst: keepFirst, keepLast: keepLast)
        var output = ""
        for (index, character) in characters.enumerated() {
            output.append(index < first || index >= characters.count - last ? character : maskCharacter)
        }
        return output
    }
}
