import Crypto
import Foundation

/// A private key that signs notes, in the text form C2SP signed notes use for keys
/// (`PRIVATE+KEY+<name>+<key id>+<base64 of 0x01 ‖ Ed25519 seed>`), so the same file
/// works with other tools of that ecosystem. The name is the log's origin.
public struct NoteSignerKey: Sendable {
    public let name: String
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(NoteError) {
        _ = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
        self.name = name
        self.privateKey = privateKey
    }

    /// A new random key for the log named `name`.
    public static func generate(name: String) throws(NoteError) -> NoteSignerKey {
        try NoteSignerKey(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    public init(_ text: String) throws(NoteError) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY",
            let blob = Data(base64Encoded: String(parts[4])), blob.count == 33, blob.first == 0x01,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: blob.dropFirst())
        else { throw .malformed("not a note signing key (PRIVATE+KEY+name+id+key)") }
        try self.init(name: String(parts[2]), privateKey: key)
        guard String(parts[3]) == String(format: "%08x", verifier.keyID) else { throw .malformed("not a note signing key (PRIVATE+KEY+name+id+key)") }
    }

    public var verifier: NoteVerifierKey {
        // The name was checked in init, so this cannot fail.
        try! NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
    }

    public var text: String {
        "PRIVATE+KEY+" + name + "+" + String(format: "%08x", verifier.keyID) + "+"
            + (Data([0x01]) + privateKey.rawRepresentation).base64EncodedString()
    }

    /// Signs `text` (which must end in a newline) as a signed note.
    public func sign(_ text: String) throws -> String {
        try SignedNote.sign(text, name: name, key: privateKey)
    }
}
