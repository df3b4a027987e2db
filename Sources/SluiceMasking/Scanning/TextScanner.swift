/// Finds personal data in free text: every detector's matches, leftmost-longest and
/// never overlapping, each standing as a word of its own (a 20-digit case number holds
/// no ID number).
///
/// Strict by default: a number that fails its check character is not reported as that
/// kind. `cautious` reports anything of the right shape, for agreements that prefer
/// over-masking to the risk of a miss.
public struct TextScanner: Sendable {
    public var cautious: Bool

    public init(cautious: Bool = false) {
        self.cautious = cautious
    }

    /// Every detection, in order.
    public func detections(in text: String) -> [Detection] {
        ASCIIBytes.withBytes(text) { bytes -> [Detection] in
            guard let folded = WidthNormalization.fold(bytes, forDetection: true) else {
                return matches(in: bytes).map { Detection(kind: $0.kind, range: $0.range) }
            }
            return folded.bytes.withUnsafeBufferPointer { normalized in
                matches(in: normalized).map {
                    Detection(kind: $0.kind, range: folded.originalOffset($0.range.lowerBound)..<folded.originalOffset($0.range.upperBound))
                }
            }
        }
    }

    /// The text with each detection replaced by its kind's default mask, and the count
    /// of detections per kind added to `counts`.
    public func masked(_ text: String, counts: inout [DetectionKind: Int]) -> String {
        let result = ASCIIBytes.withBytes(text) { original -> MaskedBytes? in
            guard let folded = WidthNormalization.fold(original, forDetection: true) else { return masked(original, normalized: original, folded: nil) }
            return folded.bytes.withUnsafeBufferPointer { masked(original, normalized: $0, folded: folded) }
        }
        guard let result else { return text }
        // Counted by kind's position and added once: a dictionary update per detection
        // cost more than finding it.
        for (position, kind) in Self.kinds.enumerated() where result.counts[position] > 0 {
            counts[kind, default: 0] += Int(result.counts[position])
        }
        return String(decoding: result.bytes, as: UTF8.self)
    }

    /// Every kind in position order, built once (`allCases` builds its array per call).
    private static let kinds = DetectionKind.allCases

    /// Masked text and the detections per kind (by position), when there were any.
    private struct MaskedBytes {
        var bytes: [UInt8] = []
        /// Held inline, not in an array: one allocation fewer per text. (2^32 detections
        /// would take a text of tens of gigabytes, far past any request limit.)
        var counts = SIMD16<UInt32>()
    }

