import Foundation

/// A strict RFC 8259 parser from UTF-8 bytes to ``RecordValue``, with the decoder's
/// limits applied as it goes. Errors carry the line; they never quote the input.
struct JSONValueParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var newlines = 0
    private let limits: DecodingLimits
    private let firstLine: Int
    private let record: Int?
    /// The keys of the previous record, in order (see ``RecordShape``).
    private var shape: RecordShape

    /// Parses exactly one JSON value filling `bytes` (surrounding whitespace allowed).
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, limits: DecodingLimits, firstLine: Int, record: Int?
    ) throws(RecordFormatError) -> RecordValue {
        var shape = RecordShape()
        return try parse(bytes, limits: limits, firstLine: firstLine, record: record, shape: &shape)
    }

    /// Parses one record, reusing the keys of the one before when it has the same: a
    /// package's records mostly do, and then its keys are neither decoded nor checked
    /// for repeats again, and the record shares the key array instead of growing its own.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, limits: DecodingLimits, firstLine: Int, record: Int?, shape: inout RecordShape
    ) throws(RecordFormatError) -> RecordValue {
        var parser = JSONValueParser(bytes: bytes, limits: limits, firstLine: firstLine, record: record, shape: shape)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure(.invalidJSON("unexpected text after the value")) }
        shape = parser.shape
        return value
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: DecodingLimits, firstLine: Int, record: Int?, shape: RecordShape) {
        self.bytes = bytes
        self.limits = limits
        self.firstLine = firstLine
        self.record = record
        self.shape = shape
    }

    private func failure(_ reason: RecordFormatError.Reason) -> RecordFormatError {
        RecordFormatError(reason, line: firstLine + newlines, record: record)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                newlines += 1
                index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(RecordFormatError) -> RecordValue {
        guard index < bytes.count else { throw failure(.invalidJSON("a value is missing")) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth + 1))
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure(.invalidJSON("unexpected character"))
        }
    }

    mutating func object(depth: Int) throws(RecordFormatError) -> RecordObject {
        guard depth <= limits.maxDepth else { throw failure(.tooDeep(limit: limits.maxDepth)) }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return RecordObject()
        }
        // Only a record itself follows the shape; objects inside it build their own keys.
        let template = depth == 1 ? shape.keys : []
        // Keys are taken from the template while they match it in order; `keys` is built
        // only from the first one that does not.
        var matched = 0
        var keys: [String]?
        var seen = KeySet()
        var values: [RecordValue] = []
        values.reserveCapacity(template.count)
        if template.isEmpty { keys = [] }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure(.invalidJSON("expected a quoted key"))
            }
            var repeated: String?
            if keys == nil, matched < template.count, let end = shape.match(matched, in: bytes, quoteAt: index) {
                index = end
                matched += 1
            } else {
                if keys == nil {
                    keys = Array(template[..<matched])
                    keys!.reserveCapacity(matched + 1)
                    for known in keys! { seen.insertPlain(known) }
                }
                let keyStart = index + 1
                let key = try string()
                if seen.insert(key, written: UnsafeBufferPointer(rebasing: bytes[keyStart..<(index - 1)]), among: keys!) {
                    repeated = key
                } else {
                    keys!.append(key)
                }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure(.invalidJSON("expected ':' after a key"))
            }
            index += 1
            skipWhitespace()
            values.append(try value(depth: depth))
            // Reported after the value: an error inside it is the one a reader meets first.
            if let repeated { throw failure(.duplicateKey(repeated)) }
            skipWhitespace()
            guard index < bytes.count else { throw failure(.invalidJSON("an object is not closed")) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                if keys == nil, matched == template.count {
                    return RecordObject(uniqueKeys: template, values: values)
                }
                let finalKeys = keys ?? Array(template[..<matched])
                if depth == 1 { shape = RecordShape(finalKeys) }
                return RecordObject(uniqueKeys: finalKeys, values: values)
            } else {
                throw failure(.invalidJSON("expected ',' or '}'"))
            }
        }
    }

    private mutating func array(depth: Int) throws(RecordFormatError) -> RecordValue {
        guard depth <= limits.maxDepth else { throw failure(.tooDeep(limit: limits.maxDepth)) }
        index += 1
        var items: [RecordValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure(.invalidJSON("a list is not closed")) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            } else {
                throw failure(.invalidJSON("expected ',' or ']'"))
            }
        }
    }

    private mutating func literal(_ word: StaticString, _ value: RecordValue) throws(RecordFormatError) -> RecordValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure(.invalidJSON("unexpected end")) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure(.invalidJSON("unexpected character"))
        }
        index += count
        return value
    }

    private mutating func number() throws(RecordFormatError) -> RecordValue {
        let start = index
        func digits() -> Int {
            let begin = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - begin
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw failure(.invalidJSON("a number is cut short")) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw failure(.invalidJSON("a number is malformed"))
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw failure(.invalidJSON("a number is malformed")) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw failure(.invalidJSON("a number is malformed")) }
        }
        guard index - start <= Self.longestNumber else { throw failure(.numberTooLong(limit: Self.longestNumber)) }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    /// The longest number token accepted, in characters: more digits than any decimal
    /// field needs, fewer than make a consumer's big-number parsing slow.
    public static let longestNumber = 100

    private mutating func string() throws(RecordFormatError) -> String {
        index += 1
        let start = index
        // Fast path: most strings have no escapes and become a String in one step. Eight
        // bytes at a time up to the first quote, backslash or control character.
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let stops = ByteWord.matches(word, UInt8(ascii: "\"")) | ByteWord.matches(word, UInt8(ascii: "\\")) | ByteWord.below(word, 0x20)
            if stops != 0 {
                index += ByteWord.firstMarked(stops)
                break
            }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard index - start <= limits.maxStringBytes else {
                    throw failure(.stringTooLong(limit: limits.maxStringBytes))
                }
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard let text = String(validatingUTF8Bytes: slice) else { throw failure(.invalidUTF8) }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure(.invalidJSON("a control character inside a string")) }
            index += 1
        }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard decoded.count <= limits.maxStringBytes else {
                    throw failure(.stringTooLong(limit: limits.maxStringBytes))
                }
                guard let text = decoded.withUnsafeBufferPointer(String.init(validatingUTF8Bytes:)) else { throw failure(.invalidUTF8) }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"): try unicodeEscape(into: &decoded)
                default: throw failure(.invalidJSON("an unknown escape in a string"))
                }
            default:
                if byte < 0x20 { throw failure(.invalidJSON("a control character inside a string")) }
                decoded.append(byte)
                index += 1
            }
        }
        throw failure(.invalidJSON("a string is not closed"))
    }

    private mutating func hexQuad() throws(RecordFormatError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure(.invalidJSON("a \\u escape is cut short")) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.invalidJSON("a \\u escape is not hexadecimal"))
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func unicodeEscape(into decoded: inout [UInt8]) throws(RecordFormatError) {
        var scalar = try hexQuad()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure(.invalidJSON("a lone surrogate in a \\u escape")) }
            index += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure(.invalidJSON("a lone surrogate in a \\u escape")) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw failure(.invalidJSON("a lone surrogate in a \\u escape"))
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure(.invalidJSON("an invalid \\u escape")) }
        decoded.append(contentsOf: UTF8.encode(unicode)!)
    }
}

