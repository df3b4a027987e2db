import SluiceSampleData
import Testing

@testable import SluiceMasking

/// The masked text becomes a `String` without being validated whole: these check that
/// what is taken unchecked is only ever well-formed UTF-8, and that anything else is
/// decoded with repair rather than kept.
@Suite struct MaskedTextWriterTests {
    /// Writes `pieces` (copied ranges of `original`, or masks) and returns the string.
    func written(_ original: [UInt8], _ pieces: [(range: Range<Int>?, mask: [UInt8])]) -> String {
        original.withUnsafeBufferPointer { original in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
                var out = MaskedTextWriter(buffer)
                for piece in pieces {
                    if let range = piece.range {
                        out.append(original, range: range)
                    } else {
                        out.beginMask()
                        piece.mask.withUnsafeBufferPointer { out.append($0) }
                        out.endMask()
                    }
                }
                return out.string()
            }
        }
    }

    @Test func wholePiecesAreKeptByteForByte() {
        let original = Array("当事人张三，电话13812345678。".utf8)
        let phone = original.firstIndex(of: 0x31)!
        let text = written(original, [(0..<phone, []), (nil, Array("138****5678".utf8)), (phone + 11..<original.count, [])])
        #expect(text == "当事人张三，电话138****5678。")
        #expect(String(validating: Array(text.utf8), as: UTF8.self) == text)
    }

    @Test func aCopyCutInsideACharacterIsRepairedNotKept() {
        let original = Array("张三".utf8)
        // One byte into 张: the copy starts with a continuation byte.
        let text = written(original, [(1..<original.count, [])])
        #expect(String(validating: Array(text.utf8), as: UTF8.self) != nil)
        #expect(text.unicodeScalars.first == "\u{FFFD}")
        // Ending inside 三.
        let cut = written(original, [(0..<4, [])])
        #expect(String(validating: Array(cut.utf8), as: UTF8.self) != nil)
        #expect(cut.hasPrefix("张"))
        #expect(cut.unicodeScalars.last == "\u{FFFD}")
    }

    @Test func aMaskThatIsNotUTF8IsRepairedNotKept() {
        let original = Array("ab".utf8)
        for mask: [UInt8] in [[0xFF], [0xE5, 0xBC], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]] {
            let text = written(original, [(0..<1, []), (nil, mask), (1..<2, [])])
            #expect(String(validating: Array(text.utf8), as: UTF8.self) != nil)
            #expect(text.unicodeScalars.contains("\u{FFFD}"))
        }
    }

    /// The writer's check of short pieces agrees with the standard library's validation,
    /// on every one- and two-byte sequence and on random longer ones.
    @Test func theCheckOfAMaskAgreesWithTheStandardLibrary() {
        func agrees(_ bytes: [UInt8]) -> Bool {
            let ours = bytes.withUnsafeBufferPointer { MaskedTextWriter.isValidUTF8($0) }
            return ours == (String(validating: bytes, as: UTF8.self) != nil)
        }
        var disagreements = 0
        for first in 0...255 {
            if !agrees([UInt8(first)]) { disagreements += 1 }
            for second in 0...255 where !agrees([UInt8(first), UInt8(second)]) { disagreements += 1 }
        }
        var generator = SeededGenerator(seed: 11)
        // Lead bytes and continuation bytes mostly, so that long sequences are often valid.
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE5, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<200_000 {
            let bytes = (0..<Int.random(in: 1...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            if !agrees(bytes) { disagreements += 1 }
        }
        #expect(disagreements == 0)
    }

    /// Texts made to strain the offsets: folded, dropped and four-byte characters next to
    /// and inside numbers, names and addresses. Every masked text is well-formed.
    @Test func maskedTextIsAlwaysWellFormed() {
        var generator = SeededGenerator(seed: 5)
        var fake = FakeData(seed: 5)
        let pieces = [
            "\u{200B}", "\u{0301}", "\u{FE0F}", "\u{202E}", "\u{00A0}", "\u{3000}", "１３８", "𝟏𝟑𝟖", "①", "٣", "😀", "𠀀", "，", "。",
            "当事人", "先生", "号", "室", "现住", "一三八一二三四五六七八", "-", " ", "*", "x",
        ]
        var malformed = 0
        for round in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: text += fake.residentID()
                case 1: text += fake.mobile()
                case 2: text += fake.name() + "，住" + fake.address()
                case 3:
                    var notes = FakeData(seed: UInt64(round))
                    text += notes.caseNote().text
                default: text += pieces.randomElement(using: &generator)!
                }
            }
            // Characters that vanish for detection, dropped between any two scalars.
            var strained = ""
            for scalar in text.unicodeScalars {
                strained.unicodeScalars.append(scalar)
                if Int.random(in: 0..<9, using: &generator) == 0 { strained += pieces[0..<6].randomElement(using: &generator)! }
            }
            var counts = DetectionCounts()
            let masked = TextScanner().masked(strained, counts: &counts)
            if String(validating: Array(masked.utf8), as: UTF8.self) == nil { malformed += 1 }
        }
        #expect(malformed == 0)
    }
}
