import Foundation
import Testing

@testable import SluiceCore

@Suite("Record decoders") struct RecordDecoderTests {
    /// Decodes `text` fed in chunks of `chunk` bytes (0: all at once).
    func decode(_ text: String, _ format: RecordFormat, chunk: Int = 0, limits: DecodingLimits = .init()) throws(RecordFormatError) -> [Record] {
        try decode(Array(text.utf8), format, chunk: chunk, limits: limits)
    }

    func decode(_ bytes: [UInt8], _ format: RecordFormat, chunk: Int = 0, limits: DecodingLimits = .init()) throws(RecordFormatError) -> [Record] {
        var decoder = format.decoder(limits: limits)
        var records: [Record] = []
        let size = chunk == 0 ? max(bytes.count, 1) : chunk
        var start = 0
        while start < bytes.count {
            records += try decoder.feed(bytes[start..<min(start + size, bytes.count)])
            start += size
        }
        return records + (try decoder.finish())
    }

    func failure(_ text: String, _ format: RecordFormat, limits: DecodingLimits = .init()) -> String? {
        do {
            _ = try decode(text, format, limits: limits)
            return nil
        } catch {
            return error.description
        }
    }

    static let ndjson = """
        {"name":"张三","age":34,"amount":12345.670,"ok":true,"addr":{"city":"杭州"},"tags":["a"],"n":null}

        {"name":"李\\u56db \\ud83d\\ude00","age":-1,"esc":"a\\"b\\\\c\\n"}
        """

    @Test(arguments: [0, 1, 2, 3, 7, 64])
    func ndjsonInAnyChunking(chunk: Int) throws {
        let records = try decode(Self.ndjson, .ndjson, chunk: chunk)
        #expect(records.map(\.number) == [1, 2])
        #expect(records.map(\.line) == [1, 3])
        let first = records[0].fields
        #expect(first["name"] == .string("张三"))
        #expect(first["amount"] == .number("12345.670"))
        #expect(first["addr"] == .object(RecordObject([("city", .string("杭州"))])))
        #expect(first["n"] == .null)
        #expect(first.keys == ["name", "age", "amount", "ok", "addr", "tags", "n"])
        #expect(records[1].fields["name"] == .string("李四 😀"))
        #expect(records[1].fields["esc"] == .string("a\"b\\c\n"))
    }

    /// Strings are read eight bytes at a time up to the first quote, backslash or control
    /// character: each must be found wherever it falls in a word, in ASCII and in Chinese.
    @Test func stringStopsAreFoundAtEveryOffset() throws {
        for filler in ["a", "中"] {
            for length in 0..<20 {
                let lead = String(repeating: filler, count: length)
                let plain = try decode("{\"s\":\"\(lead)\",\"t\":1}\n", .ndjson)
                #expect(plain.first?.fields["s"] == .string(lead), "\(filler) × \(length)")
                let escaped = try decode("{\"s\":\"\(lead)\\\"\(lead)\\n\"}\n", .ndjson)
                #expect(escaped.first?.fields["s"] == .string(lead + "\"" + lead + "\n"), "\(filler) × \(length)")
                let control = failure("{\"s\":\"\(lead)\u{01}\(lead)\"}\n", .ndjson)
                #expect(control?.contains("control character") == true, "\(filler) × \(length)")
            }
        }
    }

    @Test(arguments: [0, 1, 5])
    func jsonArrayInAnyChunking(chunk: Int) throws {
        let text = "\u{FEFF}[\n {\"a\": 1, \"s\": \"x]}\\\"\"},\n {\"a\": [2, {\"b\": 3}]}\n]\n"
        let records = try decode(text, .json, chunk: chunk)
        #expect(records.count == 2)
        #expect(records[0].fields["s"] == .string("x]}\""))
        #expect(records[1].line == 3)
        #expect(try decode("[]", .json).isEmpty)
    }

