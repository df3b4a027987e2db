import Crypto
import Foundation

/// A C2SP signed-note verifier key (c2sp.org/signed-note): `name+keyid+base64(0x01‖key)`,
/// Ed25519 only. The key ID is the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key).
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let keyID: UInt32
    public let publicKey: Curve25519.Signing.PublicKey

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) throws(NoteError) {
        guard Self.isValidName(name) else { throw .malformed("a key name must be non-empty and hold no spaces or '+'") }
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// Parses the textual form, checking that the key ID matches name and key.
    public init(_ text: String) throws(NoteError) {
        // Split on the byte, as the format is defined: a "+" followed by a combining mark is
        // one Character, and splitting Characters would not see it.
        let parts = text.utf8.split(separator: UInt8(ascii: "+"), maxSplits: 2, omittingEmptySubsequences: false).map(Substring.init)
        guard parts.count == 3, parts[1].count == 8, let id = UInt32(parts[1], radix: 16),
            let material = Data(base64Encoded: String(parts[2])), material.count == 33, material.first == 0x01,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: material.dropFirst())
        else { throw .malformed("not a verifier key of the form name+keyid+base64(0x01‖Ed25519 key)") }
        try self.init(name: String(parts[0]), publicKey: key)
        guard keyID == id else { throw .malformed("the key ID does not match the name and key") }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        // Names compare by their bytes, as the key ID hashes them; String equality would
        // take canonically equivalent names for the same one.
        lhs.name.utf8.elementsEqual(rhs.name.utf8) && lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(publicKey.rawRepresentation)
    }

    public var description: String {
        name + "+" + String(format: "%08x", keyID) + "+" + (Data([0x01]) + publicKey.rawRepresentation).base64EncodedString()
    }

    static func keyID(name: String, publicKey: Curve25519.Signing.PublicKey) -> UInt32 {
        var hash = SHA256()
        hash.update(data: Data(name.utf8) + [0x0A, 0x01] + publicKey.rawRepresentation)
        return hash.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Checked scalar by scalar: a "+" or a space followed by a combining mark is a
    /// Character that equals neither, yet its bytes still split the textual form.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains(where: { $0 == "+" || $0.properties.isWhitespace })
    }
}

/// Why a note could not be signed or opened.
public enum NoteError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    /// No signature by a known key verifies.
    case unverified

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed signed note: \(why)"
        case .unverified: return "no signature on the note verifies with a known key"
        }
    }
}
