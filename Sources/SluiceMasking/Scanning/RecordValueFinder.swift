#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a record's own masked values again in its free text: a name masked to `张**` in
/// the `name` field must not still read `为张淑珍本人号码` in the case note beside it.
///
/// Exact, not a guess: each value is looked for as written, in the text's width-folded
/// form (full-width letters and digits folded, invisible characters dropped, see
/// ``WidthNormalization``), with any run of spaces allowed between its characters
/// (`张 淑 珍`, `张　淑珍`) and ASCII letters compared without case. Values too short to
/// be told from ordinary words are not looked for: one character, or fewer than four
/// ASCII characters.
///
/// Each value's first character is found with `memchr` (by its last byte) and only
/// there is the rest compared. The values of one record are few; this runs once per scanned field of
/// every record, so it keeps its storage from record to record. Pure: no I/O;
/// ``RecordMasker`` decides what each match becomes.
struct RecordValueFinder {
    /// The values' folded bytes, one after another.
    private var storage: [UInt8] = []
    /// Each value: where it lies in `storage`, its first character, what the caller
    /// knows it by.
    private var needles: [(start: Int, count: Int, entry: Int)] = []

    var isEmpty: Bool { needles.isEmpty }

    /// Forgets every value, keeping the storage for the next record's.
    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        needles.removeAll(keepingCapacity: true)
    }

    /// Adds `value` (a field's canonical text) as `entry`, unless it is too short.
    mutating func add(_ value: String, entry: Int) {
        let start = storage.count
        ASCIIBytes.withBytes(value) { raw in
            if let folded = WidthNormalization.fold(raw, forDetection: true) {
                storage.append(contentsOf: folded.bytes)
            } else {
                storage.append(contentsOf: raw)
            }
        }
        // Spaces inside the value are as optional as those inside its occurrences.
        var end = start
        var scalars = 0
        var ascii = true
        for index in start..<storage.count where !Self.isSpaceByte(storage[index]) {
            let byte = storage[index]
            storage[end] = byte
            end += 1
            if byte & 0xC0 != 0x80 { scalars += 1 }
            if byte >= 0x80 { ascii = false }
        }
        storage.removeSubrange(end...)
        let count = end - start
        guard count > 0, scalars >= 2, !ascii || count >= 4 else {
            storage.removeSubrange(start...)
            return
        }
        needles.append((start, count, entry))
    }

    /// Every occurrence of an added value in `text` (width-folded, as ``TextScanner``
    /// reads it), leftmost first and, where two overlap, the longer; none overlapping.
    func occurrences(in text: UnsafeBufferPointer<UInt8>) -> [(entry: Int, range: Range<Int>)] {
        guard !needles.isEmpty, let base = text.baseAddress else { return [] }
        var found: [(entry: Int, range: Range<Int>)] = []
        storage.withUnsafeBufferPointer { values in
            for needle in needles {
                let value = UnsafeBufferPointer(rebasing: values[needle.start..<(needle.start + needle.count)])
                // The first character found with memchr; a value that starts with an ASCII
                // letter (compared without case) is looked for byte by byte.
                var firstLength = 1
                while firstLength < value.count, value[firstLength] & 0xC0 == 0x80 { firstLength += 1 }
                let caseless = ASCIIBytes.isLetter(value[0])
                var from = 0
                while from < text.count {
                    var at: Int?
                    if caseless {
                        at = (from..<text.count).first { Self.same(text[$0], value[0]) }
                    } else {
                        // By the first character's last byte: in Chinese text a lead byte
                        // (E4–E9) stands before nearly every character, a last byte before
                        // one in sixty-four.
                        let last = Int32(value[firstLength - 1])
                        var probe = from + firstLength - 1
                        while probe < text.count, let hit = memchr(base + probe, last, text.count - probe) {
                            let candidate = UnsafeRawPointer(hit) - UnsafeRawPointer(base) - (firstLength - 1)
                            if (0..<firstLength).allSatisfy({ text[candidate + $0] == value[$0] }) {
                                at = candidate
                                break
                            }
                            probe = candidate + firstLength
                        }
                    }
                    guard let at else { break }
                    if let end = Self.match(value, in: text, at: at) {
                        found.append((needle.entry, at..<end))
                        from = end
                    } else {
                        from = at + 1
                    }
                }
            }
        }
        guard found.count > 1 else { return found }
        found.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.range.count > $1.range.count }
        var kept: [(entry: Int, range: Range<Int>)] = []
        for occurrence in found where kept.last.map({ occurrence.range.lowerBound >= $0.range.upperBound }) ?? true {
            kept.append(occurrence)
        }
        return kept
    }

    /// Where `value` ends when it starts at `start`, spaces allowed between its
    /// characters; nil when it does not match there.
    private static func match(_ value: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start
        for index in value.indices {
            let byte = value[index]
            // Between two characters (never inside one) a run of spaces may stand.
            if index > 0, byte & 0xC0 != 0x80 {
                while let length = spaceLength(text, at: position) { position += length }
            }
            guard position < text.count, same(text[position], byte) else { return nil }
            position += 1
        }
        return position
    }

    @inline(__always) private static func same(_ a: UInt8, _ b: UInt8) -> Bool {
        a == b || (ASCIIBytes.isLetter(a) && (a | 0x20) == (b | 0x20))
    }

    @inline(__always) private static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The length of a space character at `index`: ASCII blanks and line breaks, the
    /// no-break space, the en to hair spaces, the narrow no-break and medium mathematical
    /// spaces (the ideographic space is folded to ASCII before this runs).
    private static func spaceLength(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index < text.count else { return nil }
        let byte = text[index]
        if isSpaceByte(byte) { return 1 }
        if byte == 0xC2, index + 1 < text.count, text[index + 1] == 0xA0 { return 2 }
        if byte == 0xE2, index + 2 < text.count {
            let (second, third) = (text[index + 1], text[index + 2])
            if second == 0x80, (0x80...0x8A).contains(third) || third == 0xAF { return 3 }
            if second == 0x81, third == 0x9F { return 3 }
        }
        if byte == 0xE3, index + 2 < text.count, text[index + 1] == 0x80, text[index + 2] == 0x80 { return 3 }
        return nil
    }
}
