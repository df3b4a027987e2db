import Foundation
import Testing

@testable import SluiceCore

/// The JSON and NDJSON decoders against an independent parser (Foundation's
/// `JSONSerialization`), on generated documents and on those documents with a few bytes
/// deleted, inserted or replaced. Generated documents must decode to the same values.
/// A damaged one must be refused whenever Foundation refuses it (unless it only holds a
/// number too large for a Double, which the decoder keeps as text), and accepted whenever
/// Foundation accepts it, unless the decoder is stricter on purpose (a repeated key, a
/// limit, a lone surrogate) or Foundation is more lenient than RFC 8259 (it takes a comma
/// before a closing bracket). Each document is also fed in pieces of random sizes, which
/// must not change the outcome.
///
/// Failure messages name the case's seed and index, never the document: it is generated
/// text, but the rule holds for tests too.
@Suite("Record decoders against Foundation's JSON parser") struct RecordDecoderDifferentialTests {
    /// A small deterministic generator (SplitMix64), so a failing case can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    /// Pieces of string content as written inside quotes: plain text that crosses the
    /// decoder's eight-byte steps, every escape, and characters of every UTF-8 length.
    static let stringPieces = [
        "a", "Zq", "0123456789", "中", "张三", "北京市朝阳区", "😀", "é", "\u{7F}", "\u{80}", "\u{2028}", " ",
        "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9", "\\u4e2d", "\\ud83d\\ude00", "\\u0000",
        "\\u001f", "K", "\u{212A}",
    ]
    static let whitespace = ["", "", "", " ", "\t", "\r\n", "\n", "  "]

    static func string(_ random: inout Generator) -> String {
        "\"" + (0..<random.below(12)).map { _ in random.pick(stringPieces) }.joined() + "\""
    }

    static func number(_ random: inout Generator) -> String {
        var text = random.below(3) == 0 ? "-" : ""
        text += random.below(4) == 0 ? "0" : String(1 + random.below(9)) + String(repeating: "7", count: random.below(6))
        if random.below(3) == 0 { text += "." + String(random.below(1000)) }
        if random.below(4) == 0 { text += random.pick(["e", "E"]) + random.pick(["", "+", "-"]) + String(random.below(30)) }
        return text
    }

    static func value(_ random: inout Generator, depth: Int) -> String {
        let ws = { (random: inout Generator) in random.pick(whitespace) }
        switch random.below(depth < 4 ? 8 : 5) {
        case 0: return random.pick(["true", "false", "null"])
        case 1, 2: return number(&random)
        case 3, 4: return string(&random)
        case 5:
            let items = (0..<random.below(4)).map { _ in ws(&random) + value(&random, depth: depth + 1) + ws(&random) }
            return "[" + (items.isEmpty ? ws(&random) : items.joined(separator: ",")) + "]"
        default: return object(&random, depth: depth + 1)
        }
    }

    /// An object whose keys differ byte for byte and under canonical equivalence (the
    /// decoder refuses a repeated key; Foundation keeps the last).
    static func object(_ random: inout Generator, depth: Int) -> String {
        let members = (0..<random.below(6)).map { index in
            let ws = random.pick(whitespace)
            return ws + "\"k\(index)" + (random.below(3) == 0 ? "中" : "") + "\"" + random.pick(whitespace) + ":" + random.pick(whitespace)
                + value(&random, depth: depth) + random.pick(whitespace)
        }
        return "{" + (members.isEmpty ? random.pick(whitespace) : members.joined(separator: ",")) + "}"
    }

    static let insertable: [UInt8] =
        Array("\"\\{}[],:0-e.+ \n\r\tutn".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBB, 0xBF, 0xC3, 0xE4, 0xED, 0xEF, 0xF0, 0xFF]

    /// `bytes` with one to three random deletions, insertions or replacements.
    static func damaged(_ bytes: [UInt8], _ random: inout Generator) -> [UInt8] {
        var out = bytes
        for _ in 0...random.below(3) {
            let at = random.below(out.count + 1)
            switch random.below(3) {
            case 0 where at < out.count: out.remove(at: at)
            case 1 where at < out.count: out[at] = random.pick(insertable)
            default: out.insert(random.pick(insertable), at: at)
            }
        }
        return out
    }

    /// What Foundation makes of `bytes` as a list of records, or nil when it refuses them
    /// or they are not a list of objects.
    static func oracle(array bytes: [UInt8]) -> [[String: Any]]? {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [Any] else { return nil }
        let objects = parsed.compactMap { $0 as? [String: Any] }
        return objects.count == parsed.count ? objects : nil
    }

