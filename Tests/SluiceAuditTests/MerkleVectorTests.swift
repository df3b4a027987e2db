import Foundation
import Testing

@testable import SluiceAudit

/// The transparency-dev/merkle test data in Vectors/merkle beside this file (Apache-2.0,
/// see its LICENSE and Vectors/README.md for the provenance): every inclusion and
/// consistency case, the ones that must be rejected too.
@Suite("RFC 9162 proofs: published vectors") struct MerkleVectorTests {
    static let vectors: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/merkle").path
    }()

    static func cases(_ kind: String) -> [String] {
        let root = vectors + "/" + kind
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted().map { kind + "/" + $0 }
    }

    static func load(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectors + "/" + relative))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func hash(_ value: Any?) -> MerkleHash? {
        (value as? String).flatMap { Data(base64Encoded: $0) }.flatMap { MerkleHash($0) }
    }

    static func proof(_ value: Any?) -> [MerkleHash]? {
        guard let items = value as? [String] else { return value is NSNull || value == nil ? [] : nil }
        let hashes = items.compactMap { hash($0) }
        return hashes.count == items.count ? hashes : nil
    }

    @Test func theVectorsArePresent() {
        #expect(Self.cases("inclusion").count >= 80)
        #expect(Self.cases("consistency").count >= 90)
    }

    @Test(arguments: cases("inclusion"))
    func inclusion(file: String) throws {
        let vector = try Self.load(file)
        let wantError = vector["wantErr"] as? Bool ?? false
        var failed = false
        if let leaf = Self.hash(vector["leafHash"]), let root = Self.hash(vector["root"]), let proof = Self.proof(vector["proof"]),
            let index = vector["leafIdx"] as? Int, let size = vector["treeSize"] as? Int, index >= 0, size >= 0
        {
            do {
                try ProofVerification.verifyInclusion(index: UInt64(index), size: UInt64(size), leaf: leaf, proof: proof, root: root)
            } catch { failed = true }
        } else {
            failed = true
        }
        #expect(failed == wantError, "\(file): \(vector["desc"] ?? "")")
    }

    /// Cases whose expectation Sluice deliberately does not share. This one accepts two
    /// equal 12-byte strings as roots of equal trees; Sluice's roots are typed 32-byte
    /// hashes (a checkpoint with another length is malformed), so it is refused here.
    static let deliberateDeviations: Set<String> = ["consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"]

    @Test(arguments: cases("consistency"))
    func consistency(file: String) throws {
        let vector = try Self.load(file)
        let wantError = (vector["wantErr"] as? Bool ?? false) != Self.deliberateDeviations.contains(file)
        var failed = false
        if let old = Self.hash(vector["root1"]), let new = Self.hash(vector["root2"]), let proof = Self.proof(vector["proof"]),
            let size1 = vector["size1"] as? Int, let size2 = vector["size2"] as? Int, size1 >= 0, size2 >= 0
        {
            do {
                try ProofVerification.verifyConsistency(oldSize: UInt64(size1), newSize: UInt64(size2), oldRoot: old, newRoot: new, proof: proof)
            } catch { failed = true }
        } else {
            failed = true
        }
        #expect(failed == wantError, "\(file): \(vector["desc"] ?? "")")
    }

    /// The RFC 6962 reference leaves; the vectors' trees of eight are built from them.
    static let referenceLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43], Array(0x50...0x57), Array(0x60...0x6f),
    ]

    @Test func generatedProofsMatchThePublishedOnes() throws {
        let tree = MerkleTree(leaves: Self.referenceLeaves.map { MerkleHash.leaf($0) })
        let inclusion = try Self.load("inclusion/1/happy-path.json")
        #expect(try tree.root() == Self.hash(inclusion["root"]))
        #expect(MerkleHash.leaf(Self.referenceLeaves[0]) == Self.hash(inclusion["leafHash"]))
        #expect(try tree.inclusionProof(index: 0) == Self.proof(inclusion["proof"]))
        let consistency = try Self.load("consistency/1/happy-path.json")
        #expect(try tree.consistencyProof(from: 1) == Self.proof(consistency["proof"]))
        #expect(MerkleHash.emptyTree.base64 == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }
}

@Suite("RFC 9162 proofs: generated and verified") struct MerkleGeneratedTests {
    static let leaves = (0..<70).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }

    @Test func everyInclusionProofUpTo70Verifies() throws {
        for size in 1...Self.leaves.count {
            let tree = MerkleTree(leaves: Array(Self.leaves.prefix(size)))
            let root = try tree.root()
            for index in 0..<size {
                let proof = try tree.inclusionProof(index: UInt64(index))
                try ProofVerification.verifyInclusion(index: UInt64(index), size: UInt64(size), leaf: Self.leaves[index], proof: proof, root: root)
                if size > 1 {
                    // The same proof for a neighbour's leaf must fail.
                    let other = Self.leaves[(index + 1) % size]
                    #expect(throws: ProofVerification.Failure.self) {
                        try ProofVerification.verifyInclusion(index: UInt64(index), size: UInt64(size), leaf: other, proof: proof, root: root)
                    }
                }
            }
        }
    }

    @Test func everyConsistencyProofUpTo70Verifies() throws {
        let roots = try (0...Self.leaves.count).map { try MerkleTree(leaves: Array(Self.leaves.prefix($0))).root() }
        for newSize in 1...Self.leaves.count {
            let tree = MerkleTree(leaves: Array(Self.leaves.prefix(newSize)))
            for oldSize in 1...newSize {
                let proof = try tree.consistencyProof(from: UInt64(oldSize))
                try ProofVerification.verifyConsistency(
                    oldSize: UInt64(oldSize), newSize: UInt64(newSize), oldRoot: roots[oldSize], newRoot: roots[newSize], proof: proof)
                if oldSize < newSize {
                    // A rewritten old tree (another root) is caught.
                    #expect(throws: ProofVerification.Failure.self) {
                        try ProofVerification.verifyConsistency(
                            oldSize: UInt64(oldSize), newSize: UInt64(newSize), oldRoot: roots[oldSize - 1], newRoot: roots[newSize], proof: proof)
                    }
                }
            }
        }
    }
}
