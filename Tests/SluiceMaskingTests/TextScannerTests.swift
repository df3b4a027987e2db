import SluiceSampleData
import Testing

@testable import SluiceMasking

@Suite struct TextScannerTests {
    let scanner = TextScanner()

    func kinds(_ text: String, cautious: Bool = false) -> [DetectionKind] {
        TextScanner(cautious: cautious).detections(in: text).map(\.kind)
    }

    func masked(_ text: String) -> String {
        var counts: [DetectionKind: Int] = [:]
        return scanner.masked(text, counts: &counts)
    }

    @Test func findsEachKindInChineseText() {
        let text =
            "张三身份证11010519491231002X，手机13812345678，卡号4111111111111111，邮箱li.wei@163.com，"
            + "电话010-62345678，护照E12345678，车牌浙A12345，信用代码91350100M000100Y43。"
        #expect(kinds(text) == [.residentID, .mobile, .bankCard, .email, .landline, .passport, .vehiclePlate, .creditCode])
    }

    @Test func numbersInsideLongerNumbersAreNotData() {
        // A 20-digit case number contains an 18-digit run that would pass as an ID.
        #expect(kinds("案号2011010519491231002X99") == [])
        #expect(kinds("流水号913812345678") == [])
        #expect(!kinds("13812345678901").contains(.mobile))
    }

    @Test func failedCheckCharactersAreNotReportedUnlessCautious() {
        let wrongCheck = "身份证110105194912310021，卡号4111111111111112"
        #expect(kinds(wrongCheck) == [])
        #expect(kinds(wrongCheck, cautious: true) == [.residentID, .bankCard])
    }

    @Test func leftmostLongestWithoutOverlap() {
        // A phone number used as an e-mail's local part is one e-mail address.
        #expect(kinds("13812345678@qq.com") == [.email])
        #expect(masked("13812345678@qq.com") == "1***@qq.com")
    }

