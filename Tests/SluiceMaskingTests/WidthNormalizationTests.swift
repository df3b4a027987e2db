import SluiceSampleData
import Testing

@testable import SluiceMasking

/// Folding a whole text takes shortcuts (blocks of bytes passed at once, a run of
/// full-width forms folded without a search for each): it must give what folding each
/// character alone gives, and map every offset back to where its character was.
@Suite struct WidthNormalizationTests {
    static let palette = [
        "１", "９", "Ａ", "ｚ", "－", "（", "）", "＠", "，", "：", "。", "、", "\u{3000}", "\u{FEFF}", "\u{FE0F}", "\u{200B}", "\u{0301}",
        "\u{00A0}", "\u{2014}", "𝟏", "٣", "①", "张", "号", "1", "a", " ", "-", "😀", "𠀀", "\u{FF5E}", "\u{FF5F}", "\u{FFE5}",
    ]

    /// One character's fold on its own: its folded bytes and whether it was dropped.
    func alone(_ character: Unicode.Scalar, forDetection: Bool) -> [UInt8] {
        let bytes = Array(String(character).utf8)
        return bytes.withUnsafeBufferPointer { WidthNormalization.fold($0, forDetection: forDetection)?.bytes ?? bytes }
    }

    @Test(arguments: [false, true]) func foldingATextIsFoldingEachCharacter(forDetection: Bool) {
        var generator = SeededGenerator(seed: forDetection ? 3 : 4)
        var differing = 0
        var misplaced = 0
        for _ in 0..<4_000 {
            // Runs of the same kind of character, as numbers in full-width forms come.
            var text = ""
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                let piece = Self.palette.randomElement(using: &generator)!
                text += String(repeating: piece, count: Int.random(in: 1...5, using: &generator))
            }
            let bytes = Array(text.utf8)
            var expected: [UInt8] = []
            var starts: [(original: Int, folded: Int)] = []
            var original = 0
            for scalar in text.unicodeScalars {
                let folded = alone(scalar, forDetection: forDetection)
                if !folded.isEmpty { starts.append((original, expected.count)) }
                expected += folded
                original += String(scalar).utf8.count
            }
            let folded = bytes.withUnsafeBufferPointer { WidthNormalization.fold($0, forDetection: forDetection) }
            if (folded?.bytes ?? bytes) != expected { differing += 1 }
            if let folded {
                for start in starts where folded.originalOffset(start.folded) != start.original { misplaced += 1 }
            }
        }
        #expect(differing == 0)
        #expect(misplaced == 0)
    }
}
