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

    /// Signs `text` with several keys: one signature line each, in order, then the SM2
    /// co-signature when given. A checkpoint signed by the outgoing and the incoming key
    /// links the two at a key rotation.
    public static func sign(_ text: String, keys: [NoteSignerKey], cosigner: SM2NoteKey? = nil) throws -> String {
        guard let first = keys.first else { throw NoteError.malformed("a note needs at least one signature") }
        var note = try sign(text, name: first.name, key: first.privateKey)
        for key in keys.dropFirst() {
            let single = try sign(text, name: key.name, key: key.privateKey)
            note += single[single.index(single.startIndex, offsetBy: text.count + 1)...]
        }
        if let cosigner { note += try cosigner.signatureLine(for: text) }
        return note
    }

    /// The note's text (with its final newline) and its signature lines, if it has the
    /// shape of a signed note.
    static func parts(of note: String) -> (text: String, lines: [Substring])? {
        guard note.hasSuffix("\n"), let split = note.range(of: "\n\n", options: .backwards) else { return nil }
        let lines = note[split.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines.last == "" else { return nil }
        return (String(note[..<split.lowerBound]) + "\n", Array(lines.dropLast()))
    }

    /// A signature line's key name and decoded bytes (key ID, then signature).
    static func signature(in line: Substring) -> (name: Substring, blob: Data)? {
        guard line.hasPrefix(dash) else { return nil }
        let parts = line.dropFirst(dash.count).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let blob = Data(base64Encoded: String(parts[1])), blob.count >= 5 else { return nil }
        return (parts[0], blob)
    }

    /// The note's text, if at least one signature by a key in `verifiers` verifies.
    /// Signatures by unknown keys are ignored, as the spec requires.
    public static func open(_ note: String, verifiers: [NoteVerifierKey]) throws(NoteError) -> (text: String, signedBy: [NoteVerifierKey]) {
        guard note.range(of: "\n\n") != nil else { throw .malformed("no blank line before the signatures") }
        guard let (text, lines) = parts(of: note) else { throw .malformed("the signatures must end with a newline") }
        var signedBy: [NoteVerifierKey] = []
        for line in lines {
            guard let (name, blob) = signature(in: line) else {
                throw .malformed("a signature line must be: an em dash, a space, the key name, a space and base64")
            }
            let keyID = blob.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            for verifier in verifiers where verifier.name.utf8.elementsEqual(name.utf8) && verifier.keyID == keyID {
                if verifier.publicKey.isValidSignature(blob.dropFirst(4), for: Data(text.utf8)) { signedBy.append(verifier) }
            }
        }
        guard !signedBy.isEmpty else { throw .unverified }
        return (text, signedBy)
    }
}
