import Crypto
import Foundation
import Testing

@testable import SluiceAudit

@Suite("C2SP signed notes and checkpoints") struct SignedNoteTests {
    /// The example of c2sp.org/signed-note: its verifier key, text and signature line.
    static let specKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let specNote =
        "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"

    @Test func theSpecExampleVerifies() throws {
        let key = try NoteVerifierKey(Self.specKey)
        #expect(key.keyID == 0x530d_903a)
        #expect(key.description == Self.specKey)
        let opened = try SignedNote.open(Self.specNote, verifiers: [key])
        #expect(opened.text == "This is an example message.\n")
        #expect(opened.signedBy == [key])
    }

    @Test func alteredNotesAndUnknownKeysAreRefused() throws {
        let key = try NoteVerifierKey(Self.specKey)
        let altered = Self.specNote.replacingOccurrences(of: "example message", with: "example massage")
        #expect(throws: NoteError.unverified) { try SignedNote.open(altered, verifiers: [key]) }
        let stranger = try NoteVerifierKey(name: "example.com/foo", publicKey: Curve25519.Signing.PrivateKey().publicKey)
        #expect(throws: NoteError.unverified) { try SignedNote.open(Self.specNote, verifiers: [stranger]) }
        #expect(throws: NoteError.self) { try NoteVerifierKey("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k") }
    }

    /// The format splits on bytes: a "+" or space hidden in a Character with a combining
    /// mark still counts, and names differ when their bytes do.
    @Test func keyNamesAreCheckedByTheirScalars() throws {
        let key = Curve25519.Signing.PrivateKey().publicKey
        for name in ["a+\u{301}b", "a \u{301}b", "a\u{2003}b", "+", ""] {
            #expect(throws: NoteError.self, "\(name.unicodeScalars.map { String($0.value, radix: 16) })") {
                try NoteVerifierKey(name: name, publicKey: key)
            }
        }
        let composed = try NoteVerifierKey(name: "caf\u{E9}", publicKey: key)
        let decomposed = try NoteVerifierKey(name: "cafe\u{301}", publicKey: key)
        #expect(composed != decomposed)
        #expect(composed.keyID != decomposed.keyID)
        #expect(try NoteVerifierKey(decomposed.description) == decomposed)
        // A textual form whose name holds "+" and a combining mark splits there, and then
        // its key ID cannot parse.
        let hidden = "a+\u{301}" + composed.description.drop(while: { $0 != "+" })
        #expect(throws: NoteError.self) { try NoteVerifierKey(hidden) }
    }

    @Test func checkpointsRoundTripThroughSignedNotes() throws {
        let signer = Curve25519.Signing.PrivateKey()
        let leaves = (0..<5).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }
        let checkpoint = Checkpoint(origin: "sluice.example/audit", size: 5, root: try MerkleTree(leaves: leaves).root())
        #expect(checkpoint.text.split(separator: "\n").count == 3)
        let note = try SignedNote.sign(checkpoint.text, name: "sluice.example/audit", key: signer)
        let verifier = try NoteVerifierKey(name: "sluice.example/audit", publicKey: signer.publicKey)
        let opened = try SignedNote.open(note, verifiers: [verifier])
        #expect(try Checkpoint(text: opened.text) == checkpoint)
        #expect(throws: NoteError.self) { try Checkpoint(text: "origin\n5\nnot-base64\n") }
        #expect(throws: NoteError.self) { try Checkpoint(text: "origin\n05\n\(checkpoint.root.base64)\n") }
    }
}