/// The keys of one object so far, for finding a repeated one. Comparing each key with
/// every earlier one showed in every record's profile, so plain ASCII keys — equal only
/// when their bytes are — first consult a 128-bit filter of their bytes' hashes, and are
/// compared only when the filter has seen their hash. A key with escapes or non-ASCII
/// text, and every key after one, is compared with all: strings are equal under
/// canonical equivalence, by which "K" and U+212A KELVIN SIGN are the same key.
///
/// Comparing with all is linear per key, so a wide object would cost the square of its
/// width (and past a few hundred keys the filter is full and passes every key on). From
/// ``hashedFrom`` keys on, a hashed set answers instead: `String` hashes by canonical
/// equivalence, the same equality the comparison uses.
private struct KeySet {
    private var filter: (UInt64, UInt64) = (0, 0)
    private var compareAll = false
    private var hashed: Set<String>?
    static let hashedFrom = 32

    /// Adds a key known not to be a repeat (one taken from the record shape).
    mutating func insertPlain(_ key: String) {
        var utf8 = key
        utf8.withUTF8 { written in _ = insert(key, written: written, among: []) }
    }

    /// Whether `key` is already among `keys`; `written` is the key as it stood between
    /// its quotes.
    mutating func insert(_ key: String, written: UnsafeBufferPointer<UInt8>, among keys: [String]) -> Bool {
        if hashed == nil, keys.count >= Self.hashedFrom { hashed = Set(keys) }
        if hashed != nil { return !hashed!.insert(key).inserted }
        guard !compareAll else { return keys.contains(key) }
        var high: UInt8 = 0
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in written {
            high |= byte
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        // Escapes always shorten a key, so equal lengths mean it was written plainly.
        guard high < 0x80, written.count == key.utf8.count else {
            compareAll = true
            return keys.contains(key)
        }
        let bit = UInt64(1) << (hash & 63)
        if hash & 64 == 0 {
            defer { filter.0 |= bit }
            return filter.0 & bit != 0 && keys.contains(key)
        } else {
            defer { filter.1 |= bit }
            return filter.1 & bit != 0 && keys.contains(key)
        }
    }
}

/// The keys of the last record decoded, in order, for the next one to reuse when it has
/// the same. Only keys that a plain JSON string spells byte for byte are kept (no quote,
/// backslash or control character), so matching the bytes between a key's quotes is
/// the same as decoding it.
struct RecordShape {
    private(set) var keys: [String] = []
    private var spelled: [[UInt8]] = []

    init() {}

    init(_ keys: [String]) {
        let spelled = keys.map { Array($0.utf8) }
        guard spelled.allSatisfy({ $0.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C } }) else { return }
        self.keys = keys
        self.spelled = spelled
    }

    /// Where the key written at `quote` ends (just past its closing quote) when it is
    /// the shape's key number `position`; nil when it is anything else.
    func match(_ position: Int, in bytes: UnsafeBufferPointer<UInt8>, quoteAt quote: Int) -> Int? {
        let key = spelled[position]
        let start = quote + 1
        let close = start + key.count
        guard close < bytes.count, bytes[close] == 0x22 else { return nil }
        guard !key.isEmpty else { return close + 1 }
        return key.withUnsafeBufferPointer { expected in
            memcmp(bytes.baseAddress! + start, expected.baseAddress!, key.count) == 0 ? close + 1 : nil
        }
    }
}
