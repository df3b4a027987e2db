import SluiceCore

/// Folds full-width forms (０-９, Ａ-Ｚ, ａ-ｚ, ＋, －, ＠, the ideographic space…) to
/// ASCII before detection: Chinese text is full of them, and `１３８１２３４５６７８` is
/// as much a phone number as `13812345678`.
///
/// For detection it goes further, so that what a reader sees as a number is read as one:
/// - every Unicode decimal digit and digit-valued symbol becomes its ASCII digit
///   (Arabic-Indic `١٣٨`, mathematical bold `𝟏𝟑𝟖`, superscript `¹`, circled `①`);
/// - every space separator (no-break, thin, narrow, ideographic) becomes a space, and every
///   dash a hyphen;
/// - every format character (zero-width space and joiners, word joiner, soft hyphen,
///   left-to-right and right-to-left marks, bidi embeddings, overrides and isolates,
///   invisible operators such as U+2062, the Mongolian vowel separator, the byte-order
///   mark) and every combining mark is dropped: `138` U+200B `1234` U+200B `5678` shows as
///   a phone number and must be masked as one.
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
    /// without being copied. It also folds digits, spaces and dashes of every script and
    /// drops invisible characters (see the type's description).
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, forDetection: Bool = false) -> FoldedText? {
        let classes = detectionClasses
        guard var (index, length, ascii) = nextFold(bytes, from: 0, forDetection: forDetection, classes: classes) else { return nil }
        var folded = FoldedText()
        // Written straight into the array's memory (folding never lengthens the text):
        // appends, two per folded character, cost more than finding them.
        folded.bytes = Array(unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            let (source, target) = (bytes.baseAddress!, buffer.baseAddress!)
            var written = 0
            var copied = 0
            // Runs between folded characters are copied whole: Chinese text has a
            // full-width comma or colon every few characters, but mostly other bytes.
            while true {
                (target + written).initialize(from: source + copied, count: index - copied)
                written += index - copied
                if let ascii {
                    target[written] = ascii
                    written += 1
                    folded.folded(length: length, end: written)
                } else {
                    folded.dropped(length: length, at: written)
                }
                copied = index + length
                // The rest of a run of full-width forms (a number written in them) is folded
                // here, without a search for each character.
                while copied + 3 <= bytes.count, bytes[copied] == 0xEF {
                    let scalar = 0xF000 | UInt32(bytes[copied + 1] & 0x3F) << 6 | UInt32(bytes[copied + 2] & 0x3F)
                    let fold =
                        forDetection
                        ? classes[Int(scalar)] : (0xFF01...0xFF5E).contains(scalar) ? UInt8(truncatingIfNeeded: scalar - 0xFF01 + 0x21) : 0
                    guard fold != 0, fold != Self.drop else { break }
                    target[written] = fold
                    written += 1
                    folded.folded(length: 3, end: written)
                    copied += 3
                }
                guard let next = nextFold(bytes, from: copied, forDetection: forDetection, classes: classes) else { break }
                (index, length, ascii) = next
            }
            (target + written).initialize(from: source + copied, count: bytes.count - copied)
            initialized = written + bytes.count - copied
        }
        return folded
    }

    /// The next character to fold (or, for detection, to drop) from `start`: its offset,
    /// its length, and the ASCII byte it folds to (nil: dropped); nil when there is none.
    private static func nextFold(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, forDetection: Bool, classes: UnsafePointer<UInt8>)
        -> (index: Int, length: Int, ascii: UInt8?)?
    {
        // Every character to fold starts with 0xEF or 0xE3; for detection also with a lead
        // byte from 0xC2 to 0xE2 (the two-byte characters and the three-byte ones below
        // U+3000, where the digits, spaces, dashes and marks of other scripts are) or from
        // 0xF0 (four-byte characters). No continuation byte is any of them, and Chinese
        // characters lead with 0xE4–0xE9: so whole blocks of Chinese are passed sixteen
        // bytes at a time.
        var index = start
        let end = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        let (xEF, xE3, xC2, xF0) = (
            SIMD16<UInt8>(repeating: 0xEF), SIMD16<UInt8>(repeating: 0xE3), SIMD16<UInt8>(repeating: 0xC2), SIMD16<UInt8>(repeating: 0xF0)
        )
        while index < end {
            while index + 16 <= end {
                let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                var stop = (block .== xEF) .| (block .== xE3)
                if forDetection { stop .|= ((block .>= xC2) .& (block .<= xE3)) .| (block .>= xF0) }
                // Straight to the first lead byte that stopped the block.
                if any(stop) {
                    index += firstLane(stop)
                    break
                }
                index += 16
            }
            guard index < end else { return nil }
            let lead = bytes[index]
            let interesting = lead == 0xEF || lead == 0xE3 || (forDetection && lead >= 0xC2 && (lead <= 0xE3 || lead >= 0xF0))
            guard interesting else {
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            guard index + length <= end else { return nil }
            var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length { scalar = scalar << 6 | UInt32(bytes[index + offset] & 0x3F) }
            let fold: UInt8
            if !forDetection {
                fold = (0xFF01...0xFF5E).contains(scalar) ? UInt8(scalar - 0xFF01 + 0x21) : scalar == 0x3000 ? 0x20 : 0
            } else {
                fold = scalar <= 0xFFFF ? classes[Int(scalar)] : detectionClass(of: scalar)
            }
            switch fold {
            case 0: index += length
            case Self.drop: return (index, length, nil)
            case let ascii: return (index, length, ascii)
            }
        }
        return nil
    }

    /// The first lane set in `mask` (one is).
    @inline(__always) private static func firstLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int {
        let lanes = SIMD16<UInt8>(repeating: 0).replacing(with: 0x80, where: mask)
        let (first, second) = unsafeBitCast(lanes, to: (UInt64, UInt64).self)
        let (low, high) = (UInt64(littleEndian: first), UInt64(littleEndian: second))
        return low != 0 ? ByteWord.firstMarked(low) : 8 + ByteWord.firstMarked(high)
    }

    /// What a folded character becomes when dropped rather than folded to ASCII.
    static let drop: UInt8 = 0xFF

    /// ``detectionClass(of:)`` for the whole Basic Multilingual Plane, built once (64 KiB,
    /// never freed) and read through a pointer: reading a scalar's Unicode properties costs
    /// more than the scan itself, and an array's reference counting showed in profiles.
    /// A value is 0 (the character stays), ``drop``, or the ASCII byte it folds to.
    nonisolated(unsafe) private static let detectionClasses: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for value in 0..<0x10000 { table[value] = value >= 0x80 ? detectionClass(of: UInt32(value)) : 0 }
        return UnsafePointer(table)
    }()

    private static func detectionClass(of value: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        if (0xFF01...0xFF5E).contains(value) {
            let ascii = UInt8(value - 0xFF01 + 0x21)
            return readByDetectors(ascii) ? ascii : 0
        }
        let properties = scalar.properties
        if properties.numericType == .decimal || properties.numericType == .digit, let number = properties.numericValue,
            number >= 0, number <= 9, number == number.rounded()
        {
            return 0x30 + UInt8(number)
        }
        switch properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return 0x20
        case .format, .nonspacingMark, .spacingMark, .enclosingMark: return drop
        case .dashPunctuation: return UInt8(ascii: "-")
        default: break
        }
        // Variation selectors and tag characters are marks or format characters already.
        return 0
    }

    /// Whether a detector can read this ASCII byte as part of a match or of what borders
    /// one: letters and digits, the separators and signs of numbers (space, `+`, `-`,
    /// `(`, `)`, `/`), e-mail's `@ . _ %`, and `*`, whose runs mark masked values. A
    /// detector that starts reading another punctuation byte must add it here.
    @inline(__always) static func readByDetectors(_ ascii: UInt8) -> Bool {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: " "), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "@"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "*"), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}