    @Test func fullWidthMatchesMapBackToTheOriginalText() {
        let text = "电话：１３８１２３４５６７８。"
        let detections = scanner.detections(in: text)
        #expect(detections.count == 1)
        let range = detections[0].range
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[range], as: UTF8.self) == "１３８１２３４５６７８")
        #expect(masked(text) == "电话：138****5678。")
    }

    @Test func defaultMasks() {
        #expect(masked("11010519491231002X") == "1****************X")
        #expect(masked("4111 1111 1111 1111") == "************1111")
        #expect(masked("+86 138-1234-5678") == "138****5678")
        #expect(masked("(010) 62345678") == "010-******78")
        #expect(masked("li.wei@163.com") == "l***@163.com")
        #expect(masked("浙A12345") == "浙A*****")
        #expect(masked("E12345678") == "E******78")
        #expect(masked("91350100M000100Y43") == "91**************43")
        #expect(masked("11010519491231002x") == "1****************X")
        #expect(masked("008613812345678") == "138****5678")
        #expect(masked("0571-88886666") == "0571-******66")
        #expect(masked("6222 0212 3456 7890 128") == "***************0128")
    }

    @Test func kindPositionsFollowAllCases() {
        for (index, kind) in DetectionKind.allCases.enumerated() { #expect(kind.position == index, "\(kind)") }
    }

    @Test func countsPerKind() {
        var counts: [DetectionKind: Int] = [:]
        _ = scanner.masked("13812345678 和 13912345678，E12345678", counts: &counts)
        #expect(counts == [.mobile: 2, .passport: 1])
        var byKind = DetectionCounts()
        _ = scanner.masked("13812345678 和 13912345678，E12345678", counts: &byKind)
        _ = scanner.masked("E12345678", counts: &byKind)
        #expect(byKind[.mobile] == 2 && byKind[.passport] == 2 && byKind[.email] == 0 && byKind.total == 4)
        byKind.add(to: &counts)
        #expect(counts == [.mobile: 4, .passport: 3])
    }

    /// Scanning leaves full-width punctuation that no detector reads unfolded (so most
    /// Chinese notes are not copied): what it finds must be exactly what it finds in the
    /// fully folded text, for notes whose characters are widened at random and strewn with
    /// every full-width form, read by detectors or not.
    @Test func leavingInertPunctuationUnfoldedFindsTheSame() {
        var fake = FakeData(seed: 20_261_129)
        var generator = SeededGenerator(seed: 7)
        let everyForm = (0xFF01...0xFF5E).map { String(Unicode.Scalar($0)!) } + ["\u{3000}"]
        func widened(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                if Int.random(in: 0..<8, using: &generator) == 0 { out += everyForm.randomElement(using: &generator)! }
                let value = scalar.value
                if (0x21...0x7E).contains(value), Int.random(in: 0..<3, using: &generator) == 0 {
                    out.unicodeScalars.append(Unicode.Scalar(value + 0xFEE0)!)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        func found(_ text: String) -> [String] {
            let bytes = Array(text.utf8)
            return scanner.detections(in: text).map {
                "\($0.kind.rawValue):" + WidthNormalization.normalized(String(decoding: bytes[$0.range], as: UTF8.self))
            }
        }
        for round in 0..<400 {
            let note = fake.caseNote().text
            let text = round.isMultiple(of: 2) ? widened(note) : note
            let folded = WidthNormalization.normalized(text)
            // Compared into Bools: a failure names the note, never its (fake) values.
            let sameDetections = found(text) == found(folded)
            let sameMasks = WidthNormalization.normalized(masked(text)) == masked(folded)
            #expect(sameDetections, "note \(round)")
            #expect(sameMasks, "note \(round)")
        }
    }

    /// The masked text is built from slices of the original and the masks; it must be
    /// exactly the original's bytes with each detection's bytes replaced by its mask,
    /// also where a match ends inside a grapheme (a combining mark after the last digit)
    /// and where the text starts or ends with a match.
    @Test func maskedTextIsTheOriginalWithEachDetectionReplaced() {
        func expected(_ text: String) -> [UInt8] {
            let bytes = Array(text.utf8)
            var out: [UInt8] = []
            var copied = 0
            for detection in scanner.detections(in: text) {
                out += bytes[copied..<detection.range.lowerBound]
                // The mask is made from the match as detection reads it: folded, and without
                // the invisible characters inside it.
                let matched = WidthNormalization.normalized(String(decoding: bytes[detection.range], as: UTF8.self))
                if detection.kind == .address {
                    // An address is cut to its administrative parts: what masking the
                    // address alone keeps.
                    var counts: [DetectionKind: Int] = [:]
                    out += Array(scanner.masked(matched, counts: &counts).utf8)
                    copied = detection.range.upperBound
                    continue
                }
                let normalized = Array(String(String.UnicodeScalarView(matched.unicodeScalars.filter { !Self.invisibles.contains($0) })).utf8)
                let mask = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: MaskedTextWriter.capacity(forMasking: normalized.count)) {
                    var writer = MaskedTextWriter($0)
                    normalized.withUnsafeBufferPointer { DefaultMask.append(detection.kind, $0, to: &writer) }
                    return Array(writer.written)
                }
                out += mask
                copied = detection.range.upperBound
            }
            return out + bytes[copied...]
        }
        var fake = FakeData(seed: 20_261_130)
        let edges = [
            "13812345678\u{0301}和13912345678", "浙A12345在路口", "车牌：浙A12345", "e\u{0301}浙A12345", "１３８１２３４５６７８",
            "13812345678 13912345678", "👍13812345678👍", "号码13812345678", "1381234567813812345678",
        ]
        // Notes with invisible characters after some of their digits.
        var generator = SeededGenerator(seed: 7)
        let sprinkled = (0..<100).map { _ in
            String(
                String.UnicodeScalarView(
                    fake.caseNote().text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
                        guard ("0"..."9").contains(scalar), Int.random(in: 0..<4, using: &generator) == 0 else { return [scalar] }
                        return [scalar, Self.invisibles.randomElement(using: &generator)!]
                    }))
        }
        let invisibleEdges = [
            "\u{200B}13812345678\u{200B}", "1\u{00AD}3812345678", "１\u{FEFF}３８１２３４５６７８", "浙\u{200D}A12345", "\u{00AD}",
        ]
        for (number, text) in (edges + invisibleEdges + sprinkled + (0..<300).map { _ in fake.caseNote().text }).enumerated() {
            // Compared into a Bool: a failure names the text's number, never its (fake) values.
            let same = Array(masked(text).utf8) == expected(text)
            #expect(same, "text \(number)")
        }
    }

    static let invisibles: Set<Unicode.Scalar> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}"]

    /// Text copied from web pages and word processors carries invisible characters
    /// between digits. A number with them in it is still the number: found, masked as
    /// itself, the invisible characters inside it gone with it, wherever it falls.
    @Test func invisibleCharactersInsideANumberDoNotHideIt() {
        let invisibles = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}"]
        let values: [(digits: String, kind: DetectionKind, mask: String)] = [
            ("13812345678", .mobile, "138****5678"), ("11010519491231002X", .residentID, "1****************X"),
            ("4111111111111111", .bankCard, "************1111"),
        ]
        for invisible in invisibles {
            for value in values {
                for every in [1, 3, 4] {
                    var written = ""
                    for (index, character) in value.digits.enumerated() {
                        if index > 0, index % every == 0 { written += invisible }
                        written.append(character)
                    }
                    for (pad, tail) in [(0, "。"), (1, ""), (2, "中中中中中中中中"), (5, "。"), (11, ""), (17, "中中中中中中中中")] {
                        let lead = "联系" + String(repeating: "中", count: pad)
                        let text = lead + written + tail
                        // Compared into Bools: a failure names the case, never the (fake) value.
                        let found = scanner.detections(in: text).map(\.kind) == [value.kind]
                        let maskedAsItself = masked(text) == lead + value.mask + tail
                        let code = String(invisible.unicodeScalars.first!.value, radix: 16)
                        let name = "U+\(code) every \(every), \(value.kind), pad \(pad)"
                        #expect(found, "\(name)")
                        #expect(maskedAsItself, "\(name)")
                    }
                }
            }
        }
    }

    /// Invisible characters that are not inside a match stay where they were: joiners in
    /// emoji, soft hyphens in words, a zero-width space between two words.
    @Test func invisibleCharactersOutsideMatchesAreKept() {
        for text in ["a\u{200B}b", "👨\u{200D}👩\u{200D}👧", "中\u{00AD}文", "\u{FEFF}开头", "结尾\u{2060}", "\u{00AD}"] {
            let unchanged = masked(text) == text && scanner.detections(in: text).isEmpty
            #expect(unchanged, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Next to a number, outside it: the number is masked and they stay.
        #expect(masked("\u{200B}13812345678\u{200B}") == "\u{200B}138****5678\u{200B}")
    }

    /// The scanner skips Chinese text eight bytes at a time and the folding pass sixteen:
    /// a plate or a full-width number must be found, and masked alike, wherever it falls
    /// against those blocks, also at the very end of the text.
    @Test func findsTheSameAtEveryOffsetOfTheSkippedBlocks() {
        let values: [(text: String, kind: DetectionKind, mask: String)] = [
            ("浙A12345", .vehiclePlate, "浙A*****"), ("１３８１２３４５６７８", .mobile, "138****5678"),
            ("粤Ｂ１２３４５", .vehiclePlate, "粤B*****"),
        ]
        for pad in ["中", "，", "。", "中，", "a "] {
            for repeats in 0..<20 {
                let lead = String(repeating: pad, count: repeats)
                for value in values {
                    for tail in ["", "。", "中中中中中中中中"] {
                        let found = scanner.detections(in: lead + value.text + tail)
                        let offset = lead.utf8.count
                        #expect(found.map(\.kind) == [value.kind], "pad \(repeats)×, tail \(tail.utf8.count) bytes")
                        #expect(found.first?.range == offset..<(offset + value.text.utf8.count), "pad \(repeats)×")
                        let sameMask = masked(lead + value.text + tail) == lead + value.mask + tail
                        #expect(sameMask, "pad \(repeats)×, tail \(tail.utf8.count) bytes")
                    }
                }
                // No more than each value's own full-width text after a run of Chinese.
                #expect(scanner.detections(in: lead + "Ａ１２３４５").isEmpty, "pad \(repeats)×")
            }
        }
    }

    /// A masked text may be longer than the original: e-mail masks add stars, landline
    /// masks a hyphen. Texts made only of the shortest such values must still fit the
    /// bound the masked text is written into.
    @Test func masksThatGrowTheTextStayWithinTheirBound() {
        for (value, mask) in [("a@b.cn", "a***@b.cn"), ("01062345678", "010-******78")] {
            for count in 1...40 {
                let text = Array(repeating: value, count: count).joined(separator: " ")
                var counts = DetectionCounts()
                let result = scanner.masked(text, counts: &counts)
                // Compared into Bools: a failure names the count, never the (fake) values.
                let expected = result == Array(repeating: mask, count: count).joined(separator: " ")
                #expect(expected, "\(count) × \(mask.count)-character mask")
                #expect(result.utf8.count <= MaskedTextWriter.capacity(forMasking: text.utf8.count))
                #expect(counts.total == count)
            }
        }
    }

    @Test func textWithoutDataIsReturnedUnchanged() {
        let text = "2024年3月15日到案，涉案金额12,345.67元，案号(2025)浙0106刑初123号。"
        #expect(masked(text) == text)
    }
}
