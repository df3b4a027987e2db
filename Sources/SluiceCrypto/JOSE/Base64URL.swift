import Foundation

/// Base64 with the URL-safe alphabet and no padding (RFC 7515 §2), as every part of a
/// JOSE compact serialisation is written. Encoded directly from a table: envelopes can
/// be hundreds of megabytes, and rewriting a standard base64 string three times is not
/// affordable at that size.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    public static func encode(_ bytes: some DataProtocol) -> String {
        if let regions = bytes.regions.first, bytes.regions.count == 1 {
            return regions.withUnsafeBytes { encode(raw: $0) }
        }
        return Array(bytes).withUnsafeBytes { encode(raw: $0) }
    }

    public static func encode(raw input: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedCount(input.count)) { output in
            encode(input, into: UnsafeMutableRawBufferPointer(output))
        }
    }

    /// The length of the unpadded encoding of `count` bytes.
    public static func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Every pair of characters, by the twelve bits they encode (first character in the
    /// low byte, as they lie in memory): two look-ups per three bytes instead of four.
    static let pairs: [UInt16] = (0..<4096).map { UInt16(alphabet[$0 >> 6]) | UInt16(alphabet[$0 & 63]) << 8 }

    /// Writes the encoding of `input` at the start of `output` (which holds at least
    /// `encodedCount(input.count)` bytes) and returns how many bytes it wrote.
    @discardableResult
    public static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let count = input.count
        precondition(output.count >= encodedCount(count), "base64url output buffer too small")
        guard count > 0 else { return 0 }
        return pairs.withUnsafeBufferPointer { table in
            var written = 0
            var index = 0
            // Six bytes (48 bits, four pairs) per step, read as one big-endian word: the two
            // bytes past them are read but not encoded, so the loop stops eight bytes short.
            while index + 8 <= count {
                let bits = UInt64(bigEndian: input.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let characters =
                    UInt64(table[Int(truncatingIfNeeded: bits >> 52)])
                    | UInt64(table[Int(truncatingIfNeeded: bits >> 40) & 0xFFF]) << 16
                    | UInt64(table[Int(truncatingIfNeeded: bits >> 28) & 0xFFF]) << 32
                    | UInt64(table[Int(truncatingIfNeeded: bits >> 16) & 0xFFF]) << 48
                output.storeBytes(of: UInt64(littleEndian: characters), toByteOffset: written, as: UInt64.self)
                written += 8
                index += 6
            }
            let source = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let target = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            func put(_ pair: UInt16) {
                target[written] = UInt8(truncatingIfNeeded: pair)
                target[written + 1] = UInt8(truncatingIfNeeded: pair >> 8)
                written += 2
            }
            while index + 3 <= count {
                let group = Int(source[index]) << 16 | Int(source[index + 1]) << 8 | Int(source[index + 2])
                put(table[group >> 12])
                put(table[group & 0xFFF])
                index += 3
            }
            // One or two bytes left: two or three characters, the missing bits zero.
            let rest = count - index
            if rest > 0 {
                let group = Int(source[index]) << 16 | (rest == 2 ? Int(source[index + 1]) << 8 : 0)
                put(table[group >> 12])
                if rest == 2 {
                    target[written] = UInt8(truncatingIfNeeded: table[group & 0xFFF])
                    written += 1
                }
            }
            return written
        }
    }

    /// Nil for text outside the alphabet, with padding, of an impossible length, or
    /// with non-zero bits after the last full byte (a second spelling of the same bytes).
    public static func decode(_ text: some StringProtocol) -> Data? {
        decode(bytes: text.utf8)
    }

    public static func decode(bytes text: some Collection<UInt8>) -> Data? {
        if let decoded = text.withContiguousStorageIfAvailable({ decode(raw: UnsafeRawBufferPointer($0)) }) { return decoded }
        return Array(text).withUnsafeBytes { decode(raw: $0) }
    }

    /// Four characters at a time into three bytes; the last group may be two or three
    /// characters (one or two bytes), whose unused low bits must be zero.
    static func decode(raw input: UnsafeRawBufferPointer) -> Data? {
        let count = input.count
        guard count % 4 != 1 else { return nil }
        let full = count / 4
        let rest = count % 4
        let length = full * 3 + (rest == 0 ? 0 : rest - 1)
        guard length > 0 else { return Data() }
        var output = Data(count: length)
        let valid = values.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBytes { target -> Bool in
                let source = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
                let out = target.baseAddress!.assumingMemoryBound(to: UInt8.self)
                // Any invalid character has its 0x80 bit set in the table (0xFF), so one
                // OR over a group tells whether all four were valid.
                var invalid: UInt8 = 0
                var read = 0
                var written = 0
                for _ in 0..<full {
                    let a = table[Int(source[read])]
                    let b = table[Int(source[read + 1])]
                    let c = table[Int(source[read + 2])]
                    let d = table[Int(source[read + 3])]
                    invalid |= a | b | c | d
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    out[written] = UInt8(truncatingIfNeeded: group >> 16)
                    out[written + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    out[written + 2] = UInt8(truncatingIfNeeded: group)
                    read += 4
                    written += 3
                }
                guard invalid & 0x80 == 0 else { return false }
                if rest >= 2 {
                    let a = table[Int(source[read])]
                    let b = table[Int(source[read + 1])]
                    let c = rest == 3 ? table[Int(source[read + 2])] : 0
                    guard (a | b | c) & 0x80 == 0 else { return false }
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                    out[written] = UInt8(truncatingIfNeeded: group >> 16)
                    if rest == 3 {
                        out[written + 1] = UInt8(truncatingIfNeeded: group >> 8)
                        guard group & 0xFF == 0 else { return false }
                    } else {
                        guard group & 0xFFFF == 0 else { return false }
                    }
                }
                return true
            }
        }
        return valid ? output : nil
    }
}

extension String {
    /// The dot-separated parts of a compact JWS or JWE, found with `memchr` on the UTF-8
    /// bytes: splitting a multi-megabyte token element by element costs more than
    /// decrypting it.
    func compactParts() -> [Substring.UTF8View] {
        var text = self
        text.makeContiguousUTF8()
        let offsets: [Int] =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                var found: [Int] = []
                var start = 0
                while start < bytes.count, let dot = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: ".")), bytes.count - start) {
                    let offset = UnsafeRawPointer(dot) - UnsafeRawPointer(bytes.baseAddress!)
                    found.append(offset)
                    start = offset + 1
                }
                return found
            } ?? []
        var parts: [Substring.UTF8View] = []
        var lower = text.utf8.startIndex
        for offset in offsets {
            let upper = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
            parts.append(text[lower..<upper].utf8)
            lower = text.utf8.index(after: upper)
        }
        parts.append(text[lower...].utf8)
        return parts
    }
}