    @Test(arguments: [0, 1, 4])
    func csvInAnyChunking(chunk: Int) throws {
        let text = "\u{FEFF}name,legal_rep.name,legal_rep.phone,note\r\n张三,李四,13812345678,\"含,逗号\"\r\n王五,,,\"多\n行\"\"引号\"\"\"\r\n"
        let records = try decode(text, .csv, chunk: chunk)
        #expect(records.count == 2)
        #expect(records[0].fields["legal_rep"] == .object(RecordObject([("name", .string("李四")), ("phone", .string("13812345678"))])))
        #expect(records[0].fields["note"] == .string("含,逗号"))
        #expect(records[1].fields["legal_rep"] == nil)
        #expect(records[1].fields["note"] == .string("多\n行\"引号\""))
        #expect(records.map(\.line) == [2, 3])
    }

    @Test func errorsNameTheLineAndRecordNeverTheValue() {
        #expect(failure("{\"a\":1}\n[1,2]\n", .ndjson) == "line 2, record 2: expected a JSON object (one record), found a list")
        #expect(failure("{\"a\":1}\n{\"secret\": 138123}x\n", .ndjson) == "line 2, record 2: not valid JSON: unexpected text after the value")
        #expect(failure("{\"a\":1,\"a\":2}", .ndjson) == "line 1, record 1: the key \"a\" appears twice in one record")
        #expect(failure("{\"a\":\"\u{1}\"}", .ndjson) == "line 1, record 1: not valid JSON: a control character inside a string")
        #expect(
            failure("{\"a\":01}", .ndjson)
                == "line 1, record 1: not valid JSON: unexpected text after the value".replacingOccurrences(
                    of: "unexpected text after the value", with: "expected ',' or '}'"))
        #expect(failure("{\"a\":1}", .json) == "line 1: expected a JSON array of records, found an object")
        #expect(failure("[{\"a\":1},\n 42]", .json) == "line 2, record 2: expected a JSON object (one record), found a number")
        #expect(failure("[{\"a\":1}", .json) == "line 1, record 2: the input ends in the middle of a record")
        #expect(failure("a,b\n1,\"2\n", .csv) == "line 2, record 1: a quoted CSV field opened here is never closed")
        #expect(
            failure("a,b\n1,2\"x\n", .csv)
                == "line 2, record 1: a quote (\") inside an unquoted CSV field; quote the whole field and double the quote")
        #expect(failure("a,b\n1,2,3\n", .csv) == "line 2, record 1: 3 fields, but the header names 2")
        #expect(failure("a,a\n1,2\n", .csv) == "line 1: bad CSV header: columns 1 and 2 have the same name")
        #expect(failure("a,a.b\n1,2\n", .csv) == "line 1: bad CSV header: columns 1 and 2 overlap (one names a part of the other)")
        // A file whose header row is missing: its first record's values are never echoed.
        let headerless = failure("+86 138 1234 5678,11010519491231002X\n", .csv)
        #expect(
            headerless
                == "line 1: bad CSV header: column 1 is not a valid field name (letters, digits, _ and -, parts joined by dots); is the header row missing?"
        )
        #expect(failure("", .csv) == "line 1: the CSV input has no header row")
    }

    /// A repeated key is found wherever it is and however it is written: by its bytes
    /// among plain keys, through escapes, and under canonical equivalence (which is how
    /// records compare keys afterwards).
    @Test func repeatedKeysAreFoundHoweverWritten() throws {
        let many = (0..<300).map { "\"key_\($0)\":\($0)" }
        let plain = try decode("{" + many.joined(separator: ",") + "}", .ndjson)
        #expect(plain.first?.fields.count == 300)
        for repeated in [0, 150, 299] {
            let text = "{" + many.joined(separator: ",") + ",\"key_\(repeated)\":1}"
            #expect(failure(text, .ndjson) == "line 1, record 1: the key \"key_\(repeated)\" appears twice in one record")
        }
        for (first, second) in [("A", "\\u0041"), ("\\u0041", "A"), ("K", "\u{212A}"), ("\u{212A}", "K"), ("é", "e\u{301}"), ("x\\n", "x\\u000a")] {
            let text = "{\"a\":1,\"\(first)\":1,\"b\":2,\"\(second)\":2}"
            #expect(failure(text, .ndjson)?.contains("appears twice in one record") == true, "keys \(first) and \(second)")
        }
        // Keys alike in their bytes' hashes but not equal stay apart: every pair of 2,000 keys.
        let distinct = (0..<2_000).map { "\"k\(String($0, radix: 36))\":0" }
        #expect(try decode("{" + distinct.joined(separator: ",") + "}", .ndjson).first?.fields.count == 2_000)
        // Past the width where a hashed set takes over, the same equality holds: escapes,
        // canonical equivalence, a non-ASCII key early or late.
        for (first, second) in [("A", "\\u0041"), ("K", "\u{212A}"), ("é", "e\u{301}"), ("名", "\\u540d")] {
            for position in [0, 40, 1_999] {
                var keys = distinct
                keys.insert("\"\(first)\":1", at: position)
                let text = "{" + keys.joined(separator: ",") + ",\"\(second)\":2}"
                #expect(failure(text, .ndjson)?.contains("appears twice in one record") == true, "keys \(first) and \(second) at \(position)")
            }
        }
    }

    /// A wide CSV header is checked column against column by hashing: a repeated or
    /// overlapping name is found wherever it is, and rows build the same nested objects.
    @Test func wideCSVHeadersAreCheckedAndRowsNestAsTheHeaderSays() throws {
        let columns = (0..<3_000).map { "c\($0)" }
        for (extra, problem) in [("c2999", "have the same name"), ("c10.x", "overlap"), ("c0", "have the same name")] {
            let text = (columns + [extra]).joined(separator: ",") + "\n" + Array(repeating: "1", count: 3_001).joined(separator: ",") + "\n"
            #expect(failure(text, .csv)?.contains(problem) == true, "\(extra)")
        }
        let overlapping =
            (["a.b.c"] + columns + ["a.b"]).joined(separator: ",") + "\n" + Array(repeating: "1", count: 3_002).joined(separator: ",") + "\n"
        #expect(failure(overlapping, .csv)?.contains("overlap") == true)
        let nested = try decode("x,a.b,y,a.c,a.d.e\n1,2,3,4,5\n", .csv)
        let fields = try #require(nested.first?.fields)
        #expect(fields.keys == ["x", "a", "y"])
        guard case .object(let a) = fields["a"], case .object(let d) = a["d"] else {
            Issue.record("a is not nested")
            return
        }
        #expect(a.keys == ["b", "c", "d"] && d.keys == ["e"])
    }

    /// A record with the keys of the one before reuses them (see `RecordShape`); whatever
    /// it differs in (order, a key more or fewer, an escape, a longer key, keys inside a
    /// nested object), it decodes exactly as it does on its own, errors included.
    @Test(arguments: [RecordFormat.ndjson, .json])
    func recordsDecodeTheSameWhetherOrNotTheyFollowTheKeysBefore(format: RecordFormat) throws {
        let lines = [
            #"{"a":1,"b":2,"c":3}"#, #"{"a":4,"b":5,"c":6}"#, #"{"a":1,"c":3,"b":2}"#, #"{"a":1,"b":2}"#, #"{"a":1,"b":2,"c":3,"d":4}"#,
            #"{"\u0061":1,"b":2,"c":3}"#, #"{"a":1,"ab":2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#, #"{"":1,"a":2}"#, #"{"":3,"a":4}"#,
            #"{"姓名":"张三","年龄":3}"#, #"{"姓名":"李四","年龄":4}"#, #"{"a":{"a":1,"b":2},"b":2,"c":3}"#, #"{"a":{"a":1},"b":2,"c":3}"#,
            #"{"x\"y":1}"#, #"{"x\"y":2}"#, #"{"x\\":1}"#, #"{"x\\":2}"#, #"{"x\",":3}"#, "{}", #"{"x":1}"#, #"{"x":2}"#,
            #"{"a":1,"b":2,"c":3}"#,
        ]
        func joined(_ lines: [String]) -> String {
            format == .ndjson ? lines.joined(separator: "\n") : "[" + lines.joined(separator: ",\n") + "]"
        }
        let together = try decode(joined(lines), format)
        #expect(together.count == lines.count)
        for (number, line) in lines.enumerated() {
            let alone = try #require(try decode(joined([line]), format).first)
            #expect(together[number].fields == alone.fields, "line \(number + 1)")
            #expect(together[number].fields.keys == alone.fields.keys, "line \(number + 1): keys in order")
        }
        // Records with the same keys share one key array.
        let first = together[0].fields.keys.withUnsafeBufferPointer { $0.baseAddress }
        #expect(together[1].fields.keys.withUnsafeBufferPointer { $0.baseAddress } == first)

        // Repeated keys are still found after the shape's keys, however written.
        for repeated in [#"{"a":1,"a":2}"#, #"{"a":1,"b":2,"c":3,"a":4}"#, #"{"a":1,"b":2,"\u0061":3}"#, #"{"a":1,"c":2,"c":3}"#] {
            let message = failure(joined([#"{"a":1,"b":2,"c":3}"#, repeated]), format)
            #expect(message?.contains("record 2: the key") == true && message?.contains("appears twice") == true, "\(repeated)")
        }
    }

    @Test func invalidUTF8IsRefusedWithItsLine() {
        let bad: [UInt8] = Array("{\"a\":1}\n{\"a\":\"".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        #expect(throws: RecordFormatError(.invalidUTF8, line: 2, record: 2)) { try decode(bad, .ndjson) }
        let csv: [UInt8] = Array("a\n".utf8) + [0xFF] + Array("\n".utf8)
        #expect(throws: RecordFormatError(.invalidUTF8, line: 2, record: 1)) { try decode(csv, .csv) }
    }

    @Test func limitsAreEnforcedWhileReading() {
        let deep = String(repeating: "{\"a\":", count: 20) + "1" + String(repeating: "}", count: 20)
        #expect(
            failure(deep, .ndjson, limits: DecodingLimits(maxDepth: 8)) == "line 1, record 1: objects and lists are nested more than 8 levels deep")
        #expect(
            failure("[" + deep + "]", .json, limits: DecodingLimits(maxDepth: 8)).map {
                $0.hasPrefix("line 1, record 1: objects and lists are nested")
            } == true)
        #expect(
            failure("{\"a\":\"" + String(repeating: "x", count: 100) + "\"}", .ndjson, limits: DecodingLimits(maxStringBytes: 50))
                == "line 1, record 1: a value is longer than 50 bytes")
        #expect(failure("{\"a\":1}\n{\"a\":2}\n", .ndjson, limits: DecodingLimits(maxRecords: 1)) == "line 2, record 2: more than 1 records")
        var decoder = NDJSONRecordDecoder(limits: DecodingLimits(maxRecordBytes: 100))
        #expect(throws: RecordFormatError(.recordTooLarge(limit: 100), line: 1, record: 1)) {
            _ = try decoder.feed(Array(repeating: UInt8(ascii: " "), count: 101))
        }
    }

    @Test func numberGrammar() {
        for good in ["0", "-0", "12.5", "1e10", "-1.5E-3"] { #expect(RecordValue.isNumberText(good)) }
        for bad in ["", "01", "1.", ".5", "+1", "1e", "--1", "0x10", "1 "] { #expect(!RecordValue.isNumberText(bad)) }
    }

    @Test func encoderRoundTripsEveryFormat() throws {
        let records = try decode(Self.ndjson, .ndjson)
        for format in RecordFormat.allCases where format != .csv {
            var encoder = RecordEncoder(format: format, columns: [])
            var bytes: [UInt8] = []
            encoder.begin(into: &bytes)
            for record in records { encoder.append(record.fields, into: &bytes) }
            encoder.end(into: &bytes)
            #expect(try decode(bytes, format).map(\.fields) == records.map(\.fields))
        }
        var csv = RecordEncoder(format: .csv, columns: [FieldPath("name")!, FieldPath("addr.city")!, FieldPath("esc")!])
        var bytes: [UInt8] = []
        csv.begin(into: &bytes)
        for record in records { csv.append(record.fields, into: &bytes) }
        #expect(String(decoding: bytes, as: UTF8.self) == "name,addr.city,esc\r\n张三,杭州,\r\n李四 😀,,\"a\"\"b\\c\n\"\r\n")
        #expect(RecordEncoder.csvCell("=HYPERLINK(1)") == "'=HYPERLINK(1)")
        #expect(RecordEncoder.csvCell("-12.5") == "-12.5")
    }

    /// Rows may end with CRLF, LF or a lone CR (what "CSV (Macintosh)" writes); a quoted
    /// cell keeps its line breaks as they are. Every ending, in any chunking, reads alike,
    /// including a CRLF split between two pieces.
    @Test(arguments: ["\r\n", "\n", "\r"])
    func csvRowsEndWithAnyLineBreak(ending: String) throws {
        let text = ["name,note", "张三,\"一\r\n二\"", "", "李四,x"].joined(separator: ending) + ending
        for chunk in [0, 1, 2, 5] {
            let records = try decode(text, .csv, chunk: chunk)
            #expect(records.count == 2, "ending \(ending.debugDescription), chunk \(chunk)")
            #expect(records.first?.fields["note"] == .string("一\r\n二"), "ending \(ending.debugDescription), chunk \(chunk)")
            #expect(records.last?.fields["note"] == .string("x"), "ending \(ending.debugDescription), chunk \(chunk)")
            // Line 2 holds the first record, whose cell spans two lines; a blank line follows.
            #expect(records.map(\.line) == [2, 5], "ending \(ending.debugDescription), chunk \(chunk)")
        }
    }

    /// Values that hold the characters CSV gives meaning to, also where they join the
    /// next scalar into one `Character` (CRLF, or a comma or quote followed by a combining
    /// mark), come back from the CSV writer and reader unchanged, one row per record.
    @Test func csvCellsQuoteWhateverWouldSplitARow() throws {
        let pieces = ["a", "张", ",", "\"", "\r\n", "\n", "\r", ",\u{301}", "\"\u{301}", "\u{301}", " ", "'"]
        var state: UInt64 = 0x00C5_F00D
        func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var records: [RecordObject] = []
        for _ in 0..<300 {
            let value = (0..<(1 + below(6))).map { _ in pieces[below(pieces.count)] }.joined()
            records.append(RecordObject([("a", .string(value)), ("b", .string("end"))]))
        }
        var encoder = RecordEncoder(format: .csv, columns: [FieldPath("a")!, FieldPath("b")!])
        var bytes: [UInt8] = []
        encoder.begin(into: &bytes)
        for record in records { encoder.append(record, into: &bytes) }
        let decoded = try decode(bytes, .csv)
        #expect(decoded.count == records.count)
        for (index, (record, back)) in zip(records, decoded).enumerated() {
            let written = Array(Self.text(record["a"] ?? .null).utf8)
            // A value that starts with a carriage return is defused with a leading `'`
            // (the next test); every other one comes back as it was.
            let expected = written.first == 0x0D ? [UInt8(ascii: "'")] + written : written
            // Compared as UTF-8, and as a Bool so a failure does not print the texts:
            // String equality would take "," + U+0301 as equal to "́,".
            let same = Array(Self.text(back.fields["a"] ?? .null).utf8) == expected
            #expect(same, "record \(index + 1) changed on the way through CSV")
            #expect(back.fields["b"] == .string("end"), "record \(index + 1)")
        }
    }

    /// Cells a spreadsheet would run as a formula get a leading `'`, also when the sign is
    /// followed by a combining mark or preceded by a tab or carriage return.
    @Test(arguments: ["=1+1", "+1+1", "@SUM(A1)", "-A1", "=\u{301}1", "\t=1", "\r=1"])
    func formulaLikeCellsAreDefused(cell: String) {
        let written = Array(RecordEncoder.csvCell(cell).utf8)
        // A cell that also needs quotes starts with the quote, then the `'`.
        let start = written.first == UInt8(ascii: "\"") ? 1 : 0
        #expect(written.count > start && written[start] == UInt8(ascii: "'"))
    }

    static func text(_ value: RecordValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }
}
