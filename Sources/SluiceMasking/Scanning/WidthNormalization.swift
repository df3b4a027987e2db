import SluiceCore

/// Folds full-width forms (０-９, Ａ-Ｚ, ａ-ｚ, ＋, －, ＠, the ideographic space…) to
/// ASCII before detection: Chinese text is full of them, and `１３８１２３４５６７８` is
/// as much a phone number as `13812345678`.
///
/// For detection it also drops the invisible characters that text copied from web pages
/// and word processors carries between digits (zero-width space, joiner and non-joiner,
/// word joiner, zero-width no-break space, soft hyphen): `138` U+200B `1234` U+200B
/// `5678` shows as a phone number and must be masked as one.
public enum WidthNormalization {
    /// The text with full-width forms folded, or the same text when it has none.
    public static func normalized(_ text: String) -> String {
        ASCIIBytes.withBytes(text) { bytes in
            guard let folded = fold(bytes) else { return text }
            return String(decoding: folded.bytes, as: UTF8.self)
        }
    }

    /// Folded bytes and where they got shorter than the original, or nil when nothing
    /// needed folding.
    ///
    /// `forDetection` leaves alone the full-width punctuation no detector reads (，：；！？
    /// and the like, see ``readByDetectors(_:)``): as three non-ASCII bytes or as one ASCII
    /// byte it is equally a word boundary and never part of a match, so detections are the
    /// same either way — and a Chinese note that has nothing else full-width is scanned
    /// without being copied. It also drops invisible characters (``invisibleLength(_:at:)``).
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, forDetection: Bool = false) -> FoldedText? {
        guard var index = nextFold(bytes, from: 0, forDetection: forDetection) else { return nil }
        var folded = FoldedText()
        folded.bytes.reserveCapacity(bytes.count)
        var copied = 0
        // Runs between folded characters are copied whole: Chinese text has a full-width
        // comma or colon every few characters, but mostly other bytes.
        while true {
            folded.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
            let invisible = forDetection ? invisibleLength(bytes, at: index) : 0
            if invisible > 0 {
                folded.dropped(length: invisible)
                copied = index + invisible
            } else {
                folded.bytes.append(foldedASCII(bytes[index], bytes[index + 1], bytes[index + 2])!)
                folded.foldedOne()
                copied = index + 3
            }
            guard let next = nextFold(bytes, from: copied, forDetection: forDetection) else { break }
            index = next
        }
        folded.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        return folded
    }

    /// The offset of the next character to fold (or, for detection, to drop) from
    /// `start`, or nil.
    private static func nextFold(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, forDetection: Bool) -> Int? {
        // Every character to fold starts with 0xEF or 0xE3, and every invisible one with
        // 0xE2, 0xEF or 0xC2; no continuation byte can be any of them, so any such byte
        // starts a character: look for them many bytes at a time instead of stepping
        // through every character.
        var index = start
        let end = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        let (xEF, xE3, xE2, xC2) = (
            SIMD16<UInt8>(repeating: 0xEF), SIMD16<UInt8>(repeating: 0xE3), SIMD16<UInt8>(repeating: 0xE2), SIMD16<UInt8>(repeating: 0xC2)
        )
        let (x80, x81, x8B, x8C, x8D, xA0, xAD) = (
            SIMD16<UInt8>(repeating: 0x80), SIMD16<UInt8>(repeating: 0x81), SIMD16<UInt8>(repeating: 0x8B), SIMD16<UInt8>(repeating: 0x8C),
            SIMD16<UInt8>(repeating: 0x8D), SIMD16<UInt8>(repeating: 0xA0), SIMD16<UInt8>(repeating: 0xAD)
        )
        while index + 1 < end {
            // Sixteen bytes at a time while there is nothing to look at, which in Chinese
            // text is most of the time. Invisible characters are told apart by all their
            // bytes here: Chinese quotes, dashes and ellipses share their lead byte 0xE2.
            while index + 18 <= end {
                let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                var stop = (block .== xEF) .| (block .== xE3)
                // Most blocks hold no byte that could start an invisible character.
                if forDetection, any((block .== xE2) .| (block .== xC2)) {
                    let second = raw.loadUnaligned(fromByteOffset: index + 1, as: SIMD16<UInt8>.self)
                    let third = raw.loadUnaligned(fromByteOffset: index + 2, as: SIMD16<UInt8>.self)
                    let joiners = (second .== x80) .& ((third .== x8B) .| (third .== x8C) .| (third .== x8D))
                    let wordJoiner = (second .== x81) .& (third .== xA0)
                    stop = stop .| ((block .== xE2) .& (joiners .| wordJoiner)) .| ((block .== xC2) .& (second .== xAD))
                }
                if any(stop) { break }
                index += 16
            }
            guard index + 1 < end else { return nil }
            if index + 8 <= end {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                var leads = ByteWord.matches(word, 0xEF) | ByteWord.matches(word, 0xE3)
                if forDetection { leads |= ByteWord.matches(word, 0xE2) | ByteWord.matches(word, 0xC2) }
                guard leads != 0 else {
                    index += 8
                    continue
                }
                index += ByteWord.firstMarked(leads)
                guard index + 1 < end else { return nil }
            }
            let lead = bytes[index]
            guard lead == 0xEF || lead == 0xE3 || (forDetection && (lead == 0xE2 || lead == 0xC2)) else {
                index += 1
                continue
            }
            if forDetection, invisibleLength(bytes, at: index) > 0 { return index }
            guard lead != 0xC2 else {
                index += 2
                continue
            }
            guard index + 2 < end else { return nil }
            if let ascii = foldedASCII(bytes[index], bytes[index + 1], bytes[index + 2]), !forDetection || readByDetectors(ascii) {
                return index
            }
            // The other lead bytes start three-byte characters.
            index += 3
        }
        return nil
    }

    /// The length in bytes of the invisible character at `index` (U+200B…U+200D, U+2060,
    /// U+FEFF, U+00AD), or 0 when there is none there.
    @inline(__always) static func invisibleLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        switch bytes[index] {
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0xAD ? 2 : 0
        case 0xE2:
            guard index + 2 < bytes.count else { return 0 }
            let (b1, b2) = (bytes[index + 1], bytes[index + 2])
            return (b1 == 0x80 && (0x8B...0x8D).contains(b2)) || (b1 == 0x81 && b2 == 0xA0) ? 3 : 0
        case 0xEF: return index + 2 < bytes.count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF ? 3 : 0
        default: return 0
        }
    }

    /// Whether a detector can read this ASCII byte as part of a match or of what borders
    /// one: letters and digits, the separators and signs of numbers (space, `+`, `-`,
    /// `(`, `)`), e-mail's `@ . _ %`, and `*`, whose runs mark masked values. A detector
    /// that starts reading another punctuation byte must add it here.
    @inline(__always) static func readByDetectors(_ ascii: UInt8) -> Bool {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: " "), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "@"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "*"):
            true
        default: false
        }
    }

    /// U+FF01…U+FF5E map to U+0021…U+007E; U+3000 to a space.
    @inline(__always) static func foldedASCII(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> UInt8? {
        if b0 == 0xEF {
            if b1 == 0xBC, b2 >= 0x81, b2 <= 0xBF { return b2 - 0x81 + 0x21 }
            if b1 == 0xBD, b2 >= 0x80, b2 <= 0x9E { return b2 - 0x80 + 0x60 }
        } else if b0 == 0xE3, b1 == 0x80, b2 == 0x80 {
            return 0x20
        }
        return nil
    }
}

