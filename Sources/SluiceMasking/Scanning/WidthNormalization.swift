import SluiceCore

/// Folds full-width forms (０-９, Ａ-Ｚ, ａ-ｚ, ＋, －, ＠, the ideographic space…) to
/// ASCII before detection: Chinese text is full of them, and `１３８１２３４５６７８` is
/// as much a phone number as `13812345678`.
public enum WidthNormalization {
    /// The text with full-width forms folded, or the same text when it has none.
    public static func normalized(_ text: String) -> String {
        ASCIIBytes.withBytes(text) { bytes in
            guard let folded = fold(bytes) else { return text }
            return String(decoding: folded.bytes, as: UTF8.self)
        }
    }

    /// Folded bytes and the folded positions (indices in the folded bytes of characters
    /// that were three bytes long before), or nil when nothing needed folding.
    ///
    /// `forDetection` leaves alone the full-width punctuation no detector reads (，：；！？
    /// and the like, see ``readByDetectors(_:)``): as three non-ASCII bytes or as one ASCII
    /// byte it is equally a word boundary and never part of a match, so detections are the
    /// same either way — and a Chinese note that has nothing else full-width is scanned
    /// without being copied.
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, forDetection: Bool = false) -> FoldedText? {
        guard var index = nextFold(bytes, from: 0, forDetection: forDetection) else { return nil }
        var folded: [UInt8] = []
        var positions: [Int] = []
        folded.reserveCapacity(bytes.count)
        positions.reserveCapacity(32)
        var copied = 0
        // Runs between folded characters are copied whole: Chinese text has a full-width
        // comma or colon every few characters, but mostly other bytes.
        while true {
            folded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
            positions.append(folded.count)
            folded.append(foldedASCII(bytes[index], bytes[index + 1], bytes[index + 2])!)
            copied = index + 3
            guard let next = nextFold(bytes, from: copied, forDetection: forDetection) else { break }
            index = next
        }
        folded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        return FoldedText(bytes: folded, foldedPositions: positions)
    }

    /// The offset of the next full-width character from `start`, or nil.
    private static func nextFold(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, forDetection: Bool) -> Int? {
        // Every foldable character starts with 0xEF or 0xE3, and no continuation byte can
        // be either, so any such byte starts a character: look for them eight bytes at a
        // time instead of stepping through every character.
        var index = start
        let end = bytes.count
        let efs = SIMD16<UInt8>(repeating: 0xEF)
        let e3s = SIMD16<UInt8>(repeating: 0xE3)
        while index + 2 < end {
            // Sixteen bytes at a time while there is nothing to look at, which in Chinese
            // text is most of the time.
            while index + 16 <= end {
                let block = UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                if any((block .== efs) .| (block .== e3s)) { break }
                index += 16
            }
            guard index + 2 < end else { return nil }
            if index + 8 <= end {
                let word = UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let leads = ByteWord.matches(word, 0xEF) | ByteWord.matches(word, 0xE3)
                guard leads != 0 else {
                    index += 8
                    continue
                }
                index += ByteWord.firstMarked(leads)
                guard index + 2 < end else { return nil }
            } else if bytes[index] != 0xEF, bytes[index] != 0xE3 {
                index += 1
                continue
            }
            if let ascii = foldedASCII(bytes[index], bytes[index + 1], bytes[index + 2]), !forDetection || readByDetectors(ascii) {
                return index
            }
            // Both lead bytes start three-byte characters.
            index += 3
        }
        return nil
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
    var bytes: [UInt8]
    /// Indices in `bytes` whose character took three bytes in the original; ascending.
    var foldedPositions: [Int]

    /// The original offset of folded offset `index`: each fold before it saved two bytes.
    func originalOffset(_ index: Int) -> Int {
        var low = 0
        var high = foldedPositions.count
        while low < high {
            let middle = (low + high) / 2
            if foldedPositions[middle] < index { low = middle + 1 } else { high = middle }
        }
        return index + 2 * low
    }
}
