import SluiceCore
import Testing

@Suite("Eight bytes at a time") struct ByteWordTests {
    /// Every byte value at every place in a word, next to every other byte value at the
    /// places before it: the marks are exactly the equal bytes, and the first mark is the
    /// first equal byte in memory order (the carry of the plain trick would mark a 0x01
    /// after a match).
    @Test func marksExactlyTheEqualBytes() {
        for target in [UInt8(0x00), 0x01, 0x22, 0x5C, 0x80, 0xE3, 0xEF, 0xFF] {
            for place in 0..<8 {
                for other in UInt8.min...UInt8.max where other != target {
                    var bytes = [UInt8](repeating: other, count: 8)
                    bytes[place] = target
                    if place < 7 { bytes[place + 1] = target &+ 1 }
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    let marks = ByteWord.matches(word, target)
                    let expected = bytes.indices.filter { bytes[$0] == target }
                    let marked = (0..<8).filter { marks & (0x80 << UInt64($0 * 8)) != 0 }
                    #expect(marked == expected, "target \(target), place \(place), other \(other)")
                    #expect(marks & ~0x8080_8080_8080_8080 == 0)
                    #expect(ByteWord.firstMarked(marks) == expected.first)
                }
            }
        }
        #expect(ByteWord.matches(0x4141_4141_4141_4141, 0x42) == 0)
    }

    /// Every byte value at every place, beside every other: marked exactly when below the
    /// limit, whatever the neighbours (no carry reaches the next byte).
    @Test func marksExactlyTheBytesBelowALimit() {
        for limit in [UInt8(0x00), 0x01, 0x20, 0x30, 0x7F, 0x80] {
            for place in 0..<8 {
                for value in UInt8.min...UInt8.max {
                    for neighbour in [UInt8(0x00), 0x1F, 0x20, 0x7F, 0x80, 0xFF] {
                        var bytes = [UInt8](repeating: neighbour, count: 8)
                        bytes[place] = value
                        let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                        let marks = ByteWord.below(word, limit)
                        let expected = bytes.indices.filter { bytes[$0] < limit }
                        let marked = (0..<8).filter { marks & (0x80 << UInt64($0 * 8)) != 0 }
                        #expect(marked == expected, "limit \(limit), place \(place), value \(value), neighbour \(neighbour)")
                        #expect(marks & ~0x8080_8080_8080_8080 == 0)
                    }
                }
            }
        }
    }
}
