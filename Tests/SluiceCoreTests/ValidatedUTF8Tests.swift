import SluiceCore
import Testing

/// The decoders' UTF-8 check: ASCII and valid text come back as written, anything
/// malformed is refused (never repaired into U+FFFD).
@Suite struct ValidatedUTF8Tests {
    static func text(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer(String.init(validatingUTF8Bytes:)) }

    @Test(arguments: ["", "case-2024-001", "张三", "浙江省杭州市", "𠀋", "a\u{0}b"])
    func validTextIsKept(_ text: String) {
        #expect(Self.text(Array(text.utf8)) == text)
    }

    @Test(
        arguments: [
            [0xFF], [0x41, 0x80], [0xE5, 0xBC], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0xE5, 0xBC, 0x61],
        ] as [[UInt8]])
    func malformedBytesAreRefused(_ bytes: [UInt8]) {
        #expect(Self.text(bytes) == nil, "bytes \(bytes)")
    }

    /// Every malformation a repairing decoder could turn into text of the same length
    /// (a truncated four-byte sequence is three bytes, as is its U+FFFD) and random byte
    /// strings, against the standard library's validating initialiser.
    @Test func agreesWithTheStandardLibrary() {
        #expect(Self.text([0xF0, 0x9F, 0x98]) == nil)
        #expect(Self.text([0x41, 0xF0, 0x9F, 0x98, 0x41]) == nil)
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            [0x41], [0xE5, 0xBC, 0xA0], [0xF0, 0x9F, 0x98, 0x80], [0xC3, 0xA9], [0x80], [0xF0, 0x9F, 0x98], [0xE5], [0xFF], [0xED, 0xA0, 0x80],
        ]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &generator) { bytes += pieces.randomElement(using: &generator)! }
            let expected = bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
            #expect(Self.text(bytes) == expected, "bytes \(bytes)")
        }
    }

    /// All-ASCII input skips the comparison with the decoded text, so the ASCII test must
    /// notice a stray continuation byte, a lone lead byte or a valid two-byte character at
    /// every offset of texts of every length (the compiler runs it on wide vectors).
    @Test func aNonASCIIByteIsNoticedAtEveryOffset() {
        for length in 1...25 {
            for offset in 0..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                bytes[offset] = 0x80
                #expect(Self.text(bytes) == nil, "continuation byte at \(offset) of \(length)")
                bytes[offset] = 0xC3
                #expect(Self.text(bytes) == nil, "lead byte at \(offset) of \(length)")
                var valid = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                valid.insert(contentsOf: [0xC3, 0xA9], at: offset)
                #expect(Self.text(valid) == String(decoding: valid, as: UTF8.self), "é at \(offset) of \(length)")
            }
        }
    }
}
