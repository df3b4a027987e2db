import Foundation
import SluiceCore
import SluiceSampleData
import Testing

@testable import SluiceMasking

/// Properties checked on a generated corpus of realistic case notes and records, each
/// run from a fixed seed so a failure can be replayed.
@Suite struct CorpusPropertyTests {
    static let noteCount = 3000

    /// Recall and false positives per detector, strict mode. The generator writes
    /// values in the forms people use (full-width digits, +86, grouped cards, lower-case x)
    /// and look-alikes (case numbers, failed check characters, unallocated mobile blocks,
    /// 20-digit serials). A look-alike must never be reported as the kind it imitates;
    /// it may pass another kind's rules by chance (an ID number with a wrong check
    /// character passes Luhn one time in ten), and such cross-kind hits are counted.
    @Test func recallAndFalsePositivesPerDetector() {
        var fake = FakeData(seed: 20_261_129)
        let scanner = TextScanner()
        var planted: [DetectionKind: Int] = [:]
        var found: [DetectionKind: Int] = [:]
        var falsePositives: [DetectionKind: Int] = [:]
        var sameKindFalsePositives = 0
        var lookAlikes = 0
        for _ in 0..<Self.noteCount {
            let note = fake.caseNote()
            let bytes = Array(note.text.utf8)
            var expected = note.planted.map { ($0.kind, Array($0.written.utf8)) }
            lookAlikes += note.lookAlikes.count
            for detection in scanner.detections(in: note.text) {
                let text = Array(bytes[detection.range])
                if let index = expected.firstIndex(where: { $0.0 == detection.kind && $0.1 == text }) {
                    found[detection.kind, default: 0] += 1
                    expected.remove(at: index)
                } else {
                    falsePositives[detection.kind, default: 0] += 1
                    if note.lookAlikes.contains(where: { Array($0.text.utf8) == text && $0.imitates == detection.kind }) {
                        sameKindFalsePositives += 1
                    }
                }
            }
            for item in note.planted { planted[item.kind, default: 0] += 1 }
        }
        var report = ["kind            planted  found  recall  false+"]
        for kind in FakeData.numberKinds + [.address] {
            let recall = Double(found[kind] ?? 0) / Double(max(planted[kind] ?? 0, 1))
            report.append(
                kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + "\(planted[kind] ?? 0)".padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "\(found[kind] ?? 0)".padding(toLength: 7, withPad: " ", startingAt: 0)
                    + String(format: "%.4f  ", recall) + "\(falsePositives[kind] ?? 0)")
            #expect(recall >= 0.999, "recall of \(kind.rawValue)")
        }
        let crossKind = falsePositives.values.reduce(0, +)
        report.append(
            "look-alikes: \(lookAlikes), reported as the kind they imitate: \(sameKindFalsePositives), "
                + "matching another kind's rules by chance: \(crossKind)")
        print(report.joined(separator: "\n"))
        #expect(sameKindFalsePositives == 0)
        #expect(Double(crossKind) / Double(lookAlikes) < 0.03)
    }

    @Test func cautiousModeFlagsLookAlikesWithFailedCheckCharacters() {
        let scanner = TextScanner(cautious: true)
        var fake = FakeData(seed: 7)
        var flagged = 0
        for _ in 0..<500 {
            let lookAlike = fake.lookAlike()
            if !scanner.detections(in: "编号" + lookAlike.text + "。").isEmpty { flagged += 1 }
        }
        #expect(flagged > 0)
        #expect(TextScanner().detections(in: "110105194912310021").isEmpty)
        #expect(scanner.detections(in: "110105194912310021").map(\.kind) == [.residentID])
    }

    @Test func maskedTextNeverContainsAPlantedValue() {
        var fake = FakeData(seed: 99)
        let scanner = TextScanner()
        for _ in 0..<Self.noteCount {
            let note = fake.caseNote()
            var counts: [DetectionKind: Int] = [:]
            let masked = scanner.masked(note.text, counts: &counts)
            let normalizedMasked = WidthNormalization.normalized(masked)
            for item in note.planted {
                let canonical = WidthNormalization.normalized(item.written)
                let digits = canonical.filter(\.isASCIIDigit)
                // Booleans first: #expect on `contains` would print both texts on failure.
                let survived =
                    masked.contains(item.written)
                    || normalizedMasked.uppercased().contains(canonical.uppercased())
                    || (digits.count >= 11 && normalizedMasked.filter(\.isASCIIDigit).contains(digits))
                #expect(!survived, "a \(item.kind.rawValue) survived masking")
            }
        }
    }

