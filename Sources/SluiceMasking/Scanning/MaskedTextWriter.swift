/// Masked text as it is written: bytes into memory the caller sized, without the
/// uniqueness and capacity checks of an array append (a masked note is mostly a few
/// dozen short appends, and those checks showed in every profile of free-text masking).
///
/// The text becomes a `String` without the whole of it being validated as UTF-8 again
/// (that cost a tenth of the scan): what is copied from the original is checked to be
/// cut between characters, each mask is checked on its own, and only when all held is the
/// result taken as it is. Otherwise it is decoded, and repaired, in full.
struct MaskedTextWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0
    /// Whether every piece written so far is known to be whole UTF-8.
    private var whole = true
    /// Where the mask being written started, while one is.
    private var maskStart: Int?

    /// Writes into `buffer`, which must hold everything that will be appended.
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    /// The most a text of `count` bytes can grow to when masked. Masks are never longer
    /// than what they replace, except two: an e-mail's mask keeps one character of the
    /// local part and adds three stars (at most 3 bytes more for at least 6 bytes, "a@b.cn"),
    /// and a landline's adds a hyphen after the area code (1 byte more for at least 10).
    static func capacity(forMasking count: Int) -> Int { count + count / 2 + 4 }

    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Copies `original[range]`, where `original` is valid UTF-8 (a `String`'s bytes, or
    /// their width-folded form): the copy is whole when the range starts and ends between
    /// characters.
    mutating func append(_ original: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        if whole {
            whole =
                (range.lowerBound == original.count || original[range.lowerBound] & 0xC0 != 0x80)
                && (range.upperBound == original.count || original[range.upperBound] & 0xC0 != 0x80)
        }
        append(UnsafeBufferPointer(rebasing: original[range]))
    }

    /// Starts a mask: what is appended until ``endMask()`` is checked as one piece.
    mutating func beginMask() { maskStart = count }

    mutating func endMask() {
        if whole, let maskStart { whole = Self.isValidUTF8(UnsafeBufferPointer(rebasing: written[maskStart...])) }
        maskStart = nil
    }

    /// The text written, as a `String`.
    func string() -> String {
        precondition(maskStart == nil, "a mask was begun and not ended")
        // UTF8Span is in the runtime from macOS 26; the package also builds for macOS 15.
        guard whole, #available(macOS 26, *) else { return String(decoding: written, as: UTF8.self) }
        return String(copying: UTF8Span(unchecked: written.span))
    }

    /// Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
    /// nothing past U+10FFFF, nothing cut short). For masks, which are short, and without
    /// making a string of them as `String(validatingUTF8Bytes:)` does: one per mask.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most masks are digits, letters and stars: eight bytes at a time while ASCII.
        var index = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { index += 8 }
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            guard index + length <= bytes.count else { return false }
            var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length {
                let byte = bytes[index + offset]
                guard byte & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(byte & 0x3F)
            }
            switch length {
            case 3: guard scalar >= 0x800, !(0xD800...0xDFFF).contains(scalar) else { return false }
            case 4: guard (0x10000...0x10FFFF).contains(scalar) else { return false }
            default: break
            }
            index += length
        }
        return true
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        precondition(count < capacity, "masked text outgrew its bound")
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        precondition(count + bytes.count <= capacity, "masked text outgrew its bound")
        (base + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    @inline(__always) mutating func append(_ byte: UInt8, times: Int) {
        guard times > 0 else { return }
        precondition(count + times <= capacity, "masked text outgrew its bound")
        (base + count).update(repeating: byte, count: times)
        count += times
    }
}
