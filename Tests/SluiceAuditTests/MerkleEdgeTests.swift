import Foundation
import SluiceAudit
import Testing

/// The edge every store appends through: what it reports must be the tree's own
/// subtrees, whether it starts from an empty log or resumes one it has to read from.
@Suite("Merkle edge") struct MerkleEdgeTests {
    static let leaves = (0..<300).map { MerkleHash.leaf(Data("entry \($0)".utf8)) }

    /// The complete subtree of 2^`level` leaves starting at leaf `index × 2^level`.
    static func subtree(level: Int, index: UInt64) -> MerkleHash {
        guard level > 0 else { return leaves[Int(index)] }
        return .node(subtree(level: level - 1, index: 2 * index), subtree(level: level - 1, index: 2 * index + 1))
    }

    @Test func fromEmptyItClosesTheSubtreesTheAccumulatorDoes() {
        var edge = MerkleEdge(size: 0)
        var accumulator = MerkleAccumulator()
        for leaf in Self.leaves {
            var fromEdge: [String] = []
            var fromAccumulator: [String] = []
            edge.append(
                leaf,
                stored: { level, index in
                    Issue.record("read \(level)/\(index) from an empty log")
                    return .emptyTree
                },
                completed: { fromEdge.append("\($0) \($1)") })
            accumulator.append(leaf) { fromAccumulator.append("\($0) \($1)") }
            #expect(fromEdge == fromAccumulator)
        }
        #expect(edge.size == 300)
    }

    @Test(arguments: [1, 2, 3, 16, 17, 31, 32, 100, 255, 256] as [UInt64])
    func resumedItReadsOnlyWhatItNeedsAndClosesTheRightSubtrees(_ start: UInt64) throws {
        var edge = MerkleEdge(size: start)
        var reads: [String] = []
        for sequence in start..<UInt64(Self.leaves.count) {
            var closed: [(Int, MerkleHash)] = []
            edge.append(
                Self.leaves[Int(sequence)],
                stored: { level, index in
                    reads.append("\(level)/\(index)")
                    return Self.subtree(level: level, index: index)
                },
                completed: { closed.append(($0, $1)) })
            // Each subtree the leaf closes ends at it.
            for (level, hash) in closed {
                let first = sequence + 1 - (1 << UInt64(level))
                #expect(hash == Self.subtree(level: level, index: first >> UInt64(level)), "leaf \(sequence) level \(level)")
            }
            #expect(closed.count == sequence.trailingOneBits)
        }
        // Only the subtrees on the edge at the start are read, each once, and all those
        // the leaves appended join (with 300 leaves, all but the 256 of a start at 256).
        let edgeSubtrees = Set((0..<64).filter { start >> UInt64($0) & 1 == 1 }.map { "\($0)/\((start >> UInt64($0)) - 1)" })
        #expect(Set(reads).isSubset(of: edgeSubtrees))
        #expect(Set(reads).count == reads.count)
        #expect(reads.count == (start == 256 ? 0 : start.nonzeroBitCount))
    }
}

extension UInt64 {
    fileprivate var trailingOneBits: Int { (~self).trailingZeroBitCount }
}
