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

    /// A co-signed note and verifier key made by gmalg (pure Python, independent of the
    /// code here) from the scalar 07…07: the key ID rule and the signature agree.
    @Test func aNoteCoSignedByGmalgVerifies() throws {
        let note =
            "fuzz.example/audit\n1\ndziFphNIniTOLPdhmdakI/BC5LvxLX7s7pEu8nbGVwE=\n\n\u{2014} fuzz.example/audit /mRmNcdsTvyBIBYUQ1FsGApsBocofd3wysma06M77g9gT4Onx5chwdyR+sywO0C7FO1mvpWkDkKpZyFe/2NfidAMlgM=\n\u{2014} fuzz.example/audit lDjXJdvNqCg+1o+zVMvXlfnbodHv7MyuoncP77mKMMwHt4bpGabzMb/Lvu8x2uMl6xLaNIM9/NWSy6hKmn5adkljPm8=\n"
        let key = try SM2NoteKey(name: "fuzz.example/audit", key: try SM2Key(privateScalar: [UInt8](repeating: 7, count: 32)))
        #expect(key.verifiesCosignature(of: note) == true)
        #expect(
            key.description
                == "fuzz.example/audit+9438d725+/3NsdWljZS5zbTItc20zBN8H3AsxWR37Y+yJVRblu0rQWgnC/rptSWzlI/cwP//NSt0n3gkmLcWbr2kMAobwXimUhRfMHgabmI4TnAD0Scg="
        )
    }
}
