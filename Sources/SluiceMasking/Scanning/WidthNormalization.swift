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
        guard needsFolding(bytes) else { return nil }
        var folded: [UInt8] = []
        var positions: [Int] = []
        folded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + 2 < bytes.count, let ascii = foldedASCII(bytes[index], bytes[index + 1], bytes[index + 2]) {
                positions.append(folded.count)
                folded.append(ascii)
                index += 3
            } else {
                folded.append(bytes[index])
                index += 1
            }
        }
        return FoldedText(bytes: folded, foldedPositions: positions)
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

    private static func needsFolding(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index + 2 < bytes.count {
            let byte = bytes[index]
            if (byte == 0xEF || byte == 0xE3), foldedASCII(byte, bytes[index + 1], bytes[index + 2]) != nil { return true }
            index += 1
        }
        return false
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
