import Foundation

/// A sealed JWE held as its five parts, before or instead of its compact text.
///
/// The compact serialisation spells every byte of ciphertext as 4/3 of a character. The
/// gateway keeps envelopes as ``storedBytes`` (the parts themselves, a quarter smaller,
/// with no base64 to write on the submission's path) and writes ``compact`` when a
/// consumer fetches: the text is the same either way, byte for byte.
public struct SealedEnvelope: Sendable, Hashable {
    /// The base64url protected header: the content's additional authenticated data, so
    /// it is kept exactly as it was encrypted with.
    public var encodedHeader: String
    public var encryptedKey: Data
    public var iv: Data
    public var ciphertext: Data
    public var tag: Data

    public init(encodedHeader: String, encryptedKey: Data, iv: Data, ciphertext: Data, tag: Data) {
        self.encodedHeader = encodedHeader
        self.encryptedKey = encryptedKey
        self.iv = iv
        self.ciphertext = ciphertext
        self.tag = tag
    }

    private var binaryParts: [Data] { [encryptedKey, iv, ciphertext, tag] }

    /// The length of ``compact`` without writing it.
    public var compactCount: Int {
        encodedHeader.utf8.count + binaryParts.reduce(0) { $0 + 1 + Base64URL.encodedCount($1.count) }
    }

    /// `header.key.iv.ciphertext.tag` (RFC 7516 §7.1), each part encoded straight into
    /// the one string: the ciphertext of a large envelope is its bulk, and is written once.
    public var compact: String {
        let parts = binaryParts
        return String(unsafeUninitializedCapacity: compactCount) { output in
            let target = UnsafeMutableRawBufferPointer(output)
            var written = 0
            for byte in encodedHeader.utf8 {
                output[written] = byte
                written += 1
            }
            for part in parts {
                output[written] = UInt8(ascii: ".")
                written += 1
                written += part.withUnsafeBytes { Base64URL.encode($0, into: UnsafeMutableRawBufferPointer(rebasing: target[written...])) }
            }
            return written
        }
    }

    /// Marks the stored form's layout, so a later layout can be told apart.
    static let storedVersion: UInt8 = 1

    /// The stored form: a version byte, then the header's text and the four binary parts,
    /// each as a 4-byte big-endian length and its bytes.
    public var storedBytes: Data {
        let parts = [Data(encodedHeader.utf8)] + binaryParts
        var out = Data(capacity: 1 + parts.reduce(0) { $0 + 4 + $1.count })
        out.append(Self.storedVersion)
        for part in parts {
            let count = UInt32(part.count)
            out.append(contentsOf: [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)])
            out.append(part)
        }
        return out
    }

    /// Reads ``storedBytes`` back; throws when they are not that layout (truncated, a
    /// length past the end, bytes left over, a header that is not base64url text). The
    /// parts are slices of `stored`, not copies: an envelope can be hundreds of megabytes.
    public init(stored: Data) throws(JOSEError) {
        var offset = stored.startIndex
        guard stored.first == Self.storedVersion else { throw .malformed("the stored envelope has an unknown layout") }
        offset += 1
        var parts: [Data] = []
        for _ in 0..<5 {
            guard stored.endIndex - offset >= 4 else { throw .malformed("the stored envelope is truncated") }
            let count = stored[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard stored.endIndex - offset >= count else { throw .malformed("the stored envelope is truncated") }
            parts.append(stored[offset..<(offset + count)])
            offset += count
        }
        guard offset == stored.endIndex else { throw .malformed("the stored envelope has bytes after its last part") }
        guard Base64URL.decode(bytes: parts[0]) != nil, let header = String(data: parts[0], encoding: .utf8) else {
            throw .malformed("the stored envelope's header is not base64url")
        }
        self.init(encodedHeader: header, encryptedKey: parts[1], iv: parts[2], ciphertext: parts[3], tag: parts[4])
    }

    /// Reads a compact JWE's five parts; throws when it is not five base64url parts with
    /// a header, an IV and a tag. The layout only: nothing is decrypted or checked
    /// against a key. (The encrypted key is empty under direct encryption.)
    public init(compact: String) throws(JOSEError) {
        let parts = compact.compactParts()
        guard parts.count == 5 else { throw .malformed("a JWE has 5 parts, this has \(parts.count)") }
        guard !parts[0].isEmpty, !parts[2].isEmpty, !parts[4].isEmpty else { throw .malformed("a JWE part is empty") }
        guard Base64URL.decode(bytes: parts[0]) != nil, let encryptedKey = Base64URL.decode(bytes: parts[1]),
            let iv = Base64URL.decode(bytes: parts[2]), let ciphertext = Base64URL.decode(bytes: parts[3]),
            let tag = Base64URL.decode(bytes: parts[4])
        else { throw .malformed("a part is not base64url") }
        self.init(encodedHeader: String(Substring(parts[0])), encryptedKey: encryptedKey, iv: iv, ciphertext: ciphertext, tag: tag)
    }
}
