import Crypto
import Foundation

/// A C2SP signed note: text ending in a newline, a blank line, and signature lines
/// `— name base64(keyid‖signature)`.
public enum SignedNote {
    static let dash = "\u{2014} "

    /// Signs `text` (which must end in a newline) with an Ed25519 key under `name`.
    public static func sign(_ text: String, name: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        guard text.hasSuffix("\n") else { throw NoteError.malformed("note text must end with a newline") }
        let verifier = try NoteVerifierKey(name: name, publicKey: key.publicKey)
        let signature = try key.signature(for: Data(text.utf8))
        let keyID = withUnsafeBytes(of: verifier.keyID.bigEndian) { Data($0) }
        return text + "\n" + dash + name + " " + (keyID + signature).base64EncodedString() + "\n"
    }

    /// Signs `text` with several keys: one signature line each, in order. A checkpoint
    /// signed by the outgoing and the incoming key links the two at a key rotation.
    public static func sign(_ text: String, keys: [NoteSignerKey]) throws -> String {
        guard let first = keys.first else { throw NoteError.malformed("a note needs at least one signature") }
        var note = try sign(text, name: first.name, key: first.privateKey)
        for key in keys.dropFirst() {
            let single = try sign(text, name: key.name, key: key.privateKey)
            note += single[single.index(single.startIndex, offsetBy: text.count + 1)...]
        }
        return note
    }

    /// The note's text, if at least one signature by a key in `verifiers` verifies.
    /// Signatures by unknown keys are ignored, as the spec requires.
    public static func open(_ note: String, verifiers: [NoteVerifierKey]) throws(NoteError) -> (text: String, signedBy: [NoteVerifierKey]) {
        guard let split = note.range(of: "\n\n", options: .backwards) else { throw .malformed("no blank line before the signatures") }
        let text = String(note[..<split.lowerBound]) + "\n"
        let lines = note[split.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard note.hasSuffix("\n"), lines.count >= 2, lines.last == "" else { throw .malformed("the signatures must end with a newline") }
        var signedBy: [NoteVerifierKey] = []
        for line in lines.dropLast() {
            guard line.hasPrefix(dash) else { throw .malformed("a signature line must start with an em dash and a space") }
            let parts = line.dropFirst(dash.count).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let blob = Data(base64Encoded: String(parts[1])), blob.count >= 5 else {
                throw .malformed("a signature line must be: — name base64")
            }
            let keyID = blob.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            for verifier in verifiers where verifier.name == parts[0] && verifier.keyID == keyID {
                if verifier.publicKey.isValidSignature(blob.dropFirst(4), for: Data(text.utf8)) { signedBy.append(verifier) }
            }
        }
        guard !signedBy.isEmpty else { throw .unverified }
        return (text, signedBy)
    }
}
