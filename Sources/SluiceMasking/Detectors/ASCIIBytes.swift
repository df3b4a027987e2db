/// Byte classes the detectors share; detectors run on width-normalised UTF-8, where every
/// character they care about is ASCII.
enum ASCIIBytes {
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    @inline(__always) static func digit(_ byte: UInt8) -> Int { Int(byte &- 0x30) }

    /// A match may end at `index` only if the next byte does not continue a word.
    @inline(__always) static func isRightBoundary(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index >= text.count || !isAlphanumeric(text[index])
    }

    /// Runs `body` over a string's UTF-8 bytes, for detectors used on single values.
    static func withBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = text
        return copy.withUTF8(body)
    }
}
