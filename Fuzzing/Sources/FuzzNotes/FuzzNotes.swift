import CFuzzerDriver
import Crypto
import Foundation
import SluiceAudit
import SluiceCrypto

/// What a partner hands an auditor and the CLI checks: signed notes, checkpoints, note
/// keys, and inclusion and consistency proofs whose sizes, indices and hashes come from
/// the input, and the SM2 co-signature lines and keys of the GM profile. Refusals are typed
/// errors; anything else is a finding.
private let signer: NoteSignerKey = {
    do {
        return try NoteSignerKey(
            name: "fuzz.example/audit", privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 7, count: 32)))
    } catch { fatalError("the fuzz key does not load") }
}()

private let cosigner: SM2NoteKey = {
    do {
        return try SM2NoteKey(name: "fuzz.example/audit", key: try SM2Key(privateScalar: [UInt8](repeating: 7, count: 32)))
    } catch { fatalError("the SM2 fuzz key does not load") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let opened = try? SignedNote.open(text, verifiers: [signer.verifier]) { _ = try? Checkpoint(text: opened.text) }
    _ = try? Checkpoint(text: text)
    _ = try? NoteVerifierKey(text)
    _ = try? NoteSignerKey(text)
    _ = cosigner.verifiesCosignature(of: text)
    _ = try? SM2NoteKey(text)
    // Proofs: two sizes, an index and as many 32-byte hashes as the rest holds.
    guard bytes.count >= 24 else { return 0 }
    func number(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) } % 100_000 }
    let (first, second, index) = (number(0), number(8), number(16))
    var hashes: [MerkleHash] = []
    var at = 24
    while at + 32 <= bytes.count, hashes.count < 64 {
        if let hash = MerkleHash(bytes[at..<at + 32]) { hashes.append(hash) }
        at += 32
    }
    guard let root = hashes.first else { return 0 }
    let proof = Array(hashes.dropFirst())
    _ = try? ProofVerification.verifyInclusion(index: index, size: first, leaf: root, proof: proof, root: root)
    _ = try? ProofVerification.verifyConsistency(oldSize: first, newSize: second, oldRoot: root, newRoot: proof.first ?? root, proof: proof)
    return 0
}

/// The executable's entry point, named as SwiftPM links it: libFuzzer's driver.
@_cdecl("FuzzNotes_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    sluice_fuzz_main(argc, argv, { data, size in fuzzNotes(data!, size) })
}
