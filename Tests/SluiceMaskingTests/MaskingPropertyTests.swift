import PropertyBased
import SluiceSampleData
import Testing

@testable import SluiceMasking

/// Properties over generated inputs (x-sheep/swift-property-based): texts built from
/// random pieces — real personal values in the forms people write them, look-alike digit
/// runs, words, separators, full-width forms — and arbitrary strings for the operators.
/// A failure prints the seed that reproduces it; no input value is printed.
@Suite("Masking properties over generated inputs") struct MaskingPropertyTests {
    /// One piece of a generated text, chosen and filled by a seed.
    static func piece(_ seed: Int) -> String {
        var fake = FakeData(seed: UInt64(seed))
        switch seed % 14 {
        case 0: return fake.residentID()
        case 1: return fake.mobile()
        case 2: return "+86 " + fake.mobile()
        case 3: return fake.bankCard()
        case 4: return fake.creditCode()
        case 5: return fake.email()
        case 6: return fake.landline()
        case 7: return fake.vehiclePlate()
        case 8: return fake.passport()
        case 9: return Self.fullWidth(fake.residentID())
        case 10: return fake.lookAlike().text
        case 11: return String(seed % 1_000_000_007)
        case 12: return fake.name() + "，住" + fake.address()
        default: return ["，", "。", " ", "；电话：", "身份证号", "卡号", "、", "\n"][seed % 8]
        }
    }

    /// ASCII letters and digits as their full-width forms (U+FF01 onwards), as Chinese text often has them.
    static func fullWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
                }))
    }

    static let texts = Gen.int(in: 0...1_000_000).array(of: 1...16).map { seeds in
        seeds.map(MaskingPropertyTests.piece).joined(separator: seeds.count % 2 == 0 ? "" : " ")
    }

    @Test func maskedTextLeavesNothingDetectableAndMaskingAgainChangesNothing() async {
        let scanner = TextScanner()
        await propertyCheck(count: 300, input: Self.texts) { text in
            var counts: [DetectionKind: Int] = [:]
            let masked = scanner.masked(text, counts: &counts)
            let left = scanner.detections(in: masked)
            #expect(left.isEmpty, "masked text still holds \(left.count) detectable values (kinds: \(left.map(\.kind.rawValue)))")
            var again: [DetectionKind: Int] = [:]
            #expect(scanner.masked(masked, counts: &again) == masked)
            // Every value found is counted; a second round may find one the first set apart.
            #expect(counts.values.reduce(0, +) >= scanner.detections(in: text).count)
        }
    }

    @Test func noDetectedValueSurvivesInTheMaskedText() async {
        let scanner = TextScanner()
        await propertyCheck(count: 300, input: Self.texts) { text in
            var counts: [DetectionKind: Int] = [:]
            let masked = WidthNormalization.normalized(scanner.masked(text, counts: &counts)).uppercased()
            let normalizedText = WidthNormalization.normalized(text).uppercased()
            for detection in scanner.detections(in: text) {
                let value = WidthNormalization.normalized(String(decoding: Array(text.utf8)[detection.range], as: UTF8.self)).uppercased()
                // Only values long enough not to occur by chance in the words around them,
                // and written once: the same number again, glued to other digits, is not
                // that number there.
                guard value.count >= 8, normalizedText.components(separatedBy: value).count == 2 else { continue }
                #expect(!masked.contains(value), "a \(detection.kind.rawValue) survived masking")
            }
        }
    }

    @Test func pseudonymsAreStableUnderOneKeyAndDifferUnderAnother() async {
        let psb = TestPseudonyms(agreementID: "psb-household-check")
        let bank = TestPseudonyms(agreementID: "bank-account-asset-tracing")
        await propertyCheck(count: 500, input: Gen.letterOrNumber.string(of: 1...40), Gen.letterOrNumber.string(of: 1...40)) { a, b in
            #expect(psb.pseudonym(of: a) == TestPseudonyms(agreementID: "psb-household-check").pseudonym(of: a))
            #expect(psb.pseudonym(of: a) != bank.pseudonym(of: a))
            #expect((psb.pseudonym(of: a) == psb.pseudonym(of: b)) == (a == b))
        }
    }

    @Test func partialMasksKeepLengthAndAreIdempotent() async {
        await propertyCheck(count: 500, input: Gen.letterOrNumber.string(of: 0...30), Gen.int(in: 0...6), Gen.int(in: 0...6)) { text, first, last in
            let once = PartialMask.apply(text, keepFirst: first, keepLast: last)
            #expect(once.count == text.count)
            #expect(PartialMask.apply(once, keepFirst: first, keepLast: last) == once)
            let kept = PartialMask.kept(count: text.count, keepFirst: first, keepLast: last)
            #expect(once.prefix(kept.first) == text.prefix(kept.first))
            #expect(once.suffix(kept.last) == text.suffix(kept.last))
            #expect(once.dropFirst(kept.first).dropLast(kept.last).allSatisfy { $0 == "*" })
        }
    }

    @Test func surnameMaskingIsIdempotentAndKeepsTheLength() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000)) { seed in
            var fake = FakeData(seed: UInt64(seed))
            let name = fake.name()
            let once = SurnameMask.apply(name)
            #expect(SurnameMask.apply(once) == once)
            #expect(once.count == name.count)
            #expect(once != name || name.count == 1)
        }
    }

    /// The case the property above found: a plate glued to a Xi'an landline, which the
    /// landline's mask sets apart. Masked once more, nothing detectable is left.
    @Test func aNeighbourThatMaskingSetsApartIsMaskedToo() {
        let scanner = TextScanner()
        let text = "450103199906011312渝E52M0292440305X38K1M5H03450103199906011312"
        var counts: [DetectionKind: Int] = [:]
        let masked = scanner.masked(text, counts: &counts)
        #expect(scanner.detections(in: masked).isEmpty, "left: \(scanner.detections(in: masked).map(\.kind.rawValue))")
        #expect(counts[.vehiclePlate] == 1 && counts[.landline] == 1 && counts[.residentID] == 1, "\(counts)")
    }
}
