import Crypto
import Foundation
import SluiceCrypto

/// An SM2 key that co-signs checkpoints, so an assessor finds national algorithms on the
/// audit evidence too. The signature line follows C2SP signed notes with the signature
/// type reserved for types it does not assign (`0xff`, then the identifier
/// `sluice.sm2-sm3`): `— name base64(key ID ‖ r ‖ s)`, where r ‖ s is the raw 64-byte SM2
/// signature with SM3 and the signer id `1234567812345678` over the note text, and the key
/// ID is the first four bytes of SHA-256(name ‖ 0x0A ‖ 0xff ‖ "sluice.sm2-sm3" ‖ 04 ‖ x ‖ y).
/// Verifiers that know only the Ed25519 key ignore the line, as the format requires.
public struct SM2NoteKey: Sendable, CustomStringConvertible {
    public let name: String
    public let key: SM2Key
    public let keyID: UInt32

    /// The signature type: the reserved byte and this profile's identifier.
    public static let signatureType: [UInt8] = [0xFF] + Array("sluice.sm2-sm3".utf8)

    /// A key for the log named `name` (the checkpoint's origin); private to sign.
    public init(name: String, key: SM2Key) throws(NoteError) {
        guard NoteVerifierKey.isValidName(name) else { throw .malformed("a key name must be non-empty and hold no spaces or '+'") }
        self.name = name
        self.key = key
        var hash = SHA256()
        hash.update(data: Data(name.utf8) + [0x0A] + Self.signatureType + key.publicPoint)
        keyID = hash.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The verifier key's text form, `name+keyid+base64(0xff ‖ identifier ‖ 04 ‖ x ‖ y)`.
    public var description: String {
        name + "+" + String(format: "%08x", keyID) + "+" + Data(Self.signatureType + key.publicPoint).base64EncodedString()
    }

    /// Parses the text form of ``description``, checking the key ID.
    public init(_ text: String) throws(NoteError) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).utf8
            .split(separator: UInt8(ascii: "+"), maxSplits: 2, omittingEmptySubsequences: false).map(Substring.init)
        let typeCount = Self.signatureType.count
        guard parts.count == 3, parts[1].count == 8, let id = UInt32(parts[1], radix: 16),
            let material = Data(base64Encoded: String(parts[2])), material.count == typeCount + 65,
            Array(material.prefix(typeCount)) == Self.signatureType,
            let key = try? SM2Key(publicPoint: Array(material.dropFirst(typeCount)))
        else { throw .malformed("not an SM2 note verifier key of the form name+keyid+base64(0xff‖sluice.sm2-sm3‖04‖x‖y)") }
        try self.init(name: String(parts[0]), key: key)
        guard keyID == id else { throw .malformed("the key ID does not match the name and key") }
    }

    /// The signature line for `text` (the note text, ending in a newline), with its newline.
    public func signatureLine(for text: String) throws -> String {
        let signature = try key.signature(for: Data(text.utf8))
        let id = withUnsafeBytes(of: keyID.bigEndian) { Data($0) }
        return SignedNote.dash + name + " " + (id + signature).base64EncodedString() + "\n"
    }

    /// Whether `note` carries a signature line by this key that verifies: nil when it
    /// carries none, false when one does not verify.
    public func verifiesCosignature(of note: String) -> Bool? {
        guard let (text, lines) = SignedNote.parts(of: note) else { return false }
        var found: Bool?
        for line in lines {
            guard let (lineName, blob) = SignedNote.signature(in: line), lineName == name, blob.count == 4 + 64,
                blob.prefix(4).reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == keyID
            else { continue }
            let valid = key.isValidSignature(Array(blob.dropFirst(4)), for: Data(text.utf8))
            found = (found ?? true) && valid
        }
        return found
    }
}
