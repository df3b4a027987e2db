/// How each kind of personal data found in free text is masked. The replacement never
/// contains the original value, and keeps just enough for a reader to tell the kind.
///
/// | kind | kept | example |
/// |---|---|---|
/// | ID number | first and last character | `1****************X` |
/// | credit code | first 2, last 2 | `91**************43` |
/// | bank card | last 4 digits | `************1234` |
/// | mobile | first 3, last 4 digits | `138****5678` |
/// | landline | area code, last 2 digits | `010-******78` |
/// | e-mail | first character and domain | `z***@example.com` |
/// | passport, permit | first character, last 2 | `E******78` |
/// | vehicle plate | province and office letter | `浙A*****` |
/// | personal name | surname | `张**`, `欧阳*` |
/// | street address | the parts down to the agreement's address level | `浙江省杭州市西湖区` |
public enum DefaultMask {
    static let star = UInt8(ascii: "*")

    static func append(_ kind: DetectionKind, _ match: UnsafeBufferPointer<UInt8>, to out: inout MaskedTextWriter) {
        switch kind {
        case .residentID:
            if match.count == 18 {
                // Solid, as most are: the first character, 16 stars, the last.
                out.append(match[0])
                out.append(star, times: 16)
                out.append(match[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : match[17])
                return
            }
            // Written grouped (110105 19491231 002X) it is masked as its 18 characters.
            var characters = 0
            for byte in match where ASCIIBytes.isAlphanumeric(byte) { characters += 1 }
            var index = 0
            for byte in match where ASCIIBytes.isAlphanumeric(byte) {
                out.append(index == 0 || index == characters - 1 ? (byte == UInt8(ascii: "x") ? UInt8(ascii: "X") : byte) : star)
                index += 1
            }
        case .creditCode, .passport, .travelPermit:
            let keep: (Int, Int) = kind == .creditCode ? (2, 2) : (1, 2)
            let (first, last) = PartialMask.kept(count: match.count, keepFirst: keep.0, keepLast: keep.1)
            for (index, byte) in match.enumerated() {
                if index < first || index >= match.count - last {
                    out.append(byte == UInt8(ascii: "x") ? UInt8(ascii: "X") : byte)
                } else {
                    out.append(star)
                }
            }
        case .bankCard:
            appendDigits(match, keepFirst: 0, keepLast: 4, to: &out)
        case .mobile:
            // A country prefix (+86, 0086) is dropped: the number is its last 11 digits.
            var digits = 0
            for byte in match where ASCIIBytes.isDigit(byte) { digits += 1 }
            appendDigits(match, skipping: max(0, digits - 11), keepFirst: 3, keepLast: 4, to: &out)
        case .landline:
            var digits = 0
            var second: UInt8 = 0
            for byte in match where ASCIIBytes.isDigit(byte) {
                if digits == 1 { second = byte }
                digits += 1
            }
            let codeLength = digits > 1 && (second == 0x31 || second == 0x32) ? 3 : 4
            var written = 0
            for byte in match where ASCIIBytes.isDigit(byte) {
                guard written < codeLength else { break }
                out.append(byte)
                written += 1
            }
            out.append(UInt8(ascii: "-"))
            appendDigits(match, skipping: min(codeLength, digits), keepFirst: 0, keepLast: 2, to: &out)
        case .email:
            guard let at = match.firstIndex(of: UInt8(ascii: "@")) else { return }
            out.append(match[0])
            out.append(star, times: 3)
            out.append(UnsafeBufferPointer(rebasing: match[at...]))
        case .vehiclePlate:
            out.append(UnsafeBufferPointer(rebasing: match[0..<4]))
            var characters = 0
            for byte in match[4...] where byte & 0xC0 != 0x80 { characters += 1 }
            out.append(star, times: characters)
        case .personName:
            appendName(match, to: &out)
        case .address:
            // Written by the scanner as its administrative parts (``StreetAddress``).
            break
        }
    }

    /// A name as ``SurnameMask`` writes it: the surname (compound ones whole), a star
    /// for each other character, spaces kept.
    static func appendName(_ match: UnsafeBufferPointer<UInt8>, to out: inout MaskedTextWriter) {
        guard let (first, firstLength) = PersonName.han(match, at: 0) else { return }
        var kept = firstLength
        if let (second, secondLength) = PersonName.han(match, at: firstLength), ChineseSurname.isCompound(first, second),
            firstLength + secondLength < match.count
        {
            kept += secondLength
        }
        out.append(UnsafeBufferPointer(rebasing: match[0..<kept]))
        var index = kept
        while index < match.count {
            let byte = match[index]
            if byte == 0x20 {
                out.append(byte)
            } else if byte & 0xC0 != 0x80 {
                out.append(star)
            }
            index += 1
        }
    }

    /// The digits of `match` after the first `skipping` of them, partially masked.
    static func appendDigits(
        _ match: UnsafeBufferPointer<UInt8>, skipping: Int = 0, keepFirst: Int, keepLast: Int, to out: inout MaskedTextWriter
    ) {
        var count = 0
        for byte in match where ASCIIBytes.isDigit(byte) { count += 1 }
        count -= skipping
        let (first, last) = PartialMask.kept(count: count, keepFirst: keepFirst, keepLast: keepLast)
        var index = -skipping
        for byte in match where ASCIIBytes.isDigit(byte) {
            if index >= 0 { out.append(index < first || index >= count - last ? byte : star) }
            index += 1
        }
    }
}
