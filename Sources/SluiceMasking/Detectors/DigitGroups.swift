/// A long number as people write it: digits in groups, one separator between groups, the
/// same separator throughout (`110105 19491231 002X`, `138.1234.5678`, `6222/0212/3456`).
///
/// Separators are the space (every space of every script is one after folding, see
/// ``WidthNormalization``), hyphen (every dash is one), dot, slash, tab and a line break
/// (LF, CR or CRLF). Detectors read the group lengths and decide whether they are a shape
/// their standard allows; the digits themselves are copied out for the check characters.
struct DigitGroups {
    /// Up to five group lengths, and where each group ends.
    private var lengths: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)
    private var ends: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)
    private(set) var count = 0
    /// The digits read, in order, without separators; an ID number's final X is kept.
    private(set) var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private(set) var digitCount = 0
    /// Just after the last digit read.
    private(set) var end: Int

    /// Reads from `start` (a digit) up to `maxGroups` groups of at most 19 digits in all;
    /// `finalX` lets the last character be `X` or `x` (an ID number's check character).
    init(_ text: UnsafeBufferPointer<UInt8>, from start: Int, maxGroups: Int, finalX: Bool = false) {
        end = start
        var index = start
        var separatorKind: UInt8 = 0
        var groupLength = 0
        while index < text.count, digitCount < 19 {
            let byte = text[index]
            if ASCIIBytes.isDigit(byte) || (finalX && groupLength > 0 && byte | 0x20 == UInt8(ascii: "x")) {
                let isX = !ASCIIBytes.isDigit(byte)
                store(isX ? 10 : UInt64(byte &- 0x30))
                groupLength += 1
                index += 1
                end = index
                if isX { break }
                continue
            }
            let length = Self.separatorLength(text, at: index)
            guard length > 0, count + 1 < min(maxGroups, 5), index + length < text.count, ASCIIBytes.isDigit(text[index + length]) else { break }
            let kind = Self.kind(of: byte)
            guard separatorKind == 0 || separatorKind == kind else { break }
            separatorKind = kind
            append(groupLength, endingAt: index)
            groupLength = 0
            index += length
        }
        if groupLength > 0 { append(groupLength, endingAt: end) }
    }

    /// Where the number ends if its first groups are `shape` exactly (more groups may
    /// follow: they are another number), or nil.
    func end(ifStartingWith first: Int, _ second: Int = 0, _ third: Int = 0, _ fourth: Int = 0) -> Int? {
        // Plain arguments, not an array: this runs at every long number in free text.
        let groups = second == 0 ? 1 : third == 0 ? 2 : fourth == 0 ? 3 : 4
        guard groups <= count, lengths.0 == first, groups < 2 || lengths.1 == second, groups < 3 || lengths.2 == third,
            groups < 4 || lengths.3 == fourth
        else { return nil }
        return groupEnd(groups - 1)
    }

    /// The length of group `index`.
    subscript(index: Int) -> Int {
        switch index {
        case 0: lengths.0
        case 1: lengths.1
        case 2: lengths.2
        case 3: lengths.3
        default: lengths.4
        }
    }

    /// Just after the last digit of group `index`.
    func groupEnd(_ index: Int) -> Int {
        switch index {
        case 0: ends.0
        case 1: ends.1
        case 2: ends.2
        case 3: ends.3
        default: ends.4
        }
    }

    /// The digit at `position` (10 for X).
    func digit(_ position: Int) -> UInt64 {
        let shift = UInt64(position % 16 * 4)
        switch position / 16 {
        case 0: return digits.0 >> shift & 0xF
        case 1: return digits.1 >> shift & 0xF
        default: return digits.2 >> shift & 0xF
        }
    }

    /// The first `count` digits as ASCII, for checks written over bytes.
    func withASCII<Result>(count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let count = min(count, digitCount)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { buffer in
            for position in 0..<count {
                let value = digit(position)
                buffer[position] = value == 10 ? UInt8(ascii: "X") : 0x30 + UInt8(value)
            }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    private mutating func append(_ length: Int, endingAt end: Int) {
        switch count {
        case 0: (lengths.0, ends.0) = (length, end)
        case 1: (lengths.1, ends.1) = (length, end)
        case 2: (lengths.2, ends.2) = (length, end)
        case 3: (lengths.3, ends.3) = (length, end)
        default: (lengths.4, ends.4) = (length, end)
        }
        count += 1
    }

    private mutating func store(_ value: UInt64) {
        let shift = UInt64(digitCount % 16 * 4)
        switch digitCount / 16 {
        case 0: digits.0 |= value << shift
        case 1: digits.1 |= value << shift
        default: digits.2 |= value << shift
        }
        digitCount += 1
    }

    /// The length of the separator at `index` (CRLF is one), or 0.
    @inline(__always) static func separatorLength(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        guard index < text.count else { return 0 }
        switch text[index] {
        case 0x0D: return index + 1 < text.count && text[index + 1] == 0x0A ? 2 : 1
        case 0x20, 0x2D, 0x2E, 0x2F, 0x09, 0x0A: return 1
        default: return 0
        }
    }

    /// Whether a separator stands at `index` with a digit after it.
    @inline(__always) static func separatesDigits(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let length = separatorLength(text, at: index)
        return length > 0 && index + length < text.count && ASCIIBytes.isDigit(text[index + length])
    }

    /// Line breaks are one kind of separator whichever bytes they are.
    private static func kind(of byte: UInt8) -> UInt8 { byte == 0x0D ? 0x0A : byte }
}
