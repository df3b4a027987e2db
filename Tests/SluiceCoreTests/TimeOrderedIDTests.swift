import Foundation
import SluiceCore
import Testing

@Suite struct TimeOrderedIDTests {
    @Test func isAVersion7UUIDCarryingItsMillisecond() throws {
        let time = Date(timeIntervalSince1970: 1_764_374_400.123)  // 2025-11-29T00:00:00.123Z
        let id = TimeOrderedID.make(at: time)
        let parts = id.split(separator: "-").map(String.init)
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(parts[2].first == "7")
        #expect("89ab".contains(parts[3].first!))
        let milliseconds = try #require(UInt64(parts[0] + parts[1], radix: 16))
        #expect(milliseconds == 1_764_374_400_123)
        // Foundation reads it as a UUID and agrees on the version and variant bits.
        let uuid = try #require(UUID(uuidString: id))
        #expect(uuid.uuid.6 >> 4 == 7)
        #expect(uuid.uuid.8 >> 6 == 0b10)
    }

    @Test func laterIdentifiersSortAfterEarlierOnesAndNeverRepeat() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var previous = ""
        var seen = Set<String>()
        for step in 0..<2000 {
            let id = TimeOrderedID.make(at: Date(timeIntervalSince1970: Double(1_800_000_000_000 + step) / 1000))
            #expect(id > previous)
            previous = id
            seen.insert(id)
            seen.insert(TimeOrderedID.make(at: start))
        }
        #expect(seen.count == 4000)
    }
}

@Suite struct TimeOrderedIDFormTests {
    @Test func acceptsIdentifiersInEitherCaseAndNothingElse() {
        let made = TimeOrderedID.make()
        #expect(TimeOrderedID.hasIdentifierForm(made))
        #expect(TimeOrderedID.hasIdentifierForm(made.uppercased()))
        #expect(TimeOrderedID.hasIdentifierForm(UUID().uuidString))
        for text in [
            "", "11010519491231002X", "13812345678", String(made.dropLast()), made + "0",
            made.replacingOccurrences(of: "-", with: "_"), "g" + made.dropFirst(), String(made.prefix(35)) + "０",
            String(made.prefix(8)) + "0" + String(made.dropFirst(9)),
        ] {
            let accepted = TimeOrderedID.hasIdentifierForm(text)  // a Bool: a failure prints no text
            #expect(!accepted, "case of \(text.utf8.count) bytes")
        }
    }
}