    /// What Foundation makes of `bytes` as NDJSON: each line that is not blank one object.
    static func oracle(lines bytes: [UInt8]) -> [[String: Any]]? {
        var objects: [[String: Any]] = []
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
            objects.append(object)
        }
        return objects
    }

    /// The decoder's records, fed whole or in pieces of `piece` bytes.
    static func decode(_ bytes: [UInt8], _ format: RecordFormat, piece: Int) -> Result<[Record], RecordFormatError> {
        var decoder = format.decoder()
        var records: [Record] = []
        do throws(RecordFormatError) {
            var start = 0
            while start < bytes.count {
                records += try decoder.feed(bytes[start..<min(start + piece, bytes.count)])
                start += piece
            }
            records += try decoder.finish()
            return .success(records)
        } catch {
            return .failure(error)
        }
    }

    /// Whether the decoder's value is Foundation's, comparing text byte for byte.
    static func same(_ ours: RecordValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let flag): return (theirs as? Bool) == flag
        case .number(let text):
            guard let expected = Double(text), let actual = Self.double(theirs) else { return false }
            return actual == expected || abs(actual - expected) <= abs(expected) * 1e-12
        case .string(let text):
            guard let other = theirs as? String else { return false }
            return Array(text.utf8) == Array(other.utf8)
        case .array(let items):
            guard let others = theirs as? [Any], others.count == items.count else { return false }
            return zip(items, others).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let others = theirs as? [String: Any] else { return false }
            return same(object, others)
        }
    }

    static func double(_ number: Any) -> Double? {
        if let value = number as? Int { return Double(value) }
        if let value = number as? Double { return value }
        if let value = number as? NSNumber { return value.doubleValue }
        if let value = number as? Decimal { return NSDecimalNumber(decimal: value).doubleValue }
        return nil
    }

    static func same(_ object: RecordObject, _ others: [String: Any]) -> Bool {
        guard object.count == others.count else { return false }
        let byBytes = Dictionary(others.map { (Array($0.key.utf8), $0.value) }, uniquingKeysWith: { first, _ in first })
        return zip(object.keys, object.values).allSatisfy { key, value in byBytes[Array(key.utf8)].map { same(value, $0) } ?? false }
    }

    /// Refusals that are the decoder being stricter than RFC 8259 requires, on purpose.
    static func isDeliberatelyStricter(_ error: RecordFormatError) -> Bool {
        switch error.reason {
        case .duplicateKey, .tooDeep, .stringTooLong, .recordTooLarge: return true
        case .invalidJSON(let why): return why.contains("lone surrogate")
        default: return false
        }
    }

    /// One case: the decoder for `format` (JSON or NDJSON) and Foundation agree on `bytes`,
    /// and so does the decoder fed in pieces; returns what went wrong, without the document.
    static func disagreement(_ bytes: [UInt8], _ format: RecordFormat, _ random: inout Generator) -> String? {
        let whole = decode(bytes, format, piece: max(bytes.count, 1))
        let pieces = decode(bytes, format, piece: 1 + random.below(17))
        switch (whole, pieces) {
        case (.success(let a), .success(let b)) where a != b: return "pieces decode differently"
        case (.success, .failure), (.failure, .success): return "pieces change whether it decodes"
        default: break
        }
        let expected = format == .ndjson ? oracle(lines: bytes) : oracle(array: bytes)
        switch (whole, expected) {
        case (.success(let records), let objects?):
            guard records.count == objects.count else { return "\(records.count) records, Foundation \(objects.count)" }
            for (record, object) in zip(records, objects) where !same(record.fields, object) {
                return "record \(record.number) differs from Foundation's"
            }
            return nil
        case (.success(let records), nil):
            // Foundation refuses numbers a Double cannot hold; the decoder keeps their text.
            let huge = records.contains { record in record.fields.values.contains { Self.holdsUnrepresentableNumber($0) } }
            return huge ? nil : "accepted what Foundation refuses"
        case (.failure(let error), _?):
            let allowed = isDeliberatelyStricter(error) || hasTrailingComma(bytes)
            return allowed ? nil : "refused what Foundation accepts (\(error.reason))"
        case (.failure, nil):
            return nil
        }
    }

    /// Whether a comma outside any string is followed, after whitespace, by `]` or `}`:
    /// invalid JSON that Foundation accepts.
    static func hasTrailingComma(_ bytes: some Collection<UInt8>) -> Bool {
        var inString = false
        var escaped = false
        var afterComma = false
        for byte in bytes {
            switch (inString, byte) {
            case (true, _) where escaped: escaped = false
            case (true, UInt8(ascii: "\\")): escaped = true
            case (true, UInt8(ascii: "\"")): inString = false
            case (true, _): break
            case (false, UInt8(ascii: "\"")): (inString, afterComma) = (true, false)
            case (false, UInt8(ascii: ",")): afterComma = true
            case (false, UInt8(ascii: "]")), (false, UInt8(ascii: "}")): if afterComma { return true }
            case (false, 0x20), (false, 0x09), (false, 0x0A), (false, 0x0D): break
            default: afterComma = false
            }
        }
        return false
    }

    static func holdsUnrepresentableNumber(_ value: RecordValue) -> Bool {
        switch value {
        case .number(let text): return !(Double(text)?.isFinite ?? false)
        case .array(let items): return items.contains(where: holdsUnrepresentableNumber)
        case .object(let object): return object.values.contains(where: holdsUnrepresentableNumber)
        default: return false
        }
    }

    static func document(_ random: inout Generator) -> [UInt8] {
        let records = (0..<(1 + random.below(4))).map { _ in random.pick(whitespace) + object(&random, depth: 1) + random.pick(whitespace) }
        return Array(("[" + records.joined(separator: ",") + "]").utf8)
    }

    @Test(arguments: [0x51_01CE, 0xD1FF, 0x5EED_0003])
    func generatedDocumentsDecodeAsFoundationReadsThem(seed: UInt64) {
        var random = Generator(state: seed)
        for index in 0..<300 {
            let bytes = Self.document(&random)
            #expect(Self.oracle(array: bytes) != nil, "seed \(seed), case \(index): Foundation refuses a generated document")
            if let problem = Self.disagreement(bytes, .json, &random) { Issue.record("seed \(seed), case \(index): \(problem)") }
        }
    }

    @Test(arguments: [0x51_01CE, 0xD1FF, 0x5EED_0003])
    func damagedDocumentsAreRefusedExactlyWhenFoundationRefusesThem(seed: UInt64) {
        var random = Generator(state: seed)
        var refused = 0
        for index in 0..<1500 {
            let bytes = Self.damaged(Self.document(&random), &random)
            if case .failure = Self.decode(bytes, .json, piece: max(bytes.count, 1)) { refused += 1 }
            if let problem = Self.disagreement(bytes, .json, &random) { Issue.record("seed \(seed), damaged case \(index): \(problem)") }
        }
        // Most damage must make a document invalid, or the cases test little.
        #expect(refused > 750, "seed \(seed): only \(refused) of 1500 damaged documents refused")
    }

    /// NDJSON: every line that is not blank is one record, read as Foundation reads it.
    @Test(arguments: [0x51_01CE, 0xD1FF])
    func ndjsonLinesAreReadAsFoundationReadsThem(seed: UInt64) {
        var random = Generator(state: seed)
        for index in 0..<1000 {
            let lines = (0..<(1 + random.below(4))).map { _ in Self.object(&random, depth: 1).replacingOccurrences(of: "\n", with: " ") }
            var bytes = Array(lines.joined(separator: random.pick(["\n", "\r\n", "\n\n"])).utf8)
            if index % 2 == 1 { bytes = Self.damaged(bytes, &random) }
            if let problem = Self.disagreement(bytes, .ndjson, &random) { Issue.record("seed \(seed), line case \(index): \(problem)") }
        }
    }
}

extension RecordDecoderDifferentialTests {
    /// A byte-order mark is skipped only when whole, at the very start.
    @Test(arguments: [RecordFormat.json, .ndjson, .csv])
    func onlyAWholeLeadingByteOrderMarkIsSkipped(format: RecordFormat) {
        let text =
            switch format {
            case .json: "[{\"a\":1}]"
            case .ndjson: "{\"a\":1}"
            case .csv: "a\n1\n"
            }
        let body = Array(text.utf8)
        #expect(throws: Never.self) { try Self.decode([0xEF, 0xBB, 0xBF] + body, format, piece: 1).get() }
        let prefixes: [[UInt8]] = [
            [0xEF], [0xEF, 0xBB], [0xBB], [0xBF], [0x20, 0xBB], [0x20, 0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF],
        ]
        for prefix in prefixes {
            for piece in [1, 64] {
                #expect(throws: RecordFormatError.self, "prefix \(prefix), pieces of \(piece)") {
                    try Self.decode(prefix + body, format, piece: piece).get()
                }
            }
        }
    }
}
