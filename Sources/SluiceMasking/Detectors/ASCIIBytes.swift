/// Byte classes the detectors share; detectors run on width-normalised UTF-8, where every
/// character they care about is ASCII.
enum ASCIIBytes {
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    @inline(__always) static func digit(_ byte: UInt8) -> Int { Int(byte &- 0x30) }

    /// Whether every byte is ASCII (one test on all the bytes' high bits together).
    static func allASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80
    }

    /// A match may end at `index` only if the next byte does not continue a word.
    @inline(__always) static func isRightBoundary(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index >= text.count || (!isAlphanumeric(text[index]) && !isMaskRun(text, from: index, step: 1))
    }

    /// A match may start at `index` only if the byte before does not end a word.
    @inline(__always) static func isLeftBoundary(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index == 0 || (!isAlphanumeric(text[index - 1]) && !isMaskRun(text, from: index - 1, step: -1))
    }

    /// Three or more `*` in a row are what masking leaves ("186****6308"): characters
    /// glued to them are the kept ends of a masked value, so a new match may not start or
    /// end there — otherwise masking a text twice could find a value the first pass did
    /// not (the kept "6308" joined with the next number). One or two stars, as in
    /// emphasis, still separate words.
    @inline(__always) static func isMaskRun(_ text: UnsafeBufferPointer<UInt8>, from index: Int, step: Int) -> Bool {
        var position = index
        for _ in 0..<3 {
            guard position >= 0, position < text.count, text[position] == 0x2A else { return false }
            position += step
        }
        return true
    }

    /// Runs `body` over a string's UTF-8 bytes, for detectors used on single values.
    static func withBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = text
        return copy.withUTF8(body)
    }
}
