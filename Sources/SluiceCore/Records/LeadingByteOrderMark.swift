/// The UTF-8 byte-order mark (EF BB BF) that spreadsheet programs and editors put at the
/// start of a file, for decoders that read a body one byte at a time: the whole mark at
/// the very start is skipped; part of one followed by anything else, or a body that ends
/// inside one, is not UTF-8.
struct LeadingByteOrderMark {
    private static let bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// Bytes of the mark matched so far; nil once the body is past where it could be.
    private var matched: Int? = 0

    /// Whether `byte`, the body's next one, is part of the mark (and so to be skipped).
    mutating func skips(_ byte: UInt8, line: Int) throws(RecordFormatError) -> Bool {
        guard let count = matched else { return false }
        if byte == Self.bytes[count] {
            matched = count + 1 < Self.bytes.count ? count + 1 : nil
            return true
        }
        matched = nil
        if count > 0 { throw RecordFormatError(.invalidUTF8, line: line) }
        return false
    }

    /// Whether the body ended inside the mark.
    var isCutShort: Bool { (matched ?? 0) > 0 }
}
