import Foundation
import SluiceCore
import Testing

@Suite("JSON string writing") struct JSONWriterTests {
    /// The escaping RFC 8259 asks for, one byte at a time: what the writer must equal.
    static func reference(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    static func written(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendString(text, to: &out)
        return out
    }

    /// Each byte that needs escaping, and its neighbours that do not, at every offset of
    /// strings from empty to past two words, so every path (whole words, the tail) meets it.
    @Test func escapesEveryByteThatNeedsItWhereverItStands() {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{00}", "\u{01}", "\u{1F}", "\u{7F}", " ", "张", "é", "😀", "/"]
        for length in 0..<20 {
            for offset in 0...length {
                for special in specials {
                    var text = String(repeating: "a", count: length)
                    text.insert(special, at: text.index(text.startIndex, offsetBy: offset))
                    #expect(Self.written(text) == Self.reference(text), "length \(length), offset \(offset), \(special.unicodeScalars.first!.value)")
                }
            }
        }
        #expect(Self.written("") == [0x22, 0x22])
    }

    @Test func randomTextRoundTripsThroughFoundationsParser() throws {
        var generator = SystemRandomNumberGenerator()
        let pool: [Character] = Array("ab09 \"\\/\n\r\t\u{0}\u{8}\u{1b}\u{7f}张三欧阳é😀，．０")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
            let bytes = Self.written(text)
            #expect(bytes == Self.reference(text))
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
            #expect(parsed == text)
        }
    }

    /// Sorted-key writing remembers the order of the last object of each size: objects of
    /// one size with other keys, the same keys in another order, and nested objects must
    /// each still come out sorted, exactly as when written alone.
    @Test func sortedKeysAreRightForEveryObjectWhateverCameBefore() throws {
        var generator = SystemRandomNumberGenerator()
        let names = ["id", "name", "phone", "b", "a", "é", "Z", "address", "id_number", "notes", "年龄", "aa"]
        var objects: [RecordValue] = []
        for _ in 0..<300 {
            let keys = Array(names.shuffled(using: &generator).prefix(Int.random(in: 1...5, using: &generator)))
            var object = RecordObject()
            for key in keys {
                object[key] = Bool.random(using: &generator) ? .string(key + "!") : .object(RecordObject([(key, .number("1")), ("a", .null)]))
            }
            objects.append(.object(object))
        }
        var together: [UInt8] = []
        JSONWriter.append(.array(objects), to: &together, sortingKeys: true)
        var alone: [UInt8] = [UInt8(ascii: "[")]
        for (offset, object) in objects.enumerated() {
            if offset > 0 { alone.append(UInt8(ascii: ",")) }
            var one: [UInt8] = []
            JSONWriter.append(object, to: &one, sortingKeys: true)
            alone += one
            // Each object alone: its keys in code-point order.
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(one)) as? [String: Any])
            let written = String(decoding: one, as: UTF8.self)
            let positions = parsed.keys.map { key in written.range(of: "\"\(key)\":")!.lowerBound }
            #expect(zip(parsed.keys, positions).sorted { $0.1 < $1.1 }.map(\.0) == parsed.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        alone.append(UInt8(ascii: "]"))
        #expect(together == alone)
    }

    /// The buffer grows from any starting size, and `data` hands over exactly the bytes
    /// `append` writes.
    @Test(arguments: [0, 1, 63, 4_096, 1 << 20])
    func dataHoldsTheSameBytesWhateverTheExpectedSize(expected: Int) {
        let records = (0..<2_000).map { number in
            RecordValue.object(RecordObject([("n", .number(String(number))), ("text", .string("第\(number)条 \"quoted\" \\ line\nbreak"))]))
        }
        for value in [RecordValue.array(records), .string(""), .array([]), .null] {
            var appended: [UInt8] = [0x20]
            JSONWriter.append(value, to: &appended, sortingKeys: true)
            let data = JSONWriter.data(value, sortingKeys: true, expectedBytes: expected)
            #expect(Array(data) == Array(appended.dropFirst()))
        }
    }

    @Test func integersAreWrittenAsTheirDecimalText() {
        var generator = SystemRandomNumberGenerator()
        let samples: [Int] = [0, 1, -1, 9, 10, -10, Int.max, Int.min] + (0..<200).map { _ in Int.random(in: .min ... .max, using: &generator) }
        for number in samples {
            var out: [UInt8] = []
            JSONWriter.appendInteger(number, to: &out)
            #expect(out == Array(String(number).utf8), "\(number)")
        }
        var out: [UInt8] = []
        JSONWriter.appendInteger(UInt64.max, to: &out)
        #expect(out == Array(String(UInt64.max).utf8))
    }
}