/// Width-folded bytes and where folding shortened them, to map offsets back.
struct FoldedText {
    var bytes: [UInt8] = []
    /// Runs of folded three-byte characters (each moved what follows it two bytes), in
    /// order: the offset in `bytes` just after the run's first, how many follow on from
    /// it, and how many came before the run. A full-width number is one run, where an
    /// offset per character grew its array five times.
    private var foldedRuns: [(firstEnd: Int, count: Int, before: Int)] = []
    /// Each dropped character's offset in `bytes` and its length in the original. Rare,
    /// so a text without any maps its offsets as cheaply as before they were dropped.
    private var drops: [(at: Int, length: Int)] = []

    /// Folds of characters other than three bytes long (a no-break space, a mathematical
    /// digit): the offset just after each and how many bytes it saved. Rare.
    private var otherFolds: [(end: Int, saved: Int)] = []

    /// Records that the byte before offset `end` stands for a character of `length` bytes.
    mutating func folded(length: Int, end: Int) {
        if length == 3 {
            if let last = foldedRuns.last, last.firstEnd + last.count == end {
                foldedRuns[foldedRuns.count - 1].count += 1
            } else {
                if foldedRuns.isEmpty { foldedRuns.reserveCapacity(4) }
                foldedRuns.append((end, 1, foldedRuns.last.map { $0.before + $0.count } ?? 0))
            }
        } else {
            otherFolds.append((end, length - 1))
        }
    }

    /// Records a character of `length` bytes dropped before offset `at`.
    mutating func dropped(length: Int, at offset: Int) {
        drops.append((offset, length))
    }

    /// The original offset of folded offset `index`: after the folded characters before it
    /// and the dropped ones at or before it.
    func originalOffset(_ index: Int) -> Int {
        index + 2 * foldsBefore(index) + otherSaved(upTo: index) + droppedBytes { $0 <= index }
    }

    /// The original bytes of a folded range: it starts after any character dropped right
    /// before it and ends before any dropped right after it, so the masked text keeps
    /// them where they were.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        let end = range.upperBound
        return originalOffset(range.lowerBound)..<(end + 2 * foldsBefore(end) + otherSaved(upTo: end) + droppedBytes { $0 < end })
    }

    private func otherSaved(upTo index: Int) -> Int {
        otherFolds.isEmpty ? 0 : otherFolds.reduce(0) { $1.end <= index ? $0 + $1.saved : $0 }
    }

    /// How many folded three-byte characters end at or before `index`.
    private func foldsBefore(_ index: Int) -> Int {
        // The last run whose first character ends at or before `index`.
        var low = 0
        var high = foldedRuns.count
        while low < high {
            let middle = (low + high) / 2
            if foldedRuns[middle].firstEnd <= index { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return 0 }
        let run = foldedRuns[low - 1]
        return run.before + min(run.count, index - run.firstEnd + 1)
    }

    private func droppedBytes(where isBefore: (Int) -> Bool) -> Int {
        drops.isEmpty ? 0 : drops.reduce(0) { isBefore($1.at) ? $0 + $1.length : $0 }
    }
}
