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
        let input = Array(bytes)
        let count = input.count
        return String(unsafeUninitializedCapacity: (count * 4 + 2) / 3) { output in
            var written = 0
            var index = 0
            while index + 3 <= count {
                let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output[written] = alphabet[Int(chunk >> 18 & 63)]
                output[written + 1] = alphabet[Int(chunk >> 12 & 63)]
                output[written + 2] = alphabet[Int(chunk >> 6 & 63)]
                output[written + 3] = alphabet[Int(chunk & 63)]
                written += 4
                index += 3
            }
            let rest = count - index
            if rest > 0 {
                let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                output[written] = alphabet[Int(chunk >> 18 & 63)]
                output[written + 1] = alphabet[Int(chunk >> 12 & 63)]
                written += 2
                if rest == 2 {
                    output[written] = alphabet[Int(chunk >> 6 & 63)]
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
        let input = Array(text)
        guard input.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in input {
            let value = values[Int(byte)]
            guard value != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        guard buffer == 0 else { return nil }
        return Data(output)
    }
}

extension String {
    /// The dot-separated parts of a compact JWS or JWE, split on bytes: splitting a
    /// multi-megabyte token by `Character` would segment every grapheme.
    func compactParts() -> [Substring.UTF8View] {
        utf8[...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Substring($0).utf8 }
    }
}