/// Width-folded bytes and where folding shortened them, to map offsets back.
struct FoldedText {
    var bytes: [UInt8] = []
    /// Offsets in `bytes` just after each folded character, ascending: each moved what
    /// follows it two bytes.
    private var foldedEnds: [Int] = []
    /// Each dropped character's offset in `bytes` and its length in the original. Rare,
    /// so a text without any maps its offsets as cheaply as before they were dropped.
    private var drops: [(at: Int, length: Int)] = []

    /// Records that the byte just written stands for a three-byte character.
    mutating func foldedOne() {
        foldedEnds.append(bytes.count)
    }

    /// Records a character of `length` bytes dropped before the next byte.
    mutating func dropped(length: Int) {
        drops.append((bytes.count, length))
    }

    /// The original offset of folded offset `index`: after the folded characters before it
    /// and the dropped ones at or before it.
    func originalOffset(_ index: Int) -> Int {
        index + 2 * foldsBefore(index) + droppedBytes { $0 <= index }
    }

    /// The original bytes of a folded range: it starts after any character dropped right
    /// before it and ends before any dropped right after it, so the masked text keeps
    /// them where they were.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        let end = range.upperBound
        return originalOffset(range.lowerBound)..<(end + 2 * foldsBefore(end) + droppedBytes { $0 < end })
    }

    /// How many folded characters end at or before `index`.
    private func foldsBefore(_ index: Int) -> Int {
        var low = 0
        var high = foldedEnds.count
        while low < high {
            let middle = (low + high) / 2
            if foldedEnds[middle] <= index { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func droppedBytes(where isBefore: (Int) -> Bool) -> Int {
        drops.isEmpty ? 0 : drops.reduce(0) { isBefore($1.at) ? $0 + $1.length : $0 }
    }
}
