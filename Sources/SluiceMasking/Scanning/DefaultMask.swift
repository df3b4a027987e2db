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
public enum DefaultMask {
    static let star = UInt8(ascii: "*")

    static func append(_ kind: DetectionKind, _ match: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        switch kind {
        case .residentID, .creditCode, .passport, .travelPermit:
            let keep: (Int, Int) = kind == .residentID ? (1, 1) : kind == .creditCode ? (2, 2) : (1, 2)
            let upper = match.map { $0 == UInt8(ascii: "x") ? UInt8(ascii: "X") : $0 }
            appendPartial(upper, keepFirst: keep.0, keepLast: keep.1, to: &out)
        case .bankCard:
            appendPartial(match.filter(ASCIIBytes.isDigit), keepFirst: 0, keepLast: 4, to: &out)
        case .mobile:
            appendPartial(Array(match.filter(ASCIIBytes.isDigit).suffix(11)), keepFirst: 3, keepLast: 4, to: &out)
        case .landline:
            let digits = match.filter(ASCIIBytes.isDigit)
            let codeLength = digits.count > 1 && (digits[1] == 0x31 || digits[1] == 0x32) ? 3 : 4
            out.append(contentsOf: digits.prefix(codeLength))
            out.append(UInt8(ascii: "-"))
            appendPartial(Array(digits.dropFirst(codeLength)), keepFirst: 0, keepLast: 2, to: &out)
        case .email:
            guard let at = match.firstIndex(of: UInt8(ascii: "@")) else { return }
            out.append(match[0])
            out.append(contentsOf: [star, star, star])
            out.append(contentsOf: UnsafeBufferPointer(rebasing: match[at...]))
        case .vehiclePlate:
            out.append(contentsOf: UnsafeBufferPointer(rebasing: match[0..<4]))
            let characters = match[4...].filter { $0 & 0xC0 != 0x80 }.count
            out.append(contentsOf: repeatElement(star, count: characters))
        }
    }

    static func appendPartial(_ bytes: [UInt8], keepFirst: Int, keepLast: Int, to out: inout [UInt8]) {
        let (first, last) = PartialMask.kept(count: bytes.count, keepFirst: keepFirst, keepLast: keepLast)
        out.append(contentsOf: bytes.prefix(first))
        out.append(contentsOf: repeatElement(star, count: bytes.count - first - last))
        out.append(contentsOf: bytes.suffix(last))
    }
}
