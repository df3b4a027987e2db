import Foundation
import SluiceAudit
import SluiceCrypto
import Testing

/// The SM2 co-signature of checkpoints: one more signature line that Ed25519 verifiers
/// ignore, that verifies only over the exact note text and with its own key.
@Suite struct SM2NoteKeyTests {
    let name = "sluice.test/audit"
    let text = "sluice.test/audit\n42\nq8fQ3Z2bV3VnR0x6m3x4cXl6eHl6eHl6eHl6eHl6eHo=\n"

    @Test func aCoSignedNoteStillOpensWithTheEd25519KeyAloneAndItsSM2LineVerifies() throws {
        let ed25519 = try NoteSignerKey.generate(name: name)
        let sm2 = try SM2NoteKey(name: name, key: try SM2Key.generate())
        let note = try SignedNote.sign(text, keys: [ed25519], cosigner: sm2)
        #expect(note.components(separatedBy: "\u{2014} ").count == 3)
        #expect(try SignedNote.open(note, verifiers: [ed25519.verifier]).text == text)
        #expect(sm2.verifiesCosignature(of: note) == true)
        // The public half, from its text form, verifies too.
        let published = try SM2NoteKey(sm2.description)
        #expect(published.keyID == sm2.keyID && published.verifiesCosignature(of: note) == true)
        // Another SM2 key finds no line of its own; a note without the line has none either.
        #expect(try SM2NoteKey(name: name, key: try SM2Key.generate()).verifiesCosignature(of: note) == nil)
        #expect(sm2.verifiesCosignature(of: try SignedNote.sign(text, keys: [ed25519])) == nil)
    }

    @Test func aCoSignatureOverOtherTextDoesNotVerify() throws {
        let ed25519 = try NoteSignerKey.generate(name: name)
        let sm2 = try SM2NoteKey(name: name, key: try SM2Key.generate())
        let note = try SignedNote.sign(text, keys: [ed25519], cosigner: sm2)
        let moved = note.replacingOccurrences(of: "\n42\n", with: "\n43\n")
        #expect(sm2.verifiesCosignature(of: moved) == false)
        // The SM2 line copied under another checkpoint's text: refused as well.
        let other = try SignedNote.sign(text.replacingOccurrences(of: "\n42\n", with: "\n44\n"), keys: [ed25519])
        let sm2Line = String(note.split(separator: "\n").last!) + "\n"
        #expect(sm2.verifiesCosignature(of: other + sm2Line) == false)
    }

    @Test(arguments: [
        "", "sluice.test/audit+00000000+", "sluice.test/audit+zzzzzzzz+AAAA",
        "sluice.test/audit+00000000+" + Data([0x01] + [UInt8](repeating: 7, count: 32)).base64EncodedString(),
    ])
    func malformedVerifierKeysAreRefused(text: String) {
        #expect(throws: NoteError.self) { try SM2NoteKey(text) }
    }

    @Test func aVerifierKeyWithAnotherKeyIDIsRefused() throws {
        let key = try SM2NoteKey(name: name, key: try SM2Key.generate())
        let parts = key.description.split(separator: "+", maxSplits: 2).map(String.init)
        let altered = parts[0] + "+" + String(format: "%08x", key.keyID ^ 1) + "+" + parts[2]
        #expect(throws: NoteError.self) { try SM2NoteKey(altered) }
    }
}
