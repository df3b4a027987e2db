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
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>) -> FoldedText? {
        guard var index = nextFold(bytes, from: 0) else { return nil }
        var folded: [UInt8] = []
        var positions: [Int] = []
        folded.reserveCapacity(bytes.count)
        var copied = 0
        // Runs between folded characters are copied whole: Chinese text has a full-width
        // comma or colon every few characters, but mostly other bytes.
        while true {
            folded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
            positions.append(folded.count)
            folded.append(foldedASCII(bytes[index], bytes[index + 1], bytes[index + 2])!)
            copied = index + 3
            guard let next = nextFold(bytes, from: copied) else { break }
            index = next
        }
        folded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        return FoldedText(bytes: folded, foldedPositions: positions)
    }

    /// The offset of the next full-width character from `start`, or nil.
    private static func nextFold(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 2 < bytes.count {
            let byte = bytes[index]
            if byte == 0xEF || byte == 0xE3, foldedASCII(byte, bytes[index + 1], bytes[index + 2]) != nil { return index }
            // Skip whole characters: a continuation byte never starts one.
            index += byte < 0xE0 ? 1 : byte < 0xF0 ? 3 : 4
        }
        return nil
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
