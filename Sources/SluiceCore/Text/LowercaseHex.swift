/// Bytes as lower-case hexadecimal without separators: how digests and certificate
/// fingerprints are written in receipts, audit entries and the registry. Written into one
/// string directly; formatting each byte through `String(format:)` cost the gateway more
/// than hashing the body it described.
public enum LowercaseHex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