    /// `original` with every match found in `normalized` (its width-folded form, or the
    /// same bytes) masked; nil when nothing was found.
    private func masked(
        _ original: UnsafeBufferPointer<UInt8>, normalized: UnsafeBufferPointer<UInt8>, folded: FoldedText?
    ) -> MaskedBytes? {
        var index = 0
        guard var (kind, range) = nextMatch(normalized, from: &index) else { return nil }
        var result = MaskedBytes()
        result.bytes.reserveCapacity(original.count)
        var copied = 0
        while true {
            let originalRange = folded.map { $0.originalOffset(range.lowerBound)..<$0.originalOffset(range.upperBound) } ?? range
            result.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied..<originalRange.lowerBound]))
            DefaultMask.append(kind, UnsafeBufferPointer(rebasing: normalized[range]), to: &result.bytes)
            copied = originalRange.upperBound
            result.counts[kind.position] += 1
            guard let next = nextMatch(normalized, from: &index) else { break }
            (kind, range) = next
        }
        result.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied...]))
        return result
    }

    /// Every match in width-normalised bytes, in order.
    func matches(in text: UnsafeBufferPointer<UInt8>) -> [(kind: DetectionKind, range: Range<Int>)] {
        var found: [(kind: DetectionKind, range: Range<Int>)] = []
        var index = 0
        while let match = nextMatch(text, from: &index) { found.append(match) }
        return found
    }

    /// The next match in width-normalised bytes at or after `index`, which is moved past
    /// it (to the end when there is none). A loop, not a callback: the callers' state
    /// stays out of closures, whose captured variables are checked for exclusive access
    /// at run time.
    func nextMatch(_ text: UnsafeBufferPointer<UInt8>, from index: inout Int) -> (kind: DetectionKind, range: Range<Int>)? {
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                let alphanumeric = ASCIIBytes.isAlphanumeric(byte)
                if alphanumeric || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") {
                    if ASCIIBytes.isLeftBoundary(text, index), let (kind, end) = longestMatch(text, at: index) {
                        defer { index = end }
                        return (kind, index..<end)
                    }
                    if alphanumeric {
                        // The rest of this word cannot start a match: no left boundary.
                        index += 1
                        while index < count, ASCIIBytes.isAlphanumeric(text[index]) { index += 1 }
                        continue
                    }
                }
                index += 1
            } else {
                // A plate's province character is followed by a capital letter: checking that
                // byte first spares a call at nearly every Chinese character.
                if VehiclePlate.couldStart(byte), index + 3 < count, ASCIIBytes.isUpper(text[index + 3]),
                    let end = VehiclePlate.match(text, from: index, cautious: cautious)
                {
                    defer { index = end }
                    return (.vehiclePlate, index..<end)
                }
                index += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            }
        }
        return nil
    }

    /// The longest match of any detector at `start`; on equal length the earlier kind in
    /// ``DetectionKind`` order wins.
    private func longestMatch(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> (DetectionKind, Int)? {
        let byte = text[start]
        var best: (DetectionKind, Int)?
        func consider(_ kind: DetectionKind, _ end: Int?) {
            if let end, end > (best?.1 ?? start) { best = (kind, end) }
        }
        // The length of the word decides which detectors can match at all; most words
        // in case notes (years, amounts, counts) are rejected here without running any.
        var run = 0
        while start + run < text.count, ASCIIBytes.isAlphanumeric(text[start + run]) { run += 1 }
        let next = start + run < text.count ? text[start + run] : 0
        let separated = next == 0x20 || next == 0x2D
        if ASCIIBytes.isDigit(byte) {
            if run == 18 || run == 15 { consider(.residentID, matchResidentID(text, start)) }
            if run == 18 { consider(.creditCode, matchCreditCode(text, start)) }
            if (13...19).contains(run) || (run == 4 && separated) {
                consider(.bankCard, BankCardNumber.match(text, from: start, cautious: cautious))
            }
            if run == 11 || run == 13 || run == 15 || ((run == 3 || run == 2 || run == 4) && separated) {
                consider(.mobile, MobileNumber.match(text, from: start, cautious: cautious))
            }
            if byte == 0x30, (3...4).contains(run) || (10...12).contains(run) {
                consider(.landline, LandlineNumber.match(text, from: start, cautious: cautious))
            }
        } else if byte == UInt8(ascii: "+") {
            consider(.mobile, MobileNumber.match(text, from: start, cautious: cautious))
            return best
        } else if byte == UInt8(ascii: "(") {
            consider(.landline, LandlineNumber.match(text, from: start, cautious: cautious))
            return best
        } else if ASCIIBytes.isUpper(byte) {
            if run == 18 { consider(.creditCode, matchCreditCode(text, start)) }
            if run == 8 || run == 9 {
                consider(.passport, TravelDocumentNumber.matchPassport(text, from: start, cautious: cautious))
                consider(.travelPermit, TravelDocumentNumber.matchTravelPermit(text, from: start, cautious: cautious))
            }
        }
        // An e-mail address needs an @ after its local part.
        var local = start
        while local < text.count, EmailAddress.isLocalByte(text[local]), local - start < 64 { local += 1 }
        if local < text.count, text[local] == UInt8(ascii: "@") {
            consider(.email, EmailAddress.match(text, from: start, cautious: cautious))
        }
        return best
    }

    private func matchResidentID(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        if ResidentIDNumber.isValid18(text, at: start, cautious: cautious), ASCIIBytes.isRightBoundary(text, start + 18) {
            return start + 18
        }
        if ResidentIDNumber.isValid15(text, at: start), ASCIIBytes.isRightBoundary(text, start + 15) { return start + 15 }
        return nil
    }

    private func matchCreditCode(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        guard UnifiedSocialCreditCode.isValid(text, at: start, cautious: cautious),
            ASCIIBytes.isRightBoundary(text, start + 18)
        else { return nil }
        return start + 18
    }
}
