import SluiceCore

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

    /// A match of a kind written with letters (a passport, a credit code, an e-mail
    /// address, a plate) may end at `index` only if the next byte does not continue a word.
    /// A run of three stars continues one: it stands where masking took letters or digits
    /// out, so a code glued to it was glued to them (numbers of digits alone are bounded
    /// differently, see ``isDigitBoundary(_:_:)``).
    @inline(__always) static func isRightBoundary(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index >= text.count || (!isAlphanumeric(text[index]) && !isMaskRun(text, from: index, step: 1))
    }

    /// A match of such a kind may start at `index` only if the byte before does not end a word.
    @inline(__always) static func isLeftBoundary(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index == 0 || (!isAlphanumeric(text[index - 1]) && !isMaskRun(text, from: index - 1, step: -1))
    }

    /// A number made only of digits (an ID number, a phone, a card) is bounded by anything
    /// but another digit: letters glued to it (`ID11010519491231002X`, `tel13812345678`)
    /// do not make it part of a word, since its standard's shape has no letters there.
    @inline(__always) static func isDigitBoundary(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index < 0 || index >= text.count || !isDigit(text[index])
    }

    /// Three or more `*` in a row are what masking leaves ("186****6308"): the characters
    /// glued to them may be the kept ends of a masked value, which are never longer than
    /// four. A match may touch such a run only with more than that (``TextScanner``):
    /// `***13812345678` is a number next to stars, `****0499 42459` the kept end of a
    /// masked one, which a second masking pass must not read anew.
    @inline(__always) static func isMaskRun(_ text: UnsafeBufferPointer<UInt8>, from index: Int, step: Int) -> Bool {
        var position = index
        for _ in 0..<3 {
            guard position >= 0, position < text.count, text[position] == 0x2A else { return false }
            position += step
        }
        return true
    }

    /// The longest end a mask keeps beside its stars.
    static let longestKeptEnd = 4

    /// The offset of the first byte at or after `start` that is ASCII (`ascii`) or not, or
    /// the end. Read eight bytes at a time: a byte is ASCII when its high bit is clear, and
    /// Chinese text is long runs of bytes with it set.
    @inline(__always) static func next(ascii: Bool, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = text.count
        let raw = UnsafeRawBufferPointer(text)
        let flip: UInt64 = ascii ? ~0 : 0
        while index + 8 <= count {
            let marks = (UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ flip) & 0x8080_8080_8080_8080
            if marks != 0 { return index + ByteWord.firstMarked(marks) }
            index += 8
        }
        while index < count, (text[index] < 0x80) != ascii { index += 1 }
        return index
    }

    /// Runs `body` over a string's UTF-8 bytes, for detectors used on single values.
    static func withBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = text
        return copy.withUTF8(body)
    }
}
