/// Bytes as lower-case hexadecimal without separators: how digests and certificate
/// fingerprints are written in receipts, audit entries and the registry. Written into one
/// string directly; formatting each byte through `String(format:)` cost the gateway more
/// than hashing the body it described.
public enum LowercaseHex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Computed rather than read from a table: a table in a `static let` is a lazy
    /// global, checked per character.
    @inline(__always) private static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