    @Test func maskingTextIsIdempotent() {
        var fake = FakeData(seed: 5)
        let scanner = TextScanner()
        for _ in 0..<1000 {
            var counts: [DetectionKind: Int] = [:]
            let once = scanner.masked(fake.caseNote().text, counts: &counts)
            var again: [DetectionKind: Int] = [:]
            #expect(scanner.masked(once, counts: &again) == once)
            #expect(again.isEmpty)
        }
    }

    @Test func operatorsAreIdempotent() {
        var fake = FakeData(seed: 11)
        for _ in 0..<1000 {
            let name = fake.name()
            #expect(SurnameMask.apply(SurnameMask.apply(name)) == SurnameMask.apply(name))
            let address = fake.address()
            for level in MaskRule.AddressLevel.allCases {
                let once = AddressTruncation.truncate(address, to: level)
                #expect(once != nil)
                #expect(once.flatMap { AddressTruncation.truncate($0, to: level) } == once)
            }
            let phone = fake.mobile()
            let partial = PartialMask.apply(phone, keepFirst: 3, keepLast: 4)
            #expect(PartialMask.apply(partial, keepFirst: 3, keepLast: 4) == partial)
        }
    }

    @Test func pseudonymsAreStableUnderOneKeyAndUnlinkableAcrossAgreements() {
        var fake = FakeData(seed: 3)
        let psb = TestPseudonyms(agreementID: "psb-household-check")
        let psbAgain = TestPseudonyms(agreementID: "psb-household-check")
        let bank = TestPseudonyms(agreementID: "bank-account-asset-tracing")
        let otherGateway = TestPseudonyms(agreementID: "psb-household-check", secret: .init(bytes: [UInt8](repeating: 9, count: 32)))
        var seen = Set<String>()
        for _ in 0..<2000 {
            let id = fake.residentID()
            let pseudonym = psb.pseudonym(of: id)
            #expect(pseudonym.count == 24)
            #expect(pseudonym.allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
            #expect(psbAgain.pseudonym(of: id) == pseudonym)
            #expect(bank.pseudonym(of: id) != pseudonym)
            #expect(otherGateway.pseudonym(of: id) != pseudonym)
            seen.insert(pseudonym)
        }
        #expect(seen.count == 2000)
    }

    @Test func maskedRecordsHoldNoDirectIdentifier() throws {
        let agreement = try #require(
            AgreementCatalog.load(paths: [AgreementCatalogPaths.repositoryRoot + "/Agreements/psb-household-check.yaml"])
                .agreements.first?.agreement)
        var masker = RecordMasker(agreement: agreement, pseudonymizer: TestPseudonyms(), referenceDate: CalendarDate(iso8601: "2026-11-29")!)
        var fake = FakeData(seed: 42)
        for number in 1...1000 {
            let record = fake.householdRecord(number: number)
            let masked = masker.mask(Record(number: number, line: number, fields: record))
            let output = try #require(masked)
            var bytes: [UInt8] = []
            JSONWriter.append(output, to: &bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            guard case .string(let id) = record["id_number"], case .string(let name) = record["name"],
                case .string(let phone) = record["phone"]
            else {
                Issue.record("generator changed")
                return
            }
            // Booleans first, so a failure never prints a value. Free text is not searched
            // for names (only for numbers and addresses), so the name is checked in its field.
            let idSurvived = text.contains(id)
            let phoneSurvived = text.contains(MobileNumber.canonical(phone) ?? phone)
            let nameSurvived = output["name"] == .string(name)
            #expect(!idSurvived, "record \(number): ID number survived")
            #expect(!phoneSurvived, "record \(number): phone survived")
            #expect(!nameSurvived, "record \(number): full name survived")
        }
        #expect(masker.summary.recordsOut == 1000)
    }
}

enum AgreementCatalogPaths {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
